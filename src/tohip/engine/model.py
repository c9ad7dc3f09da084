"""The knowledge base compiled for inference: per finding, per state, a vector of
log P(state | condition) over the conditions in knowledge-base order (time windows included).
Built once per knowledge base; the engine never reads files."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
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
class GivenTable:
    finding: str  # the finding whose observed state selects this table
    states: frozenset[str]
    table: StateTable
    note: str


@dataclass(frozen=True)
class CompiledFinding:
    finding: Finding
    table: StateTable
    windows: tuple[Window, ...]
    given: tuple[GivenTable, ...] = ()

    def given_for(self, seen: Mapping[str, frozenset[str]]) -> GivenTable | None:
        """The first ``given`` table whose condition the case's observations meet: the other
        finding was observed, and every state it may be in is one the table names."""
        for g in self.given:
            states = seen.get(g.finding)
            if states and states <= g.states:
                return g
        return None

    def table_for(
        self, weeks: float | None, seen: Mapping[str, frozenset[str]] | None = None
    ) -> StateTable:
        """The table for this observation: a ``given`` table when another observed finding
        selects one, else the time window's or the default."""
        chosen = self.given_for(seen) if seen else None
        return chosen.table if chosen else self.table_at(weeks)

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
        given = tuple(
            GivenTable(
                g.finding, frozenset(g.states), _table(f, g.likelihood, conditions, table), g.note
            )
            for g in f.given
        )
        compiled[f.id] = CompiledFinding(f, table, windows, given)
    log_prior = tuple(math.log(c.prior) for c in kb.conditions)
    return Model(kb, conditions, log_prior, compiled)
