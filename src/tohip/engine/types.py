"""The assessment tohip returns: pydantic models, serialised as the JSON of ``tohip assess``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tohip.text.types import Extraction


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


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
    """Where in a free-text note an observed value came from."""

    text: str
    start: int
    end: int
    sentence: str
    modifiers: list[str] = []


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
    evidence: list[SourceText] = []  # free-text input only: the sentences it came from


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
    extraction: Extraction | None = None  # free-text input only: the case read and its evidence
