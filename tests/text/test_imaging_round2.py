"""Imaging reports, round 2 (issue 9): a diagnosis an impression favours is weighed, not
found; signal in a sentence that opens with "It"/"These" is the signal of what the sentence
before names; tumour deposits on MRI are a marrow-replacing lesion. Sentences written for
these tests; each of the first kind asserts what the earlier reader got wrong."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            "MRI LEFT HIP\nImpression: favour a stress fracture of the femoral neck over TOH.",
            "imaging.mri.neck_fracture_line",
        ),
        (
            "MRI right hip: on balance a subchondral insufficiency fracture is favoured.",
            "imaging.mri.subchondral_fracture_line",
        ),
        (
            "MRI R hip. Conclusion: the appearances favor a subchondral fracture of the head.",
            "imaging.mri.subchondral_fracture_line",
        ),
    ],
)
def test_a_favoured_diagnosis_is_not_a_finding(read, text: str, path: str) -> None:
    assert read(text).get(path) is None


def test_findings_that_favour_a_diagnosis_stay_findings(read) -> None:
    found = read(
        "MRI left hip: marginal erosions and a joint effusion favour inflammatory arthritis."
    )
    assert found.get("imaging.mri.erosions") is True, found
    assert found.get("imaging.mri.joint_effusion") is True, found


@pytest.mark.parametrize(
    "text",
    [
        "MRI right hip: a geographic subchondral area outlined by a double-line sign. "
        "It is low on T1 and high on STIR.",
        "MRI left hip: several rounded lesions in the proximal femur. These return low signal "
        "on T1 and STIR, consistent with sclerotic metastases.",
    ],
)
def test_signal_of_what_the_sentence_before_names_is_no_oedema(read, text: str) -> None:
    assert read(text).get("imaging.mri.edema_pattern") is None


@pytest.mark.parametrize(
    "text",
    [
        "MRI: diffuse marrow oedema of the femoral head and neck. It is low on T1 and high on STIR.",
        "MRI R hip: the femoral head and neck are low on T1 and bright on STIR. "
        "There is no double-line sign.",
    ],
)
def test_oedema_written_as_signal_is_still_read(read, text: str) -> None:
    assert read(text).get("imaging.mri.edema_pattern") == "diffuse_head_neck"


@pytest.mark.parametrize(
    "text",
    [
        "MRI pelvis: rounded sclerotic deposits in the left ilium and proximal femur.",
        "MRI hips: multiple osseous deposits throughout both proximal femora.",
    ],
)
def test_tumour_deposits_on_mri_replace_marrow(read, text: str) -> None:
    assert read(text).get("imaging.mri.marrow_replacing_lesion") is True


@pytest.mark.parametrize(
    "text",
    [
        "PMH: prostate cancer with bony deposits, treated in 2015.",
        "MRI right hip: small calcium deposits in the gluteal tendons.",
    ],
)
def test_deposits_outside_a_study_or_of_crystal_are_no_lesion(read, text: str) -> None:
    assert read(text).get("imaging.mri.marrow_replacing_lesion") is None
