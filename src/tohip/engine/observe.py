"""Reading the knowledge base's findings from a structured case.

An observation is a *set* of states: usually one, but a coarser report (pregnant, trimester
unknown) allows several, and its likelihood is the sum over them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tohip.case.derive import AtLeast, value_at, weeks_at_study, weeks_since_onset
from tohip.case.schema import Case
from tohip.kb.loader import KnowledgeBase
from tohip.kb.schema import Finding, Observe


@dataclass(frozen=True)
class Observation:
    finding_id: str
    states: frozenset[str]
    field: str  # where in the case it came from
    weeks: float | None  # weeks since onset when it was observed
    by_normal_report: bool = False  # inferred from "X-ray normal" rather than stated
    trust: float = 1.0  # probability the value is right (soft evidence below 1)


def _state_of(value: Any, how: Observe, finding: Finding) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, frozenset):
        return value
    if isinstance(value, AtLeast):
        if how.bands is None:
            return None
        # a lower bound: every band that reaches above it
        return frozenset(b.state for b in how.bands if b.below is None or b.below > value.value)
    if how.bands is not None:
        for band in how.bands:
            if band.below is None or float(value) < band.below:
                return frozenset({band.state})
        return None
    if how.values is not None:
        mapped = how.values.get(str(value))
        if mapped is None:
            return None
        return frozenset({mapped} if isinstance(mapped, str) else mapped)
    if isinstance(value, bool):
        return frozenset({"present" if value else "absent"})
    if str(value) in finding.state_names:
        return frozenset({str(value)})
    return None


def _read(case: Case, finding: Finding) -> tuple[frozenset[str] | None, str]:
    how = finding.observe
    if how.inputs is None:
        assert how.field is not None
        return _state_of(value_at(case, how.field), how, finding), how.field
    order = finding.state_names
    found = [
        (s, i.field or "")
        for i in how.inputs
        if (s := _state_of(value_at(case, i.field or ""), i, finding)) is not None
    ]
    if not found:
        return None, ""
    worst = max(found, key=lambda item: max(order.index(x) for x in item[0]))
    return worst[0], "+".join(f for _, f in found)


def _weeks(case: Case, finding: Finding) -> float | None:
    ref = finding.time_reference
    if ref and ref.startswith("imaging."):
        return weeks_at_study(case, ref.split(".")[1])
    return weeks_since_onset(case)


def observe_case(kb: KnowledgeBase, case: Case) -> list[Observation]:
    """Every knowledge-base finding the case tells us something about, in KB order."""
    observations = []
    for finding in kb.findings.values():
        states, field = _read(case, finding)
        by_normal = False
        if states is None and finding.normal_when and value_at(case, finding.normal_when) is True:
            assert finding.normal_state is not None
            states, field, by_normal = frozenset({finding.normal_state}), finding.normal_when, True
        if states is not None:
            observations.append(
                Observation(finding.id, states, field, _weeks(case, finding), by_normal)
            )
    return observations
