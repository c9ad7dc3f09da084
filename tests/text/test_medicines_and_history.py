"""Past history, medicines and allergies read from notes, each fact in two styles (a list under a
header, and running text), and every safety rule that depends on them firing from the note."""

from __future__ import annotations

import pytest

from tohip.plan.facts import case_facts, firing_safety_rules
from tohip.plan.rules import load_plan_rules
from tohip.text.extract import extract_text

# (safety rule id, two notes that state its fact in different styles)
RULE_NOTES = {
    "oral_bisphosphonate_oesophagus": [
        "PMH: T2DM, oesophageal stricture (dilated 2019).",
        "Background of achalasia, otherwise well.",
    ],
    "teriparatide_osteosarcoma_risk": [
        "PMH: osteosarcoma of the tibia aged 16, treated.",
        "She had pelvic radiotherapy for cervical cancer in 2012.",
        "Known Paget's disease of the pelvis.",
    ],
    "nsaid_peptic_ulcer": [
        "PMH:\n- duodenal ulcer 2015\n- hypertension",
        "Previous upper GI bleed on aspirin.",
    ],
    "nsaid_heart_failure": [
        "PMH: CCF, AF.",
        "Known heart failure with reduced ejection fraction.",
    ],
    "nsaid_anticoagulant": [
        "DHx:\n- Apixaban 5 mg BD\n- Atorvastatin 20 mg ON",
        "He is currently on warfarin for AF.",
    ],
    "nsaid_allergy": [
        "Allergies: ibuprofen (bronchospasm)",
        "She is allergic to naproxen, which gives her a rash.",
    ],
    "bisphosphonate_allergy": [
        "Allergies: alendronate - severe oesophagitis",
        "Known allergy to zoledronic acid.",
    ],
    "paracetamol_allergy": [
        "Allergies: paracetamol (urticaria)",
        "He reports an allergy to acetaminophen.",
    ],
    "teriparatide_allergy": [
        "Allergies: teriparatide - anaphylaxis",
        "She is allergic to Forsteo.",
    ],
    "calcitonin_allergy": [
        "ALLERGIES: salmon calcitonin (rash)",
        "Documented allergy to calcitonin.",
    ],
    "nsaid_antiplatelet": [
        "Medications:\n- Clopidogrel 75 mg OD\n- Ramipril 5 mg OD",
        "He takes clopidogrel since his stent.",
    ],
    "nsaid_corticosteroid": [
        "DHx: prednisolone 10 mg od, omeprazole 20 mg od",
        "She is currently on prednisolone for polymyalgia.",
    ],
    "nsaid_lithium": [
        "Regular meds:\n- Lithium carbonate 400 mg nocte",
        "He is on lithium for bipolar disorder.",
    ],
    "nsaid_ras_blocker_or_diuretic": [
        "Drug history: ramipril 10 mg OD, amlodipine 5 mg OD",
        "She takes furosemide for ankle swelling.",
    ],
    "bisphosphonate_nephrotoxic_or_calcium_lowering": [
        "Current medications:\n- Bendroflumethiazide 2.5 mg OD",
        "He is on gentamicin for a urinary infection.",
    ],
    "calcium_levothyroxine": [
        "Meds: levothyroxine 100 mcg OD",
        "She takes thyroxine for hypothyroidism.",
    ],
    "paracetamol_alcohol": [
        "SH: drinks about 40 units of alcohol per week.",
        "History of alcohol excess.",
    ],
    "bisphosphonate_egfr_below_35": [
        "Bloods: eGFR 28, Ca 2.35.",
        "Known CKD with an eGFR of 25 mL/min.",
    ],
    "nsaid_egfr_below_30": [
        "Renal: CKD stage 4, eGFR 22.",
        "Bloods showed an eGFR of 18 mL/min/1.73m2.",
    ],
    "nsaid_egfr_below_60": [
        "U&E: Cr 130, eGFR 48.",
        "Her eGFR was 52 last month.",
    ],
}

# Facts taken from the history, medicines, allergies and renal function a note records.
HISTORY_FACTS = {
    "allergies", "medications", "alcohol_excess", "malignancy", "corticosteroids",
    "peptic_ulcer_or_gi_bleed", "heart_failure", "oesophageal_disorder", "skeletal_radiation",
    "paget_disease", "egfr",
}  # fmt: skip


def _facts_named(when: object) -> set[str]:
    if when is None:
        return set()
    names = {when.fact} if when.fact else set()  # type: ignore[attr-defined]
    for part in [*(when.all or []), *(when.any or []), when.not_]:  # type: ignore[attr-defined]
        names |= _facts_named(part)
    return names


def _rule_ids() -> set[str]:
    return {r.id for r in load_plan_rules().safety}


def test_the_table_names_real_rules() -> None:
    assert set(RULE_NOTES) <= _rule_ids(), set(RULE_NOTES) - _rule_ids()


def test_every_rule_on_history_medicines_or_allergies_is_tested_from_notes() -> None:
    """Issue 9: every safety rule that depends on what the history, medicines or allergies say
    must be shown to fire from a note; a new such rule without notes here fails this test.
    """
    rules = load_plan_rules()
    depending = {r.id for r in rules.safety if _facts_named(r.when) & HISTORY_FACTS}
    assert depending - set(RULE_NOTES) == set()


@pytest.mark.parametrize(
    ("rule_id", "text"), [(r, t) for r, texts in RULE_NOTES.items() for t in texts]
)
def test_safety_rule_fires_from_a_note(rule_id: str, text: str) -> None:
    rules = load_plan_rules()
    rule = next(r for r in rules.safety if r.id == rule_id)
    facts = case_facts(extract_text(text).case, rules)
    assert rule in firing_safety_rules(rule.applies_to, rules, facts), facts


@pytest.mark.parametrize("rule_id", sorted(RULE_NOTES))
def test_safety_rule_stays_silent_without_its_fact(rule_id: str) -> None:
    rules = load_plan_rules()
    rule = next(r for r in rules.safety if r.id == rule_id)
    facts = case_facts(extract_text("PMH: nil. NKDA. No regular medications.").case, rules)
    assert rule not in firing_safety_rules(rule.applies_to, rules, facts)


@pytest.mark.parametrize(
    ("text", "medications", "allergies"),
    [
        ("NKDA. No regular medications.", [], []),
        ("Meds: nil\nAllergies: nil", [], []),
        ("DHx:\n- Metformin 500mg BD\n- Zapotrol 20 mg nocte\nAllergies: penicillin (rash)",
         ["metformin", "zapotrol"], ["penicillin"]),
        ("Takes ibuprofen occasionally. She stopped prednisolone in 2020.", ["ibuprofen"], None),
    ],
)  # fmt: skip
def test_medicines_and_allergies(text: str, medications: object, allergies: object) -> None:
    patient = extract_text(text).case.patient
    assert patient.medications == medications
    assert patient.allergies == allergies


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("HIV positive on antiretroviral therapy.", "hiv"),
        ("Renal transplant 2015 on tacrolimus.", "organ_transplant"),
        ("Smoker, 20 pack-years.", "smoking"),
        ("CKD stage 4.", "ckd"),
        ("Known factor V Leiden.", "thrombophilia"),
        ("Amenorrhoea for 8 months; BMI 17.", "energy_deficiency"),
        ("Previous osteoporotic vertebral compression fracture.", "prior_fragility_fracture"),
    ],
)
def test_risk_factors_from_text(text: str, path: str) -> None:
    assert getattr(extract_text(text).case.history, path) is True
