"""The registry's one door into tohip's assessment (the assessment API is being refactored
elsewhere; only this module changes when it does)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from tohip.case.schema import Case
from tohip.registry.vocab import InputKind


@dataclass(frozen=True)
class AssessmentRecord:
    """What the registry stores of one assessment: the input exactly as assessed, the output as
    ``tohip assess --format json`` prints it, and the versions that produced it."""

    input_kind: InputKind
    input_snapshot: str
    output: dict[str, Any]
    kb_version: str
    tool_version: str
    case: Case  # the structured case (read from the note for free text)

    @property
    def input_sha256(self) -> str:
        return hashlib.sha256(self.input_snapshot.encode("utf-8")).hexdigest()

    @property
    def probabilities(self) -> dict[str, float]:
        return {row["condition"]: float(row["probability"]) for row in self.output["differential"]}

    @property
    def top(self) -> tuple[str, float]:
        best = max(self.output["differential"], key=lambda row: row["probability"])
        return str(best["condition"]), float(best["probability"])


def assess_for_registry(
    source: Case | str, *, note_date: dt.date | None = None
) -> AssessmentRecord:
    """Assess a structured case, or a free-text note given as its text.

    Raises tohip's ``InputError`` family for input that cannot be assessed.
    """
    if isinstance(source, Case):
        from tohip import assess

        assessment = assess(source)
        snapshot = source.model_dump_json(by_alias=True, exclude_none=True)
        kind, case = InputKind.CASE, source
    else:
        from tohip.api import assess_extraction
        from tohip.text.extract import extract_text

        extraction = extract_text(source, note_date=note_date)
        assessment = assess_extraction(extraction)
        snapshot, kind, case = source, InputKind.NOTE, extraction.case
    output = json.loads(assessment.model_dump_json())
    return AssessmentRecord(
        input_kind=kind,
        input_snapshot=snapshot,
        output=output,
        kb_version=str(output["knowledge_base_version"]),
        tool_version=str(output["tool_version"]),
        case=case,
    )
