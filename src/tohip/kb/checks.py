"""Cross-file checks of the knowledge base: ids resolve, probabilities are proper, every number
is cited, case paths exist. Returns every problem found, each located by file and path."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from tohip.case.derive import is_valid_path
from tohip.conditions import CONDITION_IDS
from tohip.kb.schema import Expression, Finding, Likelihood, Source

if TYPE_CHECKING:
    from tohip.kb.loader import KnowledgeBase, Problem

TOLERANCE = 1e-6


def _problem(file: str, path: str, message: str, severity: str = "error") -> Problem:
    from tohip.kb.loader import Problem

    return Problem(file, path, message, severity)


def _check_sources(
    kb: KnowledgeBase, sources: Iterable[Source], file: str, path: str
) -> Iterator[Problem]:
    for i, src in enumerate(sources):
        if src.ref not in kb.references:
            yield _problem(file, f"{path}.sources.{i}", f"unknown reference {src.ref!r}")


def _check_distribution(row: Likelihood, finding: Finding, path: str) -> Iterator[Problem]:
    if finding.is_binary:
        if not isinstance(row, float | int) or not 0 < row < 1:
            yield _problem("findings.yaml", path, "a binary finding needs P(present) in (0, 1)")
        return
    if not isinstance(row, dict):
        yield _problem(
            "findings.yaml", path, "a categorical finding needs one probability per state"
        )
        return
    if set(row) != set(finding.state_names):
        yield _problem(
            "findings.yaml",
            path,
            f"states {sorted(row)} differ from the finding's {list(finding.state_names)}",
        )
    if any(not 0 < p <= 1 for p in row.values()):
        yield _problem("findings.yaml", path, "every probability must be in (0, 1]")
    total = sum(row.values())
    if not math.isclose(total, 1.0, abs_tol=TOLERANCE):
        yield _problem("findings.yaml", path, f"probabilities sum to {total:.6f}, not 1")


def _check_finding(kb: KnowledgeBase, f: Finding, index: int) -> Iterator[Problem]:
    path = f"findings.{index}({f.id})"
    states = set(f.state_names)
    missing = set(CONDITION_IDS) - set(f.likelihood)
    extra = set(f.likelihood) - set(CONDITION_IDS)
    if missing:
        yield _problem("findings.yaml", f"{path}.likelihood", f"no row for {sorted(missing)}")
    if extra:
        yield _problem("findings.yaml", f"{path}.likelihood", f"unknown conditions {sorted(extra)}")
    for cond, row in f.likelihood.items():
        yield from _check_distribution(row, f, f"{path}.likelihood.{cond}")
    for w, window in enumerate(f.time_windows):
        wpath = f"{path}.time_windows.{w}"
        if window.weeks[0] >= window.weeks[1]:
            yield _problem("findings.yaml", wpath, "weeks must be [start, end) with start < end")
        for cond, row in window.likelihood.items():
            if cond not in CONDITION_IDS:
                yield _problem("findings.yaml", wpath, f"unknown condition {cond!r}")
            yield from _check_distribution(row, f, f"{wpath}.likelihood.{cond}")
        yield from _check_sources(kb, window.sources, "findings.yaml", wpath)
    for g, given in enumerate(f.given):
        gpath = f"{path}.given.{g}"
        other = kb.findings.get(given.finding)
        if other is None or other.id == f.id:
            yield _problem("findings.yaml", gpath, f"{given.finding!r} is not another finding")
        elif not set(given.states) <= set(other.state_names):
            yield _problem("findings.yaml", gpath, f"states {given.states} not all of {other.id}")
        if f.time_windows:
            yield _problem("findings.yaml", gpath, "a finding has time windows or given, not both")
        for c, row in given.likelihood.items():
            if c not in CONDITION_IDS:
                yield _problem("findings.yaml", gpath, f"unknown condition {c!r}")
            yield from _check_distribution(row, f, f"{gpath}.likelihood.{c}")
        yield from _check_sources(kb, given.sources, "findings.yaml", gpath)
    observes = f.observe.inputs or [f.observe]
    for o in observes:
        if o.field and not is_valid_path(o.field):
            yield _problem("findings.yaml", f"{path}.observe", f"{o.field!r} is not a case field")
        for band in o.bands or []:
            if band.state not in states:
                yield _problem(
                    "findings.yaml", f"{path}.observe", f"band state {band.state!r} unknown"
                )
        for value in (o.values or {}).values():
            for target in [value] if isinstance(value, str) else value:
                if target in states:
                    continue
                yield _problem(
                    "findings.yaml", f"{path}.observe", f"value state {target!r} unknown"
                )
    for ref_path in (f.normal_when, f.time_reference):
        if ref_path and not is_valid_path(ref_path):
            yield _problem("findings.yaml", path, f"{ref_path!r} is not a case field")
    if f.normal_when and f.normal_state not in states:
        yield _problem("findings.yaml", path, "normal_when needs a normal_state among the states")
    if f.weight < 1 and f.group is None:
        yield _problem("findings.yaml", path, "a weight below 1 needs a correlation group")
    yield from _check_sources(kb, f.sources, "findings.yaml", path)


def _expression_findings(expr: Expression) -> Iterator[Expression]:
    if expr.finding is not None:
        yield expr
    for child in [*(expr.all or []), *(expr.any or []), *([expr.not_] if expr.not_ else [])]:
        yield from _expression_findings(child)


def _check_groups(findings: list[Finding]) -> Iterator[Problem]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        if f.group:
            groups.setdefault(f.group, []).append(f)
    for name, members in groups.items():
        leads = [m.id for m in members if m.weight == 1.0]
        if len(leads) != 1:
            yield _problem(
                "findings.yaml", f"group {name}", f"needs exactly one lead (weight 1), has {leads}"
            )


def _check_given_acyclic(findings: list[Finding]) -> Iterator[Problem]:
    """The chain rule needs an order: no finding may depend, through ``given``, on itself."""
    depends = {f.id: {g.finding for g in f.given} for f in findings}
    for start in depends:
        stack, seen = list(depends[start]), set()
        while stack:
            current = stack.pop()
            if current == start:
                yield _problem("findings.yaml", f"{start}.given", "given tables form a cycle")
                break
            if current not in seen:
                seen.add(current)
                stack += depends.get(current, set())


def check_knowledge_base(kb: KnowledgeBase, findings: list[Finding]) -> list[Problem]:
    """Every problem with a parsed knowledge base (errors and warnings)."""
    problems: list[Problem] = []
    ids = [c.id for c in kb.conditions]
    if sorted(ids) != sorted(CONDITION_IDS) or len(ids) != len(set(ids)):
        problems.append(
            _problem(
                "conditions.yaml",
                "conditions",
                f"must list exactly the contract ids {list(CONDITION_IDS)}",
            )
        )
    total = sum(c.prior for c in kb.conditions)
    if not math.isclose(total, 1.0, abs_tol=TOLERANCE):
        problems.append(
            _problem("conditions.yaml", "conditions.prior", f"priors sum to {total:.6f}, not 1")
        )
    problems += _check_sources(kb, kb.prior_file.prior_sources, "conditions.yaml", "prior_sources")
    for i, c in enumerate(kb.conditions):
        path = f"conditions.{i}({c.id})"
        problems += _check_sources(
            kb, c.natural_history.sources, "conditions.yaml", f"{path}.natural_history"
        )
        if c.must_not_miss and c.alert_threshold is None:
            problems.append(
                _problem("conditions.yaml", path, "must_not_miss needs alert_threshold")
            )
        if c.codes.snomed_ct is None:
            problems.append(
                _problem(
                    "conditions.yaml",
                    f"{path}.codes.snomed_ct",
                    "SNOMED CT code not yet mapped",
                    "warning",
                )
            )
    for name, count in Counter(f.id for f in findings).items():
        if count > 1:
            problems.append(_problem("findings.yaml", name, "duplicate finding id"))
    for i, f in enumerate(findings):
        problems += _check_finding(kb, f, i)
    problems += _check_groups(findings)
    problems += _check_given_acyclic(findings)
    for i, flag in enumerate(kb.red_flags):
        path = f"red_flags.{i}({flag.id})"
        if flag.condition not in CONDITION_IDS:
            problems.append(
                _problem("red_flags.yaml", path, f"unknown condition {flag.condition!r}")
            )
        for expr in _expression_findings(flag.when):
            finding = kb.findings.get(expr.finding or "")
            if finding is None:
                problems.append(
                    _problem("red_flags.yaml", path, f"unknown finding {expr.finding!r}")
                )
                continue
            for state in [*([expr.is_] if expr.is_ else []), *(expr.in_ or [])]:
                if state not in finding.state_names:
                    problems.append(
                        _problem("red_flags.yaml", path, f"{finding.id} has no state {state!r}")
                    )
        problems += _check_sources(kb, flag.sources, "red_flags.yaml", path)
    flag_ids = {f.id for f in kb.red_flags}
    for i, test in enumerate(kb.investigations):
        path = f"investigations.{i}({test.id})"
        if not is_valid_path(test.done_when):
            problems.append(
                _problem("investigations.yaml", path, f"{test.done_when!r} is not a case field")
            )
        for fid in test.yields:
            if fid not in kb.findings:
                problems.append(_problem("investigations.yaml", path, f"unknown finding {fid!r}"))
        for fid in test.not_for_alone:
            if fid not in test.yields:
                problems.append(
                    _problem("investigations.yaml", path, f"not_for_alone {fid!r} is not yielded")
                )
        known_tests = {t.id for t in kb.investigations}
        for other in test.not_after:
            if other not in known_tests:
                problems.append(
                    _problem("investigations.yaml", path, f"not_after: unknown test {other!r}")
                )
        if test.offer_when:
            for cond in test.offer_when.any_condition_at_least:
                if cond not in CONDITION_IDS:
                    problems.append(
                        _problem("investigations.yaml", path, f"unknown condition {cond!r}")
                    )
            for fid in test.offer_when.any_red_flag:
                if fid not in flag_ids:
                    problems.append(
                        _problem("investigations.yaml", path, f"unknown red flag {fid!r}")
                    )
        problems += _check_sources(kb, test.sources, "investigations.yaml", path)
    for i, st in enumerate(kb.statements):
        path = f"statements.{i}({st.id})"
        for cond in st.conditions:
            if cond not in CONDITION_IDS:
                problems.append(_problem("statements.yaml", path, f"unknown condition {cond!r}"))
        problems += _check_sources(kb, st.sources, "statements.yaml", path)
    for name, count in Counter(s.id for s in kb.statements).items():
        if count > 1:
            problems.append(_problem("statements.yaml", name, "duplicate statement id"))
    return problems
