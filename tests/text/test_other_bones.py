"""Findings of another bone (issue 9, imaging round 2): a study of the spine, sacrum or pelvis
reports bones beside the hip, and what it finds there fills none of the fields the case keeps
for the femur, acetabulum and hip joint. Sentences written for these tests; the earlier reader
read a sacral fracture's oedema as head-neck oedema and its low-signal line as a fracture of
the femur."""

from __future__ import annotations

import pytest

HIP_FIELDS = (
    "imaging.mri.edema_pattern",
    "imaging.mri.neck_fracture_line",
    "imaging.mri.subchondral_fracture_line",
    "imaging.mri.erosions",
    "imaging.mri.joint_effusion",
)


@pytest.mark.parametrize(
    "text",
    [
        "MRI lumbar spine and pelvis: a low-signal line crosses the right sacral ala with "
        "extensive surrounding bone marrow oedema.",
        "MRI pelvis\nSacrum: band of low T1 signal in the left ala, with surrounding marrow "
        "edema.\nSI joints: no erosions, no joint effusion.",
        "MRI: marrow oedema throughout the left inferior pubic ramus, in keeping with a "
        "stress reaction.",
    ],
)
def test_findings_of_another_bone_fill_no_hip_field(read, text: str) -> None:
    found = read(text)
    assert not {p: found[p] for p in HIP_FIELDS if p in found}, found


def test_a_label_naming_another_bone_holds_for_its_line(read) -> None:
    found = read(
        "MRI pelvis\nIliac wing: a thin low-signal line. Marrow oedema around it.\nHips: normal."
    )
    assert not {p: found[p] for p in HIP_FIELDS if p in found}, found


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        # the hip named beside the other bone: the finding is the hip's
        (
            "MRI pelvis: marrow oedema of the left femoral head and neck; the sacrum is normal.",
            "imaging.mri.edema_pattern",
            "diffuse_head_neck",
        ),
        (
            "MRI spine with hip localiser. Hips: no marrow oedema in either femoral head.",
            "imaging.mri.edema_pattern",
            "none",
        ),
        (
            "MRI right hip: joint effusion and synovitis, pubic rami intact.",
            "imaging.mri.joint_effusion",
            True,
        ),
        # a sacral fracture on CT is another cause of the pain (the study's fracture line is the
        # proximal femur's, session 9)
        ("CT pelvis: fracture line through the left sacral ala.", "imaging.ct.other_cause", True),
    ],
)
def test_the_hips_findings_beside_another_bone_are_kept(read, text: str, path, value) -> None:
    assert read(text).get(path) == value
