"""Values the knowledge base reads from a case: dotted paths (``labs.crp``) and the few derived
quantities (``derived.weeks_since_onset``) that need more than one field."""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from tohip.case.schema import Case, PregnancyStatus, Sex

# Women at or above this age with no pregnancy information are taken as not pregnant.
NOT_PREGNANT_FROM_AGE = 55
THIRD_TRIMESTER_FROM_WEEK = 28
POSTPARTUM_WINDOW_WEEKS = 26


def reference_date(case: Case) -> dt.date:
    """The date the case describes: its assessment date, or today when none is given."""
    return case.assessment_date or dt.date.today()


def weeks_since_onset(case: Case) -> float | None:
    if case.symptoms.duration_weeks is not None:
        return case.symptoms.duration_weeks
    if case.symptoms.onset_date is not None:
        return (reference_date(case) - case.symptoms.onset_date).days / 7.0
    return None


def weeks_at_study(case: Case, modality: str) -> float | None:
    """Weeks from symptom onset to the given imaging study (falls back to the case's time)."""
    study = getattr(case.imaging, modality, None)
    if study is not None:
        weeks: float | None = study.weeks_after_onset
        if weeks is not None:
            return float(weeks)
        if study.date is not None and case.symptoms.onset_date is not None:
            return float((study.date - case.symptoms.onset_date).days) / 7.0
    return weeks_since_onset(case)


def pregnancy_state(case: Case) -> frozenset[str] | None:
    """The pregnancy finding's possible states; None when not applicable or unknown."""
    patient = case.patient
    if patient.sex != Sex.FEMALE:
        return None
    preg = patient.pregnancy
    if preg is None:
        if patient.age is not None and patient.age >= NOT_PREGNANT_FROM_AGE:
            return frozenset({"not_pregnant"})
        return None
    if preg.status == PregnancyStatus.NOT_PREGNANT:
        return frozenset({"not_pregnant"})
    if preg.status == PregnancyStatus.POSTPARTUM:
        if preg.postpartum_weeks is not None and preg.postpartum_weeks > POSTPARTUM_WINDOW_WEEKS:
            return frozenset({"not_pregnant"})
        return frozenset({"postpartum"})
    if preg.trimester is not None:
        return frozenset({"pregnant_third_trimester" if preg.trimester == 3 else "pregnant_early"})
    if preg.gestational_weeks is not None:
        late = preg.gestational_weeks >= THIRD_TRIMESTER_FROM_WEEK
        return frozenset({"pregnant_third_trimester" if late else "pregnant_early"})
    return frozenset({"pregnant_early", "pregnant_third_trimester"})


def is_pregnant(case: Case) -> bool:
    preg = case.patient.pregnancy
    return preg is not None and preg.status == PregnancyStatus.PREGNANT


DERIVED: dict[str, Callable[[Case], Any]] = {
    "weeks_since_onset": weeks_since_onset,
    "pregnancy_state": pregnancy_state,
}


def value_at(case: Case, path: str) -> Any:
    """The value at a dotted path, or None when any part of it is unknown."""
    head, _, rest = path.partition(".")
    if head == "derived":
        return DERIVED[rest](case)
    node: Any = case
    for part in path.split("."):
        node = getattr(node, part, None)
        if node is None:
            return None
    return node


def _unwrap(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def is_valid_path(path: str) -> bool:
    """True when ``path`` names a field of the case model (or a derived value)."""
    head, _, rest = path.partition(".")
    if head == "derived":
        return rest in DERIVED
    model: Any = Case
    for part in path.split("."):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return False
        field = model.model_fields.get(part)
        if field is None:
            return False
        model = _unwrap(field.annotation)
    return True
