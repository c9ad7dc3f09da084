"""Pydantic models of the knowledge-base files. Loading validates shape; ``checks`` validates
cross-references and probabilities, so that every problem is reported with its path."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Basis = Literal["literature", "literature_informed_estimate", "expert_estimate"]
Availability = Literal["ok", "prefer_alternative", "avoid"]
BINARY_STATES: tuple[str, str] = ("present", "absent")


class _Strict(BaseModel):
    # defer_build: each model's validator is built when first used, not when tohip is imported
    # (start-up of `tohip assess`, issue 9; BENCHMARKS.md, start-up, session 6)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Strict):
    """A citation: a key into references.yaml plus what it supports."""

    ref: str
    note: str | None = None


class Reference(_Strict):
    id: str
    kind: Literal[
        "seed",
        "article",
        "review",
        "guideline",
        "classification",
        "case_report",
        "expert",
        "regulatory",  # a medicine's label or a regulator's safety communication
    ]
    citation: str
    seed_file: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None

    @model_validator(mode="after")
    def _seed_has_file(self) -> Reference:
        if self.kind == "seed" and not self.seed_file:
            raise ValueError("a seed reference needs seed_file")
        return self


class Manifest(_Strict):
    title: str
    version: str
    schema_version: Literal[1]
    population: str
    disclaimer: str


class Code(_Strict):
    code: str
    display: str


class Codes(_Strict):
    icd10cm: list[Code]
    snomed_ct: list[Code] | None = None


class NaturalHistory(_Strict):
    summary: str
    resolution_months: dict[Literal["min", "max"], float] | None = None
    sources: list[Source] = Field(min_length=1)


class Condition(_Strict):
    id: str
    label: str
    synonyms: list[str]
    prior: float = Field(gt=0, lt=1)
    must_not_miss: bool
    alert_threshold: float | None = Field(default=None, gt=0, lt=1)
    alert_min_rise: float = Field(
        default=1.0,
        ge=1.0,
        description="The alert fires only when the findings raised the probability at least this "
        "many times above the patient prior, so that the prior alone never alarms",
    )
    codes: Codes
    natural_history: NaturalHistory


class ConditionsFile(_Strict):
    prior_basis: Basis
    prior_sources: list[Source] = Field(min_length=1)
    conditions: list[Condition]


class Band(_Strict):
    """Numbers below ``below`` (and not caught by an earlier band) take ``state``."""

    state: str
    below: float | None = None


class Observe(_Strict):
    """How a finding is read from a structured case.

    Either one ``field`` (with optional ``bands`` for numbers or ``values`` for enums) or several
    ``inputs`` combined with ``combine: worst`` (the state furthest down the finding's state
    list wins, e.g. CRP normal + ESR markedly raised -> markedly raised).
    """

    field: str | None = None
    bands: list[Band] | None = None
    values: dict[str, str | list[str]] | None = None  # a list: any of these states (coarse)
    inputs: list[Observe] | None = None
    combine: Literal["worst"] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Observe:
        if (self.field is None) == (self.inputs is None):
            raise ValueError("give exactly one of field or inputs")
        if self.inputs is not None and self.combine is None:
            raise ValueError("inputs need combine")
        return self


Likelihood = float | dict[str, float]


class TimeWindow(_Strict):
    weeks: tuple[float, float]
    likelihood: dict[str, Likelihood]
    note: str
    sources: list[Source] = Field(min_length=1)


class Given(_Strict):
    """Likelihood rows that apply when another finding was observed in one of ``states``: the
    chain rule, P(x, y | c) = P(y | c) P(x | y, c), for findings that travel together within
    a condition (e.g. the onset of osteoarthritis once the head has collapsed is that of its
    rapidly progressive form). Conditions not listed keep the finding's own rows."""

    finding: str
    states: list[str] = Field(min_length=1)
    likelihood: dict[str, Likelihood]
    note: str
    sources: list[Source] = Field(min_length=1)


class Finding(_Strict):
    id: str
    label: str
    category: Literal[
        "demographics",
        "history",
        "symptoms",
        "exam",
        "labs",
        "xray",
        "mri",
        "bone_scan",
        "ct",
        "ultrasound",
        "followup",
        "imaging",  # read from several studies at once
    ]
    states: list[str] | None = None
    observe: Observe
    normal_when: str | None = None
    normal_state: str | None = None
    time_reference: str | None = None
    group: str | None = None
    weight: float = Field(default=1.0, gt=0, le=1)
    likelihood: dict[str, Likelihood]
    time_windows: list[TimeWindow] = []
    given: list[Given] = []
    basis: Basis
    sources: list[Source] = Field(min_length=1)

    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(self.states) if self.states else BINARY_STATES

    @property
    def is_binary(self) -> bool:
        return self.states is None

    @staticmethod
    def distribution(row: Likelihood) -> dict[str, float]:
        """A likelihood row as P(state); a binary row's number is P(present)."""
        if isinstance(row, dict):
            return row
        return {"present": float(row), "absent": 1.0 - float(row)}


class FindingsFile(_Strict):
    findings: list[Finding]


class Expression(_Strict):
    """A red-flag condition over observed finding states (see red_flags.yaml)."""

    finding: str | None = None
    is_: str | None = Field(default=None, alias="is")
    in_: list[str] | None = Field(default=None, alias="in")
    unknown: bool | None = None
    all: list[Expression] | None = None
    any: list[Expression] | None = None
    not_: Expression | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Expression:
        forms = [
            self.finding is not None,
            self.all is not None,
            self.any is not None,
            self.not_ is not None,
        ]
        if sum(forms) != 1:
            raise ValueError("an expression is exactly one of finding/all/any/not")
        if self.finding is not None:
            tests = [self.is_ is not None, self.in_ is not None, self.unknown is not None]
            if sum(tests) != 1:
                raise ValueError("a finding test needs exactly one of is/in/unknown")
        return self


class RedFlag(_Strict):
    id: str
    condition: str
    urgency: Literal["emergency", "urgent"]
    label: str
    action: str
    when: Expression
    sources: list[Source] = Field(min_length=1)


class RedFlagsFile(_Strict):
    red_flags: list[RedFlag]


class OfferWhen(_Strict):
    any_condition_at_least: dict[str, float] = {}
    any_red_flag: list[str] = []


class Investigation(_Strict):
    id: str
    label: str
    done_when: str
    yields: list[str] = Field(min_length=1)
    burden: float = Field(gt=0)
    ionising: bool
    pregnancy: Availability
    pregnancy_note: str | None = None
    lactation: Availability
    offer_when: OfferWhen | None = None
    not_after: list[str] = Field(
        default=[],
        description="Investigations that make this one low-yield once done (no bone scan "
        "after a diagnostic MRI)",
    )
    not_for_alone: list[str] = Field(
        default=[],
        description="Findings that alone do not justify the test: it is offered only when "
        "its other findings are informative enough (no X-ray only to show osteopenia)",
    )
    sources: list[Source] = Field(min_length=1)


class InvestigationsFile(_Strict):
    investigations: list[Investigation]


class Statement(_Strict):
    id: str
    conditions: list[str]
    topic: Literal[
        "definition",
        "epidemiology",
        "aetiology",
        "presentation",
        "laboratory",
        "imaging",
        "natural_history",
        "complications",
        "differential",
        "management",
        "background",
    ]
    text: str
    sources: list[Source] = Field(min_length=1)


class StatementsFile(_Strict):
    statements: list[Statement]


class ReferencesFile(_Strict):
    references: list[Reference]

    @model_validator(mode="after")
    def _ids_unique(self) -> ReferencesFile:
        """A repeated id would silently keep only its last entry when sources are looked up."""
        counts = Counter(r.id for r in self.references)
        repeated = sorted(rid for rid, n in counts.items() if n > 1)
        if repeated:
            raise ValueError(f"duplicate reference ids: {', '.join(repeated)}")
        return self
