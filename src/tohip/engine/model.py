"""The knowledge base compiled for inference: per finding, per state, a vector of
log P(state | condition) over the conditions in knowledge-base order (time windows included).
Built once per knowledge base; the engine never reads files."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from tohip.kb.loader import KnowledgeBase
from tohip.kb.schema import Finding, Likelihood

Vector = tuple[float, ...]
StateTable = dict[str, Vector]  # state -> P(state | condition) per condition


@dataclass(frozen=True)
class Window:
    start: float
    end: float
    table: StateTable
    note: str


@dataclass(frozen=True)
class CompiledFinding:
    finding: Finding
    table: StateTable
    windows: tuple[Window, ...]

    def window_at(self, weeks: float | None) -> Window | None:
        """The time window containing ``weeks`` since onset, if any."""
        if weeks is not None:
            for w in self.windows:
                if w.start <= weeks < w.end:
                    return w
        return None

    def table_at(self, weeks: float | None) -> StateTable:
        """The likelihood table that applies at ``weeks`` (the default when unknown)."""
        window = self.window_at(weeks)
        return window.table if window else self.table


@dataclass(frozen=True)
class Model:
    kb: KnowledgeBase
    conditions: tuple[str, ...]
    log_prior: Vector
    findings: dict[str, CompiledFinding]


def _table(
    finding: Finding,
    rows: dict[str, Likelihood],
    conditions: tuple[str, ...],
    base: StateTable | None = None,
) -> StateTable:
    table: dict[str, list[float]] = {
        s: list(base[s]) if base else [0.0] * len(conditions) for s in finding.state_names
    }
    for ci, cond in enumerate(conditions):
        if cond in rows:
            for state, p in Finding.distribution(rows[cond]).items():
                table[state][ci] = p
    return {s: tuple(v) for s, v in table.items()}


@functools.lru_cache(maxsize=4)
def compile_model(kb: KnowledgeBase) -> Model:
    conditions = kb.condition_ids
    compiled = {}
    for f in kb.findings.values():
        table = _table(f, f.likelihood, conditions)
        windows = tuple(
            Window(w.weeks[0], w.weeks[1], _table(f, w.likelihood, conditions, table), w.note)
            for w in f.time_windows
        )
        compiled[f.id] = CompiledFinding(f, table, windows)
    log_prior = tuple(math.log(c.prior) for c in kb.conditions)
    return Model(kb, conditions, log_prior, compiled)
