"""The note cut into plain text and highlighted evidence spans, each marked with how the
reader took it: used, negated, uncertain, historical, other side, or not used.

Spans come from the evidence's own character offsets into the note (``start``/``end``), never
from searching for its sentence, so repeated words are placed exactly. Overlapping spans are
merged into the first one; every piece of evidence still appears in the evidence list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tohip.text.types import Evidence

Status = Literal["used", "negated", "uncertain", "historical", "other_side", "unused"]

LABELS: dict[Status, str] = {
    "used": "used",
    "negated": "negated",
    "uncertain": "uncertain",
    "historical": "historical",
    "other_side": "other side",
    "unused": "not used",
}
_UNCERTAIN = ("uncertain", "possible", "hypothetical", "family", "experienc", "question")


def status_of(evidence: Evidence) -> Status:
    said = " ".join([*evidence.modifiers, evidence.reason or ""]).lower()
    if not evidence.used:
        if "side" in said or "contralateral" in said:
            return "other_side"
        if "histor" in said:
            return "historical"
        if any(word in said for word in _UNCERTAIN):
            return "uncertain"
        return "unused"
    if evidence.value is False or "negat" in said:
        return "negated"
    return "used"


def _shown(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def explanation(evidence: Evidence) -> str:
    """Why the span is marked as it is, in one line for the tooltip."""
    status = status_of(evidence)
    target = evidence.path or evidence.source
    parts = [f"{LABELS[status]}: {target} = {_shown(evidence.value)}"]
    if evidence.modifiers:
        parts.append("; ".join(evidence.modifiers))
    if evidence.reason:
        parts.append(evidence.reason)
    if evidence.note:
        parts.append(evidence.note)
    return " — ".join(parts)


@dataclass(frozen=True)
class Segment:
    text: str
    status: Status | None = None  # None: plain text between spans
    tip: str = ""
    index: int = 0  # numbers the spans, for ids and aria-describedby


def segments(note: str, evidence: list[Evidence]) -> list[Segment]:
    spans = sorted(
        (e for e in evidence if 0 <= e.start < e.end <= len(note)), key=lambda e: (e.start, -e.end)
    )
    out: list[Segment] = []
    cursor = 0
    number = 0
    for e in spans:
        if e.start < cursor:
            continue  # overlaps a span already shown
        if e.start > cursor:
            out.append(Segment(note[cursor : e.start]))
        number += 1
        out.append(Segment(note[e.start : e.end], status_of(e), explanation(e), number))
        cursor = e.end
    if cursor < len(note):
        out.append(Segment(note[cursor:]))
    return out
