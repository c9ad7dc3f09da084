"""Numbers and short forms: age, sex, pregnancy, durations, labs with units, laterality."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("42yo M with hip pain", 42, "male"),
        ("a 33-year-old woman with hip pain", 33, "female"),
        ("58 y/o male", 58, "male"),
        ("53F, acute hip pain", 53, "female"),
        ("Mrs K, 61, hip pain", 61, "female"),
        ("Patient is a 47 year old gentleman", 47, "male"),
    ],
)
def test_age_and_sex(read, text: str, age: float, sex: str) -> None:
    got = read(text)
    assert got["patient.age"] == age
    assert got["patient.sex"] == sex


def test_sex_from_pronouns_ignores_relatives(read) -> None:
    assert read("His mother had RA. He runs daily.")["patient.sex"] == "male"
    assert "patient.sex" not in read("MR hip: marrow oedema.")  # MR is the scan, not Mr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("G2P1 at 34 weeks with hip pain", {"status": "pregnant", "gestational_weeks": 34}),
        ("G1P0, 36/40, groin pain", {"status": "pregnant", "gestational_weeks": 36}),
        ("Third trimester, right hip pain", {"status": "pregnant", "trimester": 3}),
        ("Seen 6 weeks postpartum", {"status": "postpartum", "postpartum_weeks": 6}),
        ("She delivered 3 weeks ago; pain began in the last trimester",
         {"status": "postpartum", "postpartum_weeks": 3}),
    ],
)  # fmt: skip
def test_pregnancy(read, text: str, expected: dict[str, object]) -> None:
    got = read(text)
    for key, value in expected.items():
        assert got[f"patient.pregnancy.{key}"] == value
    assert got["patient.sex"] == "female"


def test_breastfeeding_and_not(read) -> None:
    assert read("8 weeks postpartum, breastfeeding")["patient.lactating"] is True
    assert read("Not breastfeeding.")["patient.lactating"] is False


def test_pregnancy_of_a_partner_is_not_the_patients() -> None:
    from tohip.text.extract import extract_text

    x = extract_text("45 year old man. His wife is pregnant.")
    assert x.case.patient.sex == "male"
    assert x.case.patient.pregnancy is None
    mention = next(e for e in x.evidence if e.text == "pregnant")
    assert mention.reason == "about a relative, not the patient"


def test_pregnancy_is_dropped_for_a_man_with_a_warning() -> None:
    from tohip.text.extract import extract_text

    x = extract_text("45 year old man, 20 weeks pregnant.")
    assert x.case.patient.sex == "male"
    assert x.case.patient.pregnancy is None
    assert any("male patient" in w for w in x.warnings)


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("hip pain for 3 weeks", 3.0),
        ("3/52 of R hip pain", 3.0),
        ("a 2 month history of hip pain", 8.7),
        ("hip pain, worsening over about 3 months", 13.0),
        ("sudden right hip pain 3 weeks ago", 3.0),
    ],
)
def test_duration(read, text: str, weeks: float) -> None:
    assert read(text)["symptoms.duration_weeks"] == pytest.approx(weeks, abs=0.1)


def test_durations_about_other_things_are_ignored(read) -> None:
    assert "symptoms.duration_weeks" not in read("Knee pain and swelling for the last fortnight.")
    assert "symptoms.duration_weeks" not in read("Weight loss of 6 kg over three months.")
    assert "symptoms.duration_weeks" not in read("She delivered 3 weeks ago.")


def test_since_a_month_uses_the_note_date(read) -> None:
    got = read("Left groin pain since March.", note_date=dt.date(2026, 5, 20))
    assert got["symptoms.onset_date"] == "2026-03-01"
    got = read("Left groin pain since November.", note_date=dt.date(2026, 5, 20))
    assert got["symptoms.onset_date"] == "2025-11-01"


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("CRP 4 mg/L", "labs.crp", 4.0),
        ("CRP 1.8 mg/dL", "labs.crp", 18.0),
        ("ESR 38 mm/hr", "labs.esr", 38.0),
        ("WBC 15,800 /uL", "labs.wbc", 15.8),
        ("WCC 12.4 x10^9/L", "labs.wbc", 12.4),
        ("temperature 101.2 F", "labs.temperature", 38.444),
        ("T 38.6, HR 90", "labs.temperature", 38.6),
        ("eGFR 48 mL/min/1.73m2", "labs.egfr", 48.0),
        ("25-OH vitamin D 12 ng/mL", "labs.vitamin_d", 29.952),
        ("Calcium 9.2 mg/dL", "labs.calcium", 2.295),
        ("Joint aspirate: 900 white cells/mm3", "labs.synovial_wbc", 900.0),
        ("Afebrile (36.4).", "labs.temperature", 36.4),
    ],
)
def test_labs_with_units(read, text: str, path: str, value: float) -> None:
    assert read(text)[path] == pytest.approx(value, rel=1e-3)


def test_lab_in_words_is_its_own_field_not_a_made_up_number() -> None:
    from tohip.text.extract import extract_text

    labs = extract_text("Inflammatory markers normal.").case.labs
    assert labs.crp is None and labs.esr is None and labs.inflammatory_markers == "normal"


def test_a_number_beats_words_for_the_same_lab(read) -> None:
    assert read("Afebrile. Temp 38.2C.")["labs.temperature"] == 38.2


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("left hip pain", "left"),
        ("R hip pain", "right"),
        ("right-sided hip pain", "right"),
        ("bilateral hip pain", "bilateral"),
        ("pain in both hips", "bilateral"),
        ("Known osteonecrosis of the right hip; now left hip pain.", "left"),
    ],
)
def test_side(read, text: str, side: str) -> None:
    assert read(text)["symptoms.side"] == side


def test_side_of_a_study_is_not_the_side_of_the_pain(read) -> None:
    got = read("Right hip pain for 3 weeks. XR left hip: osteopenia.")
    assert got["imaging.xray.side"] == "left"
    assert got["symptoms.side"] == "right"


def test_with_no_complaint_side_the_presenting_side_is_the_study_side(read) -> None:
    """The presenting hip is the one imaged when the note names no side for the pain (issue 9,
    session 5); a title's "both hips" is the field of view, not two painful hips."""
    assert read("XR left hip: osteopenia.")["symptoms.side"] == "left"
    assert "symptoms.side" not in read("MRI BOTH HIPS\n\nFindings: marrow oedema.")
