"""What the free-text reader returns: the structured case and the evidence for every value."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from tohip.case.schema import Case


class Evidence(BaseModel):
    """One statement found in the note and what it means (or why it was not used)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    path: str  # where in the structured case, e.g. imaging.mri.edema_pattern
    value: Any
    text: str  # the words matched
    start: int  # character offsets of ``text`` in the note
    end: int
    sentence: str  # the sentence around ``text``, at most 200 characters of it (a window)
    sentence_start: int  # offset of ``sentence`` in the note
    section: str | None
    source: str  # the concept (targets.yaml) or value reader that found it
    modifiers: list[str] = []  # ConText and section modifiers, e.g. "negated by 'no'"
    used: bool = True
    reason: str | None = None  # why it was not used, or how a conflict was settled
    note: str | None = None  # e.g. a lab's class against its reference interval


class Extraction(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    case: Case
    evidence: list[Evidence]
    warnings: list[str]

    def used(self) -> list[Evidence]:
        return [e for e in self.evidence if e.used]
