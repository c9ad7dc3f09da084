"""The library entry points that compose the layers: the free-text reader and the engine.

The engine knows nothing of text: it takes a structured case and, optionally, the provenance of
values that were read rather than entered. This module reads a note, turns the reader's evidence
into that provenance (the reader's measured precision per concept becomes each value's trust)
and returns the assessment together with the reading, as ``tohip assess`` prints it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.engine.types import Assessment, Provenance, SourceText
from tohip.kb.loader import KnowledgeBase
from tohip.text.rules import TextRules, load_text_rules
from tohip.text.types import Extraction


class NoteAssessment(Assessment):
    """An assessment of a free-text note, with the case read from it and its evidence."""

    extraction: Extraction


def provenance_from(
    extraction: Extraction, rules: TextRules | None = None
) -> dict[str, Provenance]:
    """Per case path: read from text, trusted as much as the least reliable reader behind it."""
    reliability = (rules or load_text_rules()).reliability
    by_path: dict[str, list[tuple[float, SourceText]]] = defaultdict(list)
    for e in extraction.used():
        if not e.path:
            continue
        source = SourceText(
            text=e.text, start=e.start, end=e.end, sentence=e.sentence, modifiers=e.modifiers
        )
        by_path[e.path].append((reliability.trust(e.source), source))
    return {
        path: Provenance(
            origin="text",
            trust=max(t for t, _ in items),  # agreeing readings: the most reliable one counts
            sources=[s for _, s in items],
        )
        for path, items in by_path.items()
    }


def assess_extraction(
    extraction: Extraction, kb: KnowledgeBase | None = None, rules: TextRules | None = None
) -> NoteAssessment:
    """Assess a case read from text: read values are soft evidence, and each explained finding
    names the words it came from."""
    assessment = assess_case(extraction.case, kb, provenance_from(extraction, rules))
    warnings = assessment.warnings + [f"reading the note: {w}" for w in extraction.warnings]
    return NoteAssessment(
        **{**assessment.model_dump(), "warnings": warnings}, extraction=extraction
    )


def assess_note(
    text: str,
    *,
    note_date: dt.date | None = None,
    case_id: str | None = None,
    kb: KnowledgeBase | None = None,
) -> NoteAssessment:
    """Read a clinical note and assess the case it describes."""
    from tohip.text.extract import extract_text

    return assess_extraction(extract_text(text, note_date=note_date, case_id=case_id), kb)


__all__ = ["Case", "NoteAssessment", "assess_extraction", "assess_note", "provenance_from"]
