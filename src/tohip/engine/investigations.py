"""Which test next: rank untried investigations by expected information about the
differential per unit of burden, respecting pregnancy and lactation."""

from __future__ import annotations

import math

from tohip.engine.citations import cite
from tohip.engine.model import Model
from tohip.engine.types import AvoidedInvestigation, InvestigationOut
from tohip.kb.schema import Investigation

PREFER_ALTERNATIVE_FACTOR = (
    0.3  # expected information is discounted by this when a safer test exists
)
MIN_BITS = 0.1  # below this a test is not worth suggesting


def mutual_information(table: dict[str, tuple[float, ...]], p: list[float], weight: float) -> float:
    """I(condition; finding) in bits under the current probabilities, tempered by weight."""
    bits = 0.0
    for row in table.values():
        p_state = sum(pc * ps for pc, ps in zip(p, row, strict=True))
        for pc, ps in zip(p, row, strict=True):
            if pc > 0 and ps > 0:
                bits += pc * ps * math.log2(ps / p_state)
    return weight * bits


def _entropy(p: list[float]) -> float:
    return -sum(x * math.log2(x) for x in p if x > 0)


def _offered(test: Investigation, probs: dict[str, float], flags: set[str]) -> bool:
    gate = test.offer_when
    if gate is None:
        return True
    return any(probs[c] >= t for c, t in gate.any_condition_at_least.items()) or any(
        f in flags for f in gate.any_red_flag
    )


def rank_investigations(
    model: Model,
    p: list[float],
    seen: set[str],
    done: set[str],
    weeks: float | None,
    pregnant: bool,
    lactating: bool,
    fired_flags: set[str],
) -> tuple[list[InvestigationOut], list[AvoidedInvestigation]]:
    probs = dict(zip(model.conditions, p, strict=True))
    ceiling = _entropy(p)
    top = ", ".join(sorted(probs, key=probs.__getitem__, reverse=True)[:3])
    ranked: list[tuple[bool, float, InvestigationOut]] = []
    avoided = []
    for test in model.kb.investigations:
        new = [fid for fid in test.yields if fid not in seen and fid not in test.not_for_alone]
        if test.id in done or not new or not _offered(test, probs, fired_flags):
            continue
        if set(test.not_after) & done:
            continue
        if pregnant and test.pregnancy == "avoid":
            avoided.append(
                AvoidedInvestigation(
                    id=test.id,
                    label=test.label,
                    reason=f"avoid in pregnancy: {test.pregnancy_note or ''}".strip(),
                )
            )
            continue
        if lactating and test.lactation == "avoid":
            avoided.append(
                AvoidedInvestigation(
                    id=test.id, label=test.label, reason="avoid while breastfeeding"
                )
            )
            continue
        bits = min(
            ceiling,
            sum(
                mutual_information(
                    model.findings[fid].table_at(weeks), p, model.findings[fid].finding.weight
                )
                for fid in new
            ),
        )
        note = None
        factor = 1.0
        if pregnant and test.pregnancy == "prefer_alternative":
            factor, note = PREFER_ALTERNATIVE_FACTOR, f"Pregnancy: {test.pregnancy_note}"
        elif pregnant and test.pregnancy_note:
            note = f"Pregnancy: {test.pregnancy_note}"
        # A test that a fired red flag calls for is listed whatever its information gain.
        flagged = set(test.offer_when.any_red_flag) & fired_flags if test.offer_when else set()
        reason = (
            f"required by red flag {', '.join(sorted(flagged))}"
            if flagged
            else f"expected to sharpen the differential between {top}"
        )
        ranked.append(
            (
                bool(flagged),
                bits * factor / test.burden,
                InvestigationOut(
                    id=test.id,
                    label=test.label,
                    expected_information_bits=round(bits, 3),
                    burden=test.burden,
                    reason=reason,
                    note=" ".join(note.split()) if note else None,
                    citations=cite(model.kb, test.sources),
                ),
            )
        )
    ranked.sort(key=lambda item: (not item[0], -item[1]))
    listed = [
        out for required, _, out in ranked if required or out.expected_information_bits >= MIN_BITS
    ]
    return listed, avoided
