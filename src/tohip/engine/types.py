"""The assessment tohip returns: pydantic models, serialised as the JSON of ``tohip assess``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    # defer_build: each model's validator is built when first used, not when tohip is imported
    # (start-up of `tohip assess`, issue 9; BENCHMARKS.md, start-up, session 6)
    model_config = ConfigDict(frozen=True, defer_build=True)


class Citation(_Out):
    ref: str
    citation: str
    note: str | None = None
    doi: str | None = None
    seed_file: str | None = None


class RankedCondition(_Out):
    condition: str
    label: str
    probability: float
    patient_prior: float
    must_not_miss: bool


class SourceText(_Out):
    """Where in a document an observed value came from."""

    text: str
    start: int
    end: int
    sentence: str
    modifiers: list[str] = []


class Provenance(_Out):
    """How a case value was obtained when it was not entered directly.

    ``trust`` is the probability that the reading is right (a free-text reader's measured
    precision for the concept); the engine then counts the finding as soft evidence, so that one
    misread sentence cannot decide a case.
    """

    origin: str  # e.g. "text": read from a free-text note
    trust: float = Field(ge=0.0, le=1.0)
    sources: list[SourceText] = []


class FindingEffect(_Out):
    """How one observed finding moved the differential (leave-one-out)."""

    finding: str
    label: str
    observed: list[str]
    case_field: str
    weeks_since_onset: float | None
    time_window: str | None
    weight: float
    shift_points: dict[str, float]  # condition -> change in probability (percentage points)
    likelihood_ratio_for_top: float  # for the leading condition vs the rest
    basis: str
    citations: list[Citation]
    origin: str = "entered"  # "entered" (structured case) or where it was read from ("text")
    trust: float = 1.0  # probability the value is right; below 1 it counts as soft evidence
    evidence: list[SourceText] = []  # read values only: the words it came from


class RedFlagOut(_Out):
    id: str
    condition: str
    urgency: str
    label: str
    action: str
    triggered_by: list[str]
    citations: list[Citation]


class InvestigationOut(_Out):
    id: str
    label: str
    expected_information_bits: float
    burden: float
    reason: str
    note: str | None = None
    citations: list[Citation]


class AvoidedInvestigation(_Out):
    id: str
    label: str
    reason: str


class Assessment(_Out):
    tool: str
    tool_version: str
    knowledge_base_version: str
    disclaimer: str
    case_id: str | None
    differential: list[RankedCondition]
    low_information: bool
    observed_findings: int
    explanation: list[FindingEffect]
    red_flags: list[RedFlagOut]
    next_investigations: list[InvestigationOut]
    avoided_investigations: list[AvoidedInvestigation]
    warnings: list[str]
    method: str
