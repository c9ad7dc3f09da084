"""Values the knowledge base reads from a case: dotted paths (``labs.crp``) and the few derived
quantities (``derived.weeks_since_onset``) that need more than one field."""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from tohip.case.schema import Case, FollowUpStudy, PregnancyStatus, Sex, Site

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


@dataclass(frozen=True)
class AtLeast:
    """A number known only as a lower bound ("at least 6 weeks")."""

    value: float


def duration_at_presentation(case: Case) -> float | AtLeast | None:
    """Weeks from onset to when the patient presented, so that re-assessing the same case later
    does not lengthen the history: the stated duration, else onset to ``presentation_date``,
    else onset to the assessment date, else the lower bound ``duration_weeks_at_least``."""
    symptoms = case.symptoms
    if symptoms.duration_weeks is not None:
        return symptoms.duration_weeks
    if symptoms.onset_date is not None:
        end = symptoms.presentation_date or reference_date(case)
        return (end - symptoms.onset_date).days / 7.0
    if symptoms.duration_weeks_at_least is not None:
        return AtLeast(symptoms.duration_weeks_at_least)
    return None


def weeks_at_study(case: Case, modality: str) -> float | None:
    """Weeks from symptom onset to the given imaging study; an undated study is taken to be
    from the presentation (so re-assessing later does not age it), else the case's time."""
    study = getattr(case.imaging, modality, None)
    if study is not None:
        weeks: float | None = study.weeks_after_onset
        if weeks is not None:
            return float(weeks)
        if study.date is not None and case.symptoms.onset_date is not None:
            return float((study.date - case.symptoms.onset_date).days) / 7.0
    at_presentation = duration_at_presentation(case)
    if isinstance(at_presentation, float | int):
        return float(at_presentation)
    return weeks_since_onset(case)


def pregnancy_state(case: Case) -> frozenset[str] | None:
    """The pregnancy finding's possible states; None when not applicable or unknown."""
    patient = case.patient
    if patient.sex != Sex.FEMALE:
        return None
    preg = patient.pregnancy
    past_childbearing = patient.age is not None and patient.age >= NOT_PREGNANT_FROM_AGE
    if preg is None or preg.status == PregnancyStatus.NOT_PREGNANT:
        # From 55 "not pregnant" says nothing the age band has not said already: observing it
        # would cut transient osteoporosis a second time (issue 10, section 2).
        if preg is None or past_childbearing:
            return None
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


# Upper reference limits of the ESR (mm/h, Westergren). Outside pregnancy: age/2 for men and
# (age + 10)/2 for women (Miller 1983), not below 20 (the fixed limit used before). In pregnancy
# the 95% range for non-anaemic women is 18-48 in the first half and 30-70 in the second half
# (van den Broek 2001).
ESR_FLOOR = 20.0
ESR_PREGNANT_FIRST_HALF = 48.0
ESR_PREGNANT_SECOND_HALF = 70.0
HALF_OF_PREGNANCY_WEEK = 20


def esr_upper_limit(case: Case) -> float:
    patient = case.patient
    preg = patient.pregnancy
    if preg is not None and preg.status == PregnancyStatus.PREGNANT:
        weeks = preg.gestational_weeks
        if weeks is None and preg.trimester is not None:
            weeks = {1: 0.0, 2: 14.0, 3: 28.0}[preg.trimester]
        if weeks is not None and weeks < HALF_OF_PREGNANCY_WEEK:
            return ESR_PREGNANT_FIRST_HALF
        return ESR_PREGNANT_SECOND_HALF  # unknown gestation: the wider range
    if patient.age is None:
        return ESR_FLOOR
    offset = 10.0 if patient.sex == Sex.FEMALE else 0.0
    return max(ESR_FLOOR, (patient.age + offset) / 2.0)


def esr_relative(case: Case) -> float | None:
    """The ESR as a multiple of the upper limit for this patient's age, sex and pregnancy."""
    if case.labs.esr is None:
        return None
    return case.labs.esr / esr_upper_limit(case)


def alp_outside_pregnancy(case: Case) -> float | None:
    """ALP, except in pregnancy and the first postpartum weeks, where placental ALP raises it
    physiologically and a raised value says nothing about the hip."""
    preg = case.patient.pregnancy
    if preg is not None and preg.status != PregnancyStatus.NOT_PREGNANT:
        return None
    return case.labs.alp


def _followup_in_order(case: Case) -> list[FollowUpStudy]:
    """Follow-up studies oldest first (by weeks after onset or date; undated ones keep their
    place in the list)."""
    onset = case.symptoms.onset_date

    def weeks(index: int, study: FollowUpStudy) -> tuple[float, int]:
        if study.weeks_after_onset is not None:
            return study.weeks_after_onset, index
        if study.date is not None and onset is not None:
            return (study.date - onset).days / 7.0, index
        return float(index), index

    ordered = sorted(enumerate(case.imaging.followup), key=lambda item: weeks(*item))
    return [study for _, study in ordered]


def followup_edema(case: Case) -> str | None:
    """How the marrow edema changed on the latest follow-up MRI that says (a follow-up MRI
    reported normal counts as resolved)."""
    course: str | None = None
    for study in _followup_in_order(case):
        if study.modality != "mri":
            continue
        if study.edema is not None:
            course = str(study.edema)
        elif study.normal:
            course = "resolved"
    return course


def _any_followup(case: Case, *fields: str) -> bool | None:
    """True when any follow-up study shows one of ``fields``; False when a follow-up study
    says they are absent (or is normal); None when none says."""
    seen: bool | None = None
    for study in case.imaging.followup:
        values = [getattr(study, f) for f in fields]
        if any(v is True for v in values):
            return True
        if study.normal or any(v is False for v in values):
            seen = False
    return seen


def followup_band_or_collapse(case: Case) -> bool | None:
    return _any_followup(case, "necrotic_segment_or_band", "collapse")


def followup_fracture_line(case: Case) -> bool | None:
    return _any_followup(case, "fracture_line")


# Vande Berg 1999: on T2-weighted MRI a subchondral low-signal area at least 4 mm thick or
# 12.5 mm long predicted an irreversible lesion (osteonecrosis or collapsing fracture).
IRREVERSIBLE_BAND_THICKNESS_MM = 4.0
IRREVERSIBLE_BAND_LENGTH_MM = 12.5


def band_irreversible(case: Case) -> bool | None:
    mri = case.imaging.mri
    if mri is None:
        return None
    thick, long = mri.subchondral_band_thickness_mm, mri.subchondral_band_length_mm
    if thick is None and long is None:
        return None
    return bool(
        (thick is not None and thick >= IRREVERSIBLE_BAND_THICKNESS_MM)
        or (long is not None and long >= IRREVERSIBLE_BAND_LENGTH_MM)
    )


def ct_destructive(case: Case) -> bool | None:
    ct = case.imaging.ct
    if ct is None:
        return None
    values = [ct.lytic_lesion, ct.cortical_destruction]
    if any(v is True for v in values):
        return True
    if ct.normal or any(v is False for v in values):
        return False
    return None


def edema_acetabulum_only(case: Case) -> bool | None:
    """True when the MRI places the marrow signal in the acetabulum alone.

    Femoral head and neck signal is already carried by ``edema_pattern``; only the one
    extent that pattern cannot express (socket, no femoral site) is returned, so the two
    never count the same signal twice. Otherwise unknown (None), never False.
    """
    mri = case.imaging.mri
    if mri is None or not mri.sites:
        return None
    return True if set(mri.sites) == {Site.ACETABULUM} else None


def is_pregnant(case: Case) -> bool:
    preg = case.patient.pregnancy
    return preg is not None and preg.status == PregnancyStatus.PREGNANT


DERIVED: dict[str, Callable[[Case], Any]] = {
    "weeks_since_onset": weeks_since_onset,
    "duration_at_presentation": duration_at_presentation,
    "pregnancy_state": pregnancy_state,
    "esr_relative": esr_relative,
    "alp_outside_pregnancy": alp_outside_pregnancy,
    "followup_edema": followup_edema,
    "followup_band_or_collapse": followup_band_or_collapse,
    "followup_fracture_line": followup_fracture_line,
    "band_irreversible": band_irreversible,
    "ct_destructive": ct_destructive,
    "edema_acetabulum_only": edema_acetabulum_only,
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
