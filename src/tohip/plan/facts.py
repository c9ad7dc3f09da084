"""Facts: the named values that plan, safety and follow-up rules are written over.

A fact is ``None`` when the case does not say. Names are the vocabulary of the rules' ``when``
conditions; ``tohip kb check`` rejects a rule that names a fact not listed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from tohip.case.derive import NOT_PREGNANT_FROM_AGE, weeks_since_onset
from tohip.case.schema import Case, PregnancyStatus
from tohip.conditions import CONDITION_IDS
from tohip.plan.rules import DrugClass, PlanRules, SafetyRule, When

# Lower bound of gestational age for a trimester given without weeks (weeks 0-13, 14-27, 28+).
TRIMESTER_FIRST_WEEK = {1: 0.0, 2: 14.0, 3: 28.0}
CHILDBEARING_UNTIL = NOT_PREGNANT_FROM_AGE

CASE_FACTS: dict[str, str] = {
    "age": "age in years",
    "sex": "male | female",
    "pregnant": "pregnant now",
    "gestational_weeks": "weeks of pregnancy (lower bound when only the trimester is known)",
    "postpartum": "delivered within the case's postpartum window",
    "could_be_pregnant": "female of child-bearing age (14-54, or age unknown)",
    "lactating": "breastfeeding",
    "egfr": "eGFR, mL/min/1.73m2",
    "calcium": "adjusted calcium, mmol/L",
    "vitamin_d": "25-OH vitamin D, nmol/L",
    "allergies": "drug classes the patient is allergic to (set)",
    "medications": "drug classes the patient takes (set)",
    "allergies_recorded": "allergies were recorded (an empty list counts)",
    "medications_recorded": "current medicines were recorded (an empty list counts)",
    "weeks_since_onset": "weeks from symptom onset to the assessment",
    "side": "left | right | bilateral",
    "alcohol_excess": "history.alcohol_excess",
    "malignancy": "history.malignancy",
    "corticosteroids": "history.corticosteroids",
    "peptic_ulcer_or_gi_bleed": "history.peptic_ulcer_or_gi_bleed",
    "heart_failure": "history.heart_failure",
    "oesophageal_disorder": "history.oesophageal_disorder",
    "skeletal_radiation": "history.skeletal_radiation",
    "paget_disease": "history.paget_disease",
    "running_or_military_training": "history.running_or_military_training",
    "alp": "alkaline phosphatase, U/L",
    "gram_stain_positive": "joint fluid Gram stain shows organisms",
    "culture_positive": "joint fluid or bone culture grew an organism",
    "synovial_wbc": "synovial white cells, cells/uL",
    "sepsis_signs": (
        "two SIRS criteria from the fields a case holds: temperature >= 38.0 or < 36.0 degC "
        "and blood white cells > 12 or < 4 x10^9/L (heart and breathing rates are not recorded)"
    ),
    "mri_addresses_necrosis": (
        "an MRI of this hip reports on a necrotic segment and on a subchondral line (or is "
        "normal), or a follow-up MRI shows the edema resolved"
    ),
    "diagnostic_imaging": "any X-ray, MRI, CT or bone scan of this hip is recorded",
}
# Facts from the assessment (the differential), for rules that depend on what is still possible.
ASSESSMENT_FACTS: dict[str, str] = {
    f"probability.{c}": f"probability of {c} in the assessment" for c in CONDITION_IDS
}
VISIT_FACTS: dict[str, str] = {
    "visit.weeks_after_onset": "weeks from symptom onset to the visit",
    "visit.pain": "pain score 0-10 at the visit",
    "visit.pain_trend": "worse | same | better | resolved (given, or from the pain scores)",
    "visit.new_joint_pain": "new pain in another joint",
    "visit.sudden_pain_increase": "sudden increase in hip pain",
    "visit.unable_to_bear_weight": "cannot bear weight",
    "visit.fever": "fever since the last visit",
    "visit.fracture_line": "new fracture line on imaging",
    "visit.collapse": "femoral head collapse or crescent sign on imaging",
    "visit.edema_resolving": "marrow edema smaller than before on MRI",
    "visit.delivered": "the baby has been born",
    "visit.postpartum_weeks": "weeks since delivery",
    "visit.past_expected_peak": "the visit is after the course's expected peak of pain",
    "visit.past_reconsider_point": "the visit is after the point to reconsider the diagnosis",
    "visit.past_postpartum_window": "pregnancy-associated, and past the usual postpartum recovery",
}
KNOWN_FACTS = {**CASE_FACTS, **ASSESSMENT_FACTS, **VISIT_FACTS}


def _normal(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


def drug_classes_of(names: Iterable[str], drugs: Iterable[DrugClass]) -> tuple[set[str], list[str]]:
    """The drug classes a list of medicine or allergy names belong to, and the unmatched names."""
    index = {_normal(n): d.id for d in drugs for n in [d.id, d.label, *d.names]}
    classes: set[str] = set()
    unmatched: list[str] = []
    for name in names:
        found = index.get(_normal(name))
        if found is None:
            unmatched.append(name)
        else:
            classes.add(found)
    return classes, unmatched


def case_facts(case: Case, rules: PlanRules) -> dict[str, Any]:
    """Every case fact; None where the case does not say."""
    patient, history, labs = case.patient, case.history, case.labs
    preg = patient.pregnancy
    pregnant = None if preg is None else preg.status == PregnancyStatus.PREGNANT
    weeks = None
    if preg is not None and pregnant:
        weeks = preg.gestational_weeks
        if weeks is None and preg.trimester is not None:
            weeks = TRIMESTER_FIRST_WEEK[preg.trimester]
    female = patient.sex == "female"
    if patient.sex == "male":
        pregnant = False
    could_be = None
    if patient.sex is not None:
        could_be = female and (patient.age is None or 14 <= patient.age < CHILDBEARING_UNTIL)
    allergies, _ = drug_classes_of(patient.allergies or [], rules.drugs)
    medicines, _ = drug_classes_of(patient.medications or [], rules.drugs)
    return {
        "age": patient.age,
        "sex": patient.sex,
        "pregnant": pregnant,
        "gestational_weeks": weeks,
        "postpartum": None if preg is None else preg.status == PregnancyStatus.POSTPARTUM,
        "could_be_pregnant": could_be,
        "lactating": False if patient.sex == "male" else patient.lactating,
        "egfr": labs.egfr,
        "calcium": labs.calcium,
        "vitamin_d": labs.vitamin_d,
        "allergies": allergies if patient.allergies is not None else None,
        "medications": medicines if patient.medications is not None else None,
        "allergies_recorded": patient.allergies is not None,
        "medications_recorded": patient.medications is not None,
        "weeks_since_onset": weeks_since_onset(case),
        "side": case.symptoms.side,
        "alcohol_excess": history.alcohol_excess,
        "malignancy": history.malignancy,
        "corticosteroids": history.corticosteroids,
        "peptic_ulcer_or_gi_bleed": history.peptic_ulcer_or_gi_bleed,
        "heart_failure": history.heart_failure,
        "oesophageal_disorder": history.oesophageal_disorder,
        "skeletal_radiation": history.skeletal_radiation,
        "paget_disease": history.paget_disease,
        "running_or_military_training": history.running_or_military_training,
        "alp": labs.alp,
        "gram_stain_positive": None if labs.gram_stain is None else labs.gram_stain == "positive",
        "culture_positive": (
            None if labs.joint_fluid_culture is None else labs.joint_fluid_culture == "positive"
        ),
        "synovial_wbc": labs.synovial_wbc,
        "sepsis_signs": _sepsis_signs(case),
        "mri_addresses_necrosis": _mri_addresses_necrosis(case),
        "diagnostic_imaging": any(
            s is not None for s in (case.imaging.xray, case.imaging.mri, case.imaging.ct)
        )
        or case.imaging.bone_scan is not None
        or bool(case.imaging.followup),
    }


SIRS_FEVER, SIRS_HYPOTHERMIA = 38.0, 36.0
SIRS_WBC_HIGH, SIRS_WBC_LOW = 12.0, 4.0


def _sepsis_signs(case: Case) -> bool | None:
    """Two SIRS criteria from temperature and white count (Bone 1992): the only sepsis signs a
    case records. A fever stated in words ("febrile", "afebrile") stands in for the temperature
    when none was measured. None when either is missing."""
    temp, wbc = case.labs.temperature, case.labs.wbc
    if temp is not None:
        abnormal_temperature: bool | None = temp >= SIRS_FEVER or temp < SIRS_HYPOTHERMIA
    else:
        abnormal_temperature = case.symptoms.fever
    if abnormal_temperature is None or wbc is None:
        return None
    return abnormal_temperature and (wbc > SIRS_WBC_HIGH or wbc < SIRS_WBC_LOW)


def _mri_addresses_necrosis(case: Case) -> bool:
    mri = case.imaging.mri
    if mri is not None and (
        mri.normal
        or (mri.necrotic_segment is not None and mri.subchondral_fracture_line is not None)
    ):
        return True
    return any(s.modality == "mri" and s.edema == "resolved" for s in case.imaging.followup)


def plan_facts(case: Case, probabilities: dict[str, float], rules: PlanRules) -> dict[str, Any]:
    """The case facts and the assessment's probabilities (``probability.<condition>``)."""
    facts = case_facts(case, rules)
    facts.update({f"probability.{c}": p for c, p in probabilities.items()})
    return facts


def _test(when: When, value: Any) -> bool:
    if value is None:
        return when.if_unknown
    if when.includes is not None:
        return when.includes in value
    if when.in_ is not None:
        return value in when.in_
    if when.at_least is not None:
        return float(value) >= when.at_least
    if when.below is not None:
        return float(value) < when.below
    return bool(value == when.is_)


def holds(when: When, facts: dict[str, Any]) -> bool:
    """Whether a condition is true of the facts (unknown facts: see ``if_unknown``)."""
    if when.fact is not None:
        return _test(when, facts.get(when.fact))
    if when.all is not None:
        return all(holds(part, facts) for part in when.all)
    if when.any is not None:
        return any(holds(part, facts) for part in when.any)
    assert when.not_ is not None
    return not holds(when.not_, facts)


def firing_safety_rules(
    tags: Iterable[str], rules: PlanRules, facts: dict[str, Any]
) -> list[SafetyRule]:
    """The safety rules that apply to something carrying these tags and fire for these facts."""
    wanted = set(tags)
    return [r for r in rules.safety if wanted & set(r.applies_to) and holds(r.when, facts)]
