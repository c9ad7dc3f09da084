"""The care-plan knowledge: management items, safety rules, drug vocabulary, the expected course
and follow-up rules, and the handout's plain-language text. All of it is data in
``kb/data/plan/``; this module validates its shape and its cross-references.

Conditions are written in one small language over *facts* (see ``tohip.plan.facts``)::

    {fact: NAME, is: VALUE} | {fact: NAME, in: [VALUES]} | {fact: NAME, at_least: N}
    {fact: NAME, below: N} | {fact: NAME, includes: VALUE}   (for sets: allergies, medicines)
    {all: [...]} | {any: [...]} | {not: {...}}

A clause on an unknown fact is false, unless it says ``if_unknown: true`` (used where not knowing
must be treated as the dangerous case, e.g. gestational age unknown in a pregnant woman).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tohip.errors import KnowledgeBaseError, ReadError
from tohip.kb.loader import read_kb_file
from tohip.kb.schema import Source

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLAN_DIR = "plan"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class When(_Strict):
    """A condition over facts; exactly one form."""

    fact: str | None = None
    is_: Any = Field(default=None, alias="is")
    in_: list[Any] | None = Field(default=None, alias="in")
    at_least: float | None = None
    below: float | None = None
    includes: str | None = None
    if_unknown: bool = False
    all: list[When] | None = None
    any: list[When] | None = None
    not_: When | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> When:
        forms = [self.fact is not None, self.all is not None, self.any is not None]
        forms.append(self.not_ is not None)
        if sum(forms) != 1:
            raise ValueError("a condition is exactly one of fact/all/any/not")
        if self.fact is not None:
            tests = [self.is_ is not None, self.in_ is not None, self.at_least is not None]
            tests += [self.below is not None, self.includes is not None]
            if sum(tests) != 1:
                raise ValueError("a fact test needs exactly one of is/in/at_least/below/includes")
        return self

    def facts(self) -> Iterator[str]:
        """Every fact name this condition reads."""
        if self.fact is not None:
            yield self.fact
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            yield from child.facts()


Category = Literal[
    "immediate",
    "activity",
    "medication",
    "referral",
    "investigation",
    "procedure",
    "education",
    "monitoring",
]
Evidence = Literal[
    "guideline",
    "regulatory",
    "systematic_review",
    "cohort",
    "case_series",
    "case_reports",
    "expert_opinion",
]


class Prerequisite(_Strict):
    """A fact that must be known before the item is given; listed as a check when unknown."""

    fact: str
    check: str


class Addendum(_Strict):
    """A sentence added to an item's text only when ``when`` holds (e.g. advice about pregnancy
    only for a patient who can be pregnant)."""

    when: When
    text: str


class ManagementItem(_Strict):
    id: str
    conditions: list[str] = Field(min_length=1)
    category: Category
    recommendation: Literal["do", "consider", "not_recommended"]
    text: str
    patient_text: str | None = None
    evidence: Evidence
    evidence_note: str | None = None
    drug_classes: list[str] = []
    tags: list[str] = []
    when: When | None = None  # applies only when true (e.g. only in pregnancy)
    # when `when` is false: list the item as not yet due, with this reason, instead of dropping
    # it silently (e.g. antibiotics before a positive Gram stain, culture or septic count)
    not_yet_reason: str | None = None
    while_uncertain: bool = False  # safe to start before the diagnosis is settled
    supersedes: list[str] = []  # items this one replaces when both apply
    prerequisites: list[Prerequisite] = []
    addenda: list[Addendum] = []
    sources: list[Source] = Field(min_length=1)


class SafetyRule(_Strict):
    id: str
    applies_to: list[str] = Field(min_length=1)  # drug classes or item tags
    effect: Literal["exclude", "caution"]
    when: When
    reason: str
    patient_text: str | None = None
    sources: list[Source] = Field(min_length=1)


class DrugClass(_Strict):
    id: str
    label: str
    names: list[str] = Field(min_length=1)
    patient_label: str


class Phase(_Strict):
    id: str
    label: str
    weeks: tuple[float, float]
    text: str
    patient_text: str
    sources: list[Source] = Field(min_length=1)


class Visit(_Strict):
    """A planned visit, timed from symptom onset, from the start of the plan or from delivery."""

    weeks_after_onset: float | None = None
    weeks_after_start: float | None = None
    weeks_after_delivery: float | None = None
    label: str
    purpose: str
    imaging: str | None = None
    imaging_tags: list[str] = []  # safety rules apply to these (e.g. ionising)
    when: When | None = None
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_clock(self) -> Visit:
        clocks = [self.weeks_after_onset, self.weeks_after_start, self.weeks_after_delivery]
        if sum(c is not None for c in clocks) != 1:
            raise ValueError(
                "give exactly one of weeks_after_onset, weeks_after_start, weeks_after_delivery"
            )
        return self


class Course(_Strict):
    condition: str
    phases: list[Phase] = Field(min_length=1)
    expected_peak_weeks: float
    resolution_weeks: tuple[float, float]
    reconsider_after_weeks: float
    postpartum_resolution_weeks: float | None = None
    schedule: list[Visit] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)


class FollowUpRule(_Strict):
    id: str
    conditions: list[str] = Field(min_length=1)
    severity: Literal["emergency", "urgent", "review"]
    when: When
    finding: str
    action: str
    patient_text: str
    sources: list[Source] = Field(min_length=1)


class Settings(_Strict):
    confident_at: float = Field(gt=0, lt=1)
    confident_basis: str
    # per leading condition, what must also be true before the plan is confident (e.g. TOH
    # needs an MRI that addressed necrosis and the subchondral line)
    confident_requires: dict[str, When] = {}
    sources: list[Source] = Field(min_length=1)


class PlanRules(_Strict):
    settings: Settings
    items: list[ManagementItem]
    safety: list[SafetyRule]
    drugs: list[DrugClass]
    investigation_tags: dict[str, list[str]]
    courses: list[Course]
    followup: list[FollowUpRule]
    handout: dict[str, Any]

    def drug(self, class_id: str) -> DrugClass:
        return next(d for d in self.drugs if d.id == class_id)


_FILES = {
    "management.yaml": ("settings", "items"),
    "safety.yaml": ("safety", "investigation_tags"),
    "drugs.yaml": ("drugs",),
    "course.yaml": ("courses", "followup"),
    "handout.yaml": ("handout",),
}


def read_plan_rules(kb_directory: Path) -> PlanRules:
    """Read and validate ``plan/*.yaml``; raise ``KnowledgeBaseError`` listing every problem."""
    merged: dict[str, Any] = {}
    problems: list[str] = []
    for name, keys in _FILES.items():
        path = kb_directory / PLAN_DIR / name
        try:
            raw = yaml.load(read_kb_file(path), Loader=_Loader) or {}
        except (ReadError, yaml.YAMLError) as exc:
            problems.append(f"{PLAN_DIR}/{name}: cannot read: {exc}")
            continue
        for key in keys:
            if key not in raw:
                problems.append(f"{PLAN_DIR}/{name}: missing top-level key {key!r}")
            merged[key] = raw.get(key)
    if problems:
        raise KnowledgeBaseError(problems)
    try:
        return PlanRules.model_validate(merged)
    except ValidationError as exc:
        raise KnowledgeBaseError(
            [f"plan: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        ) from exc


@functools.lru_cache(maxsize=2)
def load_plan_rules(kb_directory: str | None = None) -> PlanRules:
    from tohip.kb.loader import default_directory

    return read_plan_rules(Path(kb_directory) if kb_directory else default_directory())
