"""Must-not-miss rules over the observed findings, plus probability alerts."""

from __future__ import annotations

from tohip.engine.citations import cite
from tohip.engine.model import Model
from tohip.engine.types import RedFlagOut
from tohip.kb.schema import Expression

Seen = dict[str, frozenset[str]]


def holds(expr: Expression, seen: Seen, hits: list[str]) -> bool:
    """Evaluate a red-flag expression; ``hits`` collects the findings that made it true."""
    if expr.finding is not None:
        states = seen.get(expr.finding)
        if expr.unknown is not None:
            return (states is None) == expr.unknown
        if states is None:
            return False
        allowed = {expr.is_} if expr.is_ is not None else set(expr.in_ or [])
        ok = states <= allowed
        if ok:
            hits.append(f"{expr.finding}={'|'.join(sorted(states))}")
        return ok
    if expr.all is not None:
        local: list[str] = []
        ok = all(holds(e, seen, local) for e in expr.all)
        if ok:
            hits.extend(local)
        return ok
    if expr.any is not None:
        results = [holds(e, seen, hits) for e in expr.any]
        return any(results)
    assert expr.not_ is not None
    return not holds(expr.not_, seen, [])


def red_flags(
    model: Model,
    seen: Seen,
    probabilities: dict[str, float],
    patient_prior: dict[str, float] | None = None,
) -> list[RedFlagOut]:
    """Rules that fired, then must-not-miss conditions whose probability reached their alert
    threshold *and* was raised by the findings (``alert_min_rise`` times the patient prior): a
    condition as likely as the prior says is not a finding-driven alarm."""
    kb = model.kb
    fired = []
    for flag in kb.red_flags:
        hits: list[str] = []
        if holds(flag.when, seen, hits):
            fired.append(
                RedFlagOut(
                    id=flag.id,
                    condition=flag.condition,
                    urgency=flag.urgency,
                    label=flag.label,
                    action=" ".join(flag.action.split()),
                    triggered_by=hits,
                    citations=cite(kb, flag.sources),
                )
            )
    flagged = {f.condition for f in fired}
    for cond in kb.conditions:
        p = probabilities[cond.id]
        baseline = (patient_prior or {}).get(cond.id, 0.0)
        if (
            cond.must_not_miss
            and cond.alert_threshold
            and p >= cond.alert_threshold
            and p >= cond.alert_min_rise * baseline
            and cond.id not in flagged
        ):
            fired.append(
                RedFlagOut(
                    id=f"possible_{cond.id}",
                    condition=cond.id,
                    urgency="urgent",
                    label=f"{cond.label} not excluded (probability {p:.0%})",
                    action="Keep this must-not-miss condition in view until the "
                    "investigations below exclude it.",
                    triggered_by=[
                        f"probability>={cond.alert_threshold:g}",
                        f"probability>={cond.alert_min_rise:g}x patient prior",
                    ],
                    citations=cite(kb, kb.prior_file.prior_sources[:1]),
                )
            )
    order = {"emergency": 0, "urgent": 1}
    return sorted(fired, key=lambda f: order[f.urgency])
