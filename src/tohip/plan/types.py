"""What ``tohip plan`` and ``tohip followup`` read and return: pydantic models whose JSON Schemas
are published in ``schemas/``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, model_validator

from tohip.case.dates import ClinicalDate
from tohip.engine.types import Citation


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Caution(_Out):
    rule: str
    reason: str
    citations: list[Citation]


class PlanItem(_Out):
    id: str
    condition: str
    category: str
    recommendation: Literal["do", "consider"]
    text: str
    evidence: str
    evidence_note: str | None
    cautions: list[Caution]
    citations: list[Citation]


class Omission(_Out):
    """An option left out of the plan, and why (a safety rule, or not recommended)."""

    id: str
    label: str
    kind: Literal["contraindicated", "not_recommended", "superseded", "not_needed_yet"]
    reason: str
    rules: list[str]
    citations: list[Citation]


class NextTest(_Out):
    """An investigation the assessment suggests, with the safety cautions that apply to it."""

    id: str
    label: str
    reason: str
    cautions: list[Caution]


class Check(_Out):
    """Something to find out before an item can be given safely."""

    fact: str
    check: str
    for_items: list[str]


class Phase(_Out):
    id: str
    label: str
    from_week: float
    to_week: float
    start: dt.date | None
    end: dt.date | None
    text: str
    citations: list[Citation]


class ScheduledVisit(_Out):
    label: str
    due: dt.date | None
    timing: str
    purpose: str
    imaging: str | None
    cautions: list[str]
    citations: list[Citation]


class ExpectedCourse(_Out):
    condition: str
    weeks_since_onset: float | None
    current_phase: str | None
    onset_date: dt.date | None
    expected_peak: dt.date | None
    resolution_from: dt.date | None
    resolution_by: dt.date | None
    expected_delivery: dt.date | None
    postpartum_resolution_by: dt.date | None
    phases: list[Phase]
    schedule: list[ScheduledVisit]
    notes: list[str]
    citations: list[Citation]


class CarePlan(_Out):
    tool: str
    tool_version: str
    knowledge_base_version: str
    disclaimer: str
    case_id: str | None
    plan_date: dt.date
    mode: Literal["confident", "working"]
    leading_condition: str
    leading_probability: float
    summary: str
    immediate: list[PlanItem]
    items: list[PlanItem]
    next_investigations: list[NextTest]
    left_out: list[Omission]
    checks: list[Check]
    unrecognised_medicines: list[str]
    course: ExpectedCourse | None
    warnings: list[str]


# --- follow-up visits (input)


class VisitImaging(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    modality: Literal["xray", "mri", "ct", "bone_scan"] | None = None
    fracture_line: StrictBool | None = None
    collapse: StrictBool | None = Field(default=None, description="Head collapse or crescent sign")
    edema_resolving: StrictBool | None = None


class VisitRecord(BaseModel):
    """One follow-up visit. Give ``date`` (with the case's onset date) or ``weeks_after_onset``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["tohip.visit/1"] = Field(default="tohip.visit/1", alias="schema")
    date: ClinicalDate | None = None
    weeks_after_onset: StrictFloat | None = Field(default=None, ge=0, le=520)
    pain: StrictFloat | None = Field(default=None, ge=0, le=10, description="Pain score 0-10")
    pain_trend: Literal["worse", "same", "better", "resolved"] | None = None
    new_joint_pain: StrictBool | None = Field(default=None, description="New pain in another joint")
    sudden_pain_increase: StrictBool | None = None
    unable_to_bear_weight: StrictBool | None = None
    fever: StrictBool | None = None
    delivered: StrictBool | None = Field(default=None, description="The baby has been born")
    postpartum_weeks: StrictFloat | None = Field(default=None, ge=0, le=104)
    imaging: VisitImaging | None = None
    note: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _coherent(self) -> VisitRecord:
        if self.postpartum_weeks is not None and self.delivered is False:
            raise ValueError("postpartum_weeks is given but delivered is false")
        return self


class FollowUpFinding(_Out):
    rule: str
    severity: Literal["emergency", "urgent", "review"]
    finding: str
    action: str
    citations: list[Citation]


class FollowUpResult(_Out):
    tool: str
    tool_version: str
    disclaimer: str
    case_id: str | None
    condition: str
    visit_date: dt.date | None
    weeks_after_onset: float | None
    pain_trend: str | None
    expected_phase: str | None
    status: Literal["on_track", "resolved", "review", "act_soon", "act_now"]
    summary: str
    findings: list[FollowUpFinding]
    next_visit: ScheduledVisit | None
    warnings: list[str]
