"""Pydantic shapes at the registry's boundary: ``*Create``/``*Update`` validate what comes in,
``*Public`` is what goes out. Public shapes never carry direct identifiers, except
``IdentityPublic``, which is only produced on an explicit, audited request."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tohip.registry.vocab import (
    DIAGNOSES,
    Confirmation,
    ImagingModality,
    ImagingResult,
    Joint,
    RecurrenceSite,
    Role,
    Sex,
    Side,
    Treatment,
    WeightBearing,
)

EARLIEST_DATE = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class Actor:
    """Who is acting, for the audit log: a user name and the role they act in."""

    name: str
    role: Role = Role.CLINICIAN


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


def _not_future(value: dt.date | None, what: str) -> dt.date | None:
    if value is not None and value > dt.date.today():
        raise ValueError(f"{what} {value} is in the future")
    if value is not None and value < EARLIEST_DATE:
        raise ValueError(f"{what} {value} is before {EARLIEST_DATE}")
    return value


class IdentityCreate(_In):
    """Direct identifiers, kept in their own table and never exported. All optional."""

    full_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    mrn: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    date_of_birth: dt.date | None = None

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, value: dt.date | None) -> dt.date | None:
        return _not_future(value, "date of birth")


class PatientCreate(_In):
    sex: Sex | None = None
    identity: IdentityCreate = IdentityCreate()
    synthetic: bool = False


class EpisodeCreate(_In):
    """One episode of hip (or migrated) pain, from its onset."""

    joint: Joint = Joint.HIP
    side: Side
    onset_date: dt.date
    age_at_onset: int | None = Field(default=None, ge=0, le=120)
    pregnancy_associated: bool = False
    treatment: Treatment = Treatment.CONSERVATIVE

    @field_validator("onset_date")
    @classmethod
    def _onset(cls, value: dt.date) -> dt.date:
        _not_future(value, "onset date")
        return value


class EpisodeUpdate(_In):
    """Changes to an episode; ``expected_version`` is the version the editor last saw."""

    expected_version: int = Field(ge=1)
    treatment: Treatment | None = None
    side: Side | None = None
    joint: Joint | None = None
    pregnancy_associated: bool | None = None


class VisitCreate(_In):
    visit_date: dt.date
    pain_score: int = Field(ge=0, le=10, strict=True, description="0 none - 10 worst")
    weight_bearing: WeightBearing
    imaging_modality: ImagingModality = ImagingModality.NONE
    imaging_result: ImagingResult = ImagingResult.NOT_DONE

    @field_validator("visit_date")
    @classmethod
    def _date(cls, value: dt.date) -> dt.date:
        _not_future(value, "visit date")
        return value

    @model_validator(mode="after")
    def _imaging(self) -> VisitCreate:
        none = self.imaging_modality == ImagingModality.NONE
        not_done = self.imaging_result == ImagingResult.NOT_DONE
        if none and not not_done:
            raise ValueError("an imaging result needs an imaging modality")
        if not none and not_done:
            raise ValueError(f"give the result of the {self.imaging_modality.value} study")
        return self


def _known_diagnosis(value: str) -> str:
    if value in DIAGNOSES:
        return value
    close = difflib.get_close_matches(value, DIAGNOSES, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(DIAGNOSES)}"
    raise ValueError(f"unknown diagnosis id '{value}'{hint}")


class OutcomeCreate(_In):
    """How the episode ended. Dates are checked against the onset by ``crud``."""

    final_diagnosis: str
    confirmed_by: Confirmation
    resolution_date: dt.date | None = None
    recurrence_date: dt.date | None = None
    recurrence_site: RecurrenceSite | None = None

    @field_validator("final_diagnosis")
    @classmethod
    def _diagnosis(cls, value: str) -> str:
        return _known_diagnosis(value)

    @field_validator("resolution_date", "recurrence_date")
    @classmethod
    def _dates(cls, value: dt.date | None) -> dt.date | None:
        return _not_future(value, "date")

    @model_validator(mode="after")
    def _recurrence(self) -> OutcomeCreate:
        if (self.recurrence_date is None) != (self.recurrence_site is None):
            raise ValueError("give the recurrence date and site together")
        if self.recurrence_date and self.resolution_date is None:
            raise ValueError("a recurrence needs the resolution date of this episode")
        if (
            self.recurrence_date
            and self.resolution_date
            and (self.recurrence_date <= self.resolution_date)
        ):
            raise ValueError(
                f"recurrence {self.recurrence_date} is not after resolution {self.resolution_date}"
            )
        return self


# ---------------------------------------------------------------------------- output


class VisitPublic(_Out):
    id: int
    visit_date: dt.date
    pain_score: int
    weight_bearing: str
    imaging_modality: str
    imaging_result: str


class OutcomePublic(_Out):
    final_diagnosis: str
    confirmed_by: str
    resolution_date: dt.date | None
    recurrence_date: dt.date | None
    recurrence_site: str | None
    version: int


class AssessmentPublic(_Out):
    id: int
    assessed_at: dt.datetime
    input_kind: str
    input_sha256: str
    top_condition: str
    top_probability: float
    probabilities: dict[str, float]
    kb_version: str
    tool_version: str


class EpisodePublic(_Out):
    id: int
    joint: str
    side: str
    onset_date: dt.date
    age_at_onset: int | None
    pregnancy_associated: bool
    treatment: str
    version: int
    assessments: list[AssessmentPublic]
    visits: list[VisitPublic]
    outcome: OutcomePublic | None


class IdentityPublic(_Out):
    full_name: str | None
    mrn: str | None
    date_of_birth: dt.date | None


class PatientPublic(_Out):
    pseudonym: str
    sex: str | None
    synthetic: bool
    created_at: dt.datetime
    episodes: list[EpisodePublic]
    identifiers: IdentityPublic | None = None


class PatientSummary(_Out):
    pseudonym: str
    sex: str | None
    synthetic: bool
    episodes: int
    last_onset: dt.date | None
    open_episodes: int


class PatientList(_Out):
    data: list[PatientSummary]
    count: int


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")
