"""Imaging reader, session 10: classes of misses chosen from the train and holdout errors.

Every sentence here is written for these tests (not copied from the corpus). Each class has at
least two phrasings, and most a near miss that must stay as it was.
"""

from __future__ import annotations

import pytest

# ------------------------------------------------------------------ a normal study, said so


@pytest.mark.parametrize(
    "text",
    [
        "Pelvic X-ray - reported unremarkable, joint space preserved.",
        "Radiograph of the right hip this morning read as normal.",
        "Hip radiographs (both normal).",
        "Early lumbar and hip films neg.",
        "Radiographs of pelvis/left hip today unremarkable.",
        "AP pelvis today - read as normal; no fracture.",
    ],
)
def test_a_whole_film_called_normal_is_a_normal_study(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.xray.normal") is True, found


@pytest.mark.parametrize(
    "text",
    [
        "X-ray pelvis - joint space read as normal, osteopenia of the femoral head.",
        "Radiographs (cortex normal): subchondral lucency of the head.",
    ],
)
def test_a_normal_part_of_a_film_is_still_not_a_normal_study(read, text: str) -> None:
    assert read(text).get("imaging.xray.normal") is not True


@pytest.mark.parametrize(
    "text",
    [
        "MRI showed diffuse marrow oedema of the right femoral head despite normal films.",
        "Bone scan: intense uptake in the left femoral head and neck, with normal radiographs "
        "last month.",
    ],
)
def test_a_normal_study_named_in_its_own_words_is_that_studys(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.xray.normal") is True, found
    assert "imaging.mri.normal" not in found and "imaging.bone_scan.normal" not in found, found
    assert found.get("imaging.mri.other_cause") is None, found


# ------------------------------------------------------------------ "US" and the part it images


@pytest.mark.parametrize(
    "text",
    [
        "US RIGHT HIP\nFindings: moderate joint effusion with synovial thickening.",
        "US left groin showed a distended joint recess with effusion and synovial thickening.",
        "US soft tissues of the hip: joint effusion, synovial thickening.",
    ],
)
def test_us_before_the_part_it_images_is_an_ultrasound(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.ultrasound.joint_effusion") is True, found
    assert found.get("imaging.ultrasound.synovitis") is True, found


@pytest.mark.parametrize(
    "text",
    [
        "MRI: joint effusion. She was referred to us hip clinic for advice.",
        "MRI: joint effusion. He flew back to the US joint replacement centre.",
    ],
)
def test_us_as_pronoun_or_country_before_a_body_word_is_no_study(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.mri.joint_effusion") is True, found
    assert not any(k.startswith("imaging.ultrasound") for k in found), found


# ------------------------------------------------------------------ a header titled by a study


@pytest.mark.parametrize(
    ("text", "study"),
    [
        (
            "EXAM: US LEFT HIP\nClinical history: fever, pelvic radiograph unremarkable.\n"
            "Findings: large joint effusion with synovial thickening.",
            "ultrasound",
        ),
        (
            "Examination: MRI of the pelvis\nHistory: hip pain, plain film normal.\n"
            "Findings: moderate joint effusion.",
            "mri",
        ),
    ],
)
def test_a_header_line_naming_a_study_titles_its_report(read, text: str, study: str) -> None:
    found = read(text)
    assert found.get(f"imaging.{study}.joint_effusion") is True, found
    assert found.get("imaging.xray.normal") is True, found


def test_an_examination_header_of_the_patient_titles_no_study(read) -> None:
    found = read(
        "CT pelvis: sclerosis of the femoral head.\n"
        "Exam: antalgic gait, pain on internal rotation.\nFindings: joint effusion."
    )
    assert found.get("imaging.ct.joint_effusion") is True, found
    assert found.get("imaging.ct.sclerosis") is True, found


# ------------------------------------------------------------------ a normal study with changes


@pytest.mark.parametrize(
    "text",
    [
        "X-ray hip: nonspecific changes, no fracture. On balance the radiograph is unremarkable.",
        "Pelvic radiograph showed non-specific findings only. Later the X-ray was called normal.",
    ],
)
def test_a_study_reported_with_changes_is_not_normal(read, text: str) -> None:
    assert read(text).get("imaging.xray.normal") is False


@pytest.mark.parametrize(
    "text", ["X-ray hip normal.", "X-ray: no non-specific changes. X-ray normal."]
)
def test_a_normal_film_without_changes_stays_normal(read, text: str) -> None:
    assert read(text).get("imaging.xray.normal") is True


# ------------------------------------------------------------------ MRI: what the signal is of


@pytest.mark.parametrize(
    "text",
    [
        "MRI: diffuse marrow oedema of the left femoral head with a joint effusion and a normal "
        "acetabulum.",
        "MRI: marrow oedema throughout the femoral head and neck, normal-appearing acetabulum.",
    ],
)
def test_a_site_called_normal_is_not_involved(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found
    assert "acetabulum" not in found.get("imaging.mri.sites", []), found


def test_a_site_named_with_the_oedema_still_is(read) -> None:
    found = read("MRI: marrow oedema of the femoral head and acetabulum.")
    assert found.get("imaging.mri.edema_pattern") == "both_sides_of_joint", found


@pytest.mark.parametrize(
    "text",
    [
        "MRI right hip: a well-defined lesion in the femoral head. It is of low signal on T1 "
        "and high on T2.",
        "MRI: circumscribed lesion of low T1 signal in the femoral neck.",
    ],
)
def test_a_circumscribed_lesions_signal_is_not_oedema(read, text: str) -> None:
    assert "imaging.mri.edema_pattern" not in read(text)


def test_signal_of_the_marrow_is_still_oedema(read) -> None:
    found = read("MRI: ill-defined low T1 signal throughout the left femoral head and neck.")
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found


# ------------------------------------------------------------------ a frog-leg view is a film


@pytest.mark.parametrize(
    "text",
    [
        "MRI L hip: marrow oedema of the head. Frog-leg lateral: subchondral collapse of the head.",
        "MRI showed oedema in the R femoral head. Repeat frog leg view: collapse of the head.",
    ],
)
def test_a_frog_leg_view_is_an_x_ray(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.xray.crescent_or_collapse") is True, found
    assert "imaging.mri.collapse" not in found, found
