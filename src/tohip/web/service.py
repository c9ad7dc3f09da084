"""What the web layer computes, composed from the same library calls the CLI makes, so that
``POST /api/v1/assess`` answers byte for byte what ``tohip assess --format json`` prints.

The free-text pipeline (spaCy/medspaCy) is loaded once, at start-up (:func:`warm_up`), and is
used under a lock: its components are not documented as safe to share between threads, and the
work is CPU-bound under the GIL anyway, so the lock costs no throughput.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from tohip.api import assess_extraction
from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.engine.types import Assessment, Provenance
from tohip.plan.types import CarePlan, FollowUpResult, VisitRecord
from tohip.text.types import Extraction

_READER_LOCK = threading.Lock()


def warm_up() -> None:
    """Load the knowledge base, the reading rules and the spaCy pipeline, and read one note, so
    the first request is as fast as the rest (health answers 200 only after this)."""
    from tohip.kb.loader import load_knowledge_base
    from tohip.text.pipeline import default_pipeline
    from tohip.text.rules import load_text_rules

    load_knowledge_base()
    load_text_rules()
    default_pipeline()
    read_note("Left hip pain for 3 weeks. MRI: diffuse marrow oedema of the femoral head.")


def read_note(note: str, note_date: dt.date | None = None) -> Extraction:
    """The note read into a structured case, with the evidence for every value (CLI: stdin)."""
    from tohip.text.extract import extract_text

    with _READER_LOCK:
        return extract_text(note, note_date=note_date, case_id=None)


@dataclass(frozen=True)
class Worked:
    """One input worked through: the case, its assessment and, for a note, the reading."""

    case: Case
    assessment: Assessment
    extraction: Extraction | None


def work_note(note: str, note_date: dt.date | None = None) -> Worked:
    extraction = read_note(note, note_date)
    return Worked(extraction.case, assess_extraction(extraction), extraction)


def work_case(case: Case, provenance: dict[str, Provenance] | None = None) -> Worked:
    return Worked(case, assess_case(case, None, provenance), None)


def work(note: str | None, case: Case | None, note_date: dt.date | None = None) -> Worked:
    """A note or a case (exactly one is given; the request models check that)."""
    if case is not None:
        return work_case(case)
    return work_note(note or "", note_date)


def assessment_json(worked: Worked) -> str:
    """Exactly what ``tohip assess --format json`` writes on standard output."""
    return worked.assessment.model_dump_json(indent=2, by_alias=True) + "\n"


def extraction_json(extraction: Extraction) -> str:
    """Exactly what ``tohip extract --format json`` writes on standard output."""
    return extraction.model_dump_json(indent=2, by_alias=True) + "\n"


def care_plan(worked: Worked) -> CarePlan:
    from tohip.plan.build import make_plan

    return make_plan(worked.case, worked.assessment)


def follow_up(worked: Worked, visits: list[VisitRecord]) -> FollowUpResult:
    from tohip.plan.followup import evaluate_visit

    return evaluate_visit(worked.case, visits, worked.assessment)
