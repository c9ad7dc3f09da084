"""The seven classes of misreading found on notes nobody here wrote (issue 9), one sentence each.

Every row is a phrasing a wrong reader gets wrong: a partial normal read as a whole normal
study, a bland collection read as an abscess, a hedge or the other hip read as a finding.
"""

from __future__ import annotations

import pytest

# ---------------------------------------------------------------- class 1: partial normals
PARTIAL_NORMALS = [
    "MRI left hip: joint space normal. Subchondral bone unremarkable.",
    "X-ray: normal joint space and no fracture.",
    "MRI: the acetabulum is unremarkable; marrow oedema of the femoral head.",
    "Radiograph: otherwise normal apart from mild osteopenia.",
]


@pytest.mark.parametrize("text", PARTIAL_NORMALS)
def test_a_normal_part_is_not_a_normal_study(read, text: str) -> None:
    found = read(text)
    assert not any(path.endswith(".normal") for path in found), found


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("X-ray of the left hip was normal.", "imaging.xray.normal"),
        ("MRI: normal study.", "imaging.mri.normal"),
        ("Pelvic radiographs unremarkable.", "imaging.xray.normal"),
        ("Bone scan: no abnormality detected.", "imaging.bone_scan.normal"),
    ],
)
def test_a_whole_study_reported_normal_is_normal(read, text: str, path: str) -> None:
    assert read(text).get(path) is True


# ---------------------------------------------------------------- class 5: collections
@pytest.mark.parametrize(
    "text",
    [
        "MRI: small iliopsoas bursal collection, no rim enhancement.",
        "MRI hip: a small fluid collection adjacent to the greater trochanter.",
    ],
)
def test_a_bland_collection_is_not_an_abscess(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.mri.fluid_collection") is True
    assert "imaging.mri.abscess" not in found


@pytest.mark.parametrize(
    "text",
    [
        "MRI: rim-enhancing collection in obturator externus.",
        "MRI: 3 cm abscess in the iliopsoas.",
    ],
)
def test_pus_is_an_abscess(read, text: str) -> None:
    assert read(text).get("imaging.mri.abscess") is True


# ---------------------------------------------------------------- classes 3 and 4
@pytest.mark.parametrize(
    "text",
    [
        "MRI: avascular necrosis is not favoured.",
        "MRI: the differential includes osteonecrosis.",
        "Impression: osteonecrosis less likely.",
    ],
)
def test_hedges_are_not_findings(read, text: str) -> None:
    assert "imaging.mri.necrotic_segment" not in read(text)


def test_the_other_hip_is_history_not_this_hip(read) -> None:
    found = read("MRI pelvis: the contralateral hip shows established avascular necrosis.")
    assert found.get("history.contralateral_avn") is True
    assert "imaging.mri.necrotic_segment" not in found


# ---------------------------------------------------------------- class 7: course words
@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("The pain is getting worse despite rest.", "symptoms.worsening", True),
        ("Pain steadily improving with crutches.", "symptoms.improving", True),
        ("Exam: restricted range of movement of the hip.", "exam.range_of_motion", "limited"),
        ("Exam: markedly restricted internal rotation.", "exam.range_of_motion",
         "severely_limited"),
        ("Exam: mildly restricted movements.", "exam.range_of_motion", "mildly_limited"),
    ],
)  # fmt: skip
def test_course_and_range_words(read, text: str, path: str, value: object) -> None:
    assert read(text).get(path) == value
