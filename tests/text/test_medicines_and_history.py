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
}


def _rule_ids() -> set[str]:
    return {r.id for r in load_plan_rules().safety}


def test_the_table_names_real_rules() -> None:
    assert set(RULE_NOTES) <= _rule_ids(), set(RULE_NOTES) - _rule_ids()


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
