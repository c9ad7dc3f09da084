"""Another cause of the pain on a study (imaging.<study>.other_cause): a lesion that is none of
the eight hip conditions, offered by the study as the explanation, is true; a study that states
nothing else is abnormal, or rules out the alternatives it looked for, is false. Hedged,
planned, past and differential mentions state nothing. Sentences written for these tests."""

from __future__ import annotations

import pytest

KEY = "imaging.{}.other_cause"


@pytest.mark.parametrize(
    ("text", "study"),
    [
        (
            "MRI pelvis.\nImpression: right sacral insufficiency fracture, which accounts for "
            "the buttock and hip pain. Hips normal.",
            "mri",
        ),
        (
            "MRI right hip: partial tear of the anterosuperior acetabular labrum. No marrow "
            "oedema.",
            "mri",
        ),
        ("Ultrasound left groin: a left inguinal hernia reducible on straining.", "ultrasound"),
        (
            "CT pelvis: fracture of the left superior pubic ramus with callus. Femoral necks "
            "intact.",
            "ct",
        ),
        ("MRI right hip: iliopsoas bursitis with a large distended bursa.", "mri"),
        ("MRI lumbar spine: L4/5 disc extrusion with nerve root compression.", "mri"),
    ],
)
def test_a_lesion_the_study_shows_is_another_cause(read, text: str, study: str) -> None:
    assert read(text).get(KEY.format(study)) is True


def test_a_pelvic_fracture_on_a_film_is_another_cause_not_its_fracture_line(read) -> None:
    # the study's fracture_line is the proximal femur's (case/schema.py, session 9)
    found = read("AP pelvis radiograph: undisplaced fracture of the right inferior pubic ramus.")
    assert "imaging.xray.fracture_line" not in found
    assert found.get("imaging.xray.other_cause") is True


def test_a_fracture_of_the_femoral_neck_is_not_another_cause(read) -> None:
    found = read("MRI right hip: stress fracture of the femoral neck, compression side.")
    assert found.get("imaging.mri.neck_fracture_line") is True
    assert "imaging.mri.other_cause" not in found


@pytest.mark.parametrize(
    ("text", "study"),
    [
        ("Pelvic radiograph: normal study.", "xray"),
        ("MRI left hip: marrow oedema of the head and neck. No other abnormality.", "mri"),
        (
            "X-ray pelvis: regional osteopenia of the right femoral head. Visualised pelvis "
            "otherwise unremarkable.",
            "xray",
        ),
        (
            "MRI pelvis: diffuse femoral head and neck oedema. Sacrum, pubic rami and SI joints "
            "are unremarkable.",
            "mri",
        ),
        ("MRI hip: oedema of the femoral head. No labral tear.", "mri"),
        ("MRI pelvis: sacrum and pubic rami normal - no insufficiency fracture.", "mri"),
    ],
)
def test_a_study_that_states_nothing_else_is_abnormal_is_false(read, text: str, study: str) -> None:
    assert read(text).get(KEY.format(study)) is False


@pytest.mark.parametrize(
    "text",
    [
        "MRI right hip: cannot exclude a small labral tear.",
        "MRI right hip: ?labral tear.",
        "Plan: MRI pelvis to look for a sacral insufficiency fracture.",
        "X-ray pelvis done. Differential: trochanteric bursitis, labral tear, early AVN.",
        "Past history: inguinal hernia repair 2015. MRI hip: marrow oedema.",
        "MRI lumbar spine requested. With her age, sacral insufficiency fracture is my leading "
        "concern.",
    ],
)
def test_hedged_planned_and_past_mentions_state_nothing(read, text: str) -> None:
    found = read(text)
    assert not {p: v for p, v in found.items() if p.endswith(".other_cause") and v}, found


def test_an_incidental_hiatus_hernia_is_not_a_cause(read) -> None:
    found = read("CT abdomen and pelvis: small hiatus hernia. Hips unremarkable.")
    assert found.get("imaging.ct.other_cause") is not True


def test_an_old_healed_pelvic_fracture_is_not_a_cause(read) -> None:
    found = read("Pelvic radiograph: old healed fracture of the left superior pubic ramus.")
    assert found.get("imaging.xray.other_cause") is not True


def test_a_finding_is_given_to_the_study_that_shows_it(read) -> None:
    found = read(
        "X-ray pelvis: normal study.\n\nMRI pelvis: left sacral ala fracture with surrounding "
        "marrow oedema, explaining the pain."
    )
    assert found.get("imaging.xray.other_cause") is False
    assert found.get("imaging.mri.other_cause") is True


def test_a_cause_outweighs_otherwise_normal(read) -> None:
    found = read(
        "MRI right hip\nImpression: partial tear of the anterior labrum. Otherwise normal MRI "
        "of the right hip."
    )
    assert found.get("imaging.mri.other_cause") is True


def test_a_part_otherwise_unremarkable_is_not_the_whole_study(read) -> None:
    found = read("MRI: femoral neck stress fracture. Femoral head otherwise unremarkable.")
    assert "imaging.mri.other_cause" not in found
