"""Which hip a study shows (issue 9, session 6).

The earlier reader lost the study's side when the side came before the study's name ("R hip
MRI: ..."), when a report used side sub-headings ("Right: ...", "Left - normal"), and when an MRI
of one femoral head named no side at all though the complaint was one-sided. Sentences written
for these tests; each asserts what the earlier reader got wrong, and the negative ones what it
must not read (a normal other hip, a plain film of the pelvis, a pelvic MRI with no femoral
finding)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "path", "side"),
    [
        ("R hip MRI: diffuse marrow oedema of the femoral head and neck.", "imaging.mri.side",
         "right"),
        ("Lt hip MRI - oedema head/neck, no fracture line.", "imaging.mri.side", "left"),
        ("Left hip radiograph: regional osteopenia of the femoral head.", "imaging.xray.side",
         "left"),
    ],
)  # fmt: skip
def test_side_before_the_study(read, text: str, path: str, side: str) -> None:
    assert read(text).get(path) == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("MRI PELVIS AND BOTH HIPS\nRight: STIR high signal through the femoral head and neck.\n"
         "Left: unremarkable.", "right"),
        ("MRI both hips\nRight - normal marrow signal.\nLeft - marrow oedema of the head and "
         "neck with a small effusion.", "left"),
    ],
)  # fmt: skip
def test_side_subheadings(read, text: str, side: str) -> None:
    found = read(text)
    assert found.get("imaging.mri.side") == side, found


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("32F, 6/52 of L groin pain, worse weight bearing.\nMRI: marrow oedema of the femoral "
         "head and neck, small effusion.", "left"),
        ("Right hip pain since a long walk a month ago. An MRI showed a linear low-signal line "
         "in the medial femoral neck.", "right"),
    ],
)  # fmt: skip
def test_an_unsided_mri_of_the_femur_shows_the_painful_hip(read, text: str, side: str) -> None:
    assert read(text).get("imaging.mri.side") == side


@pytest.mark.parametrize(
    "text",
    [
        # a plain film is often of the whole pelvis
        "Left hip pain for 3 weeks. X-ray: joint space preserved, no fracture.",
        # pelvic findings away from the femur
        "Right groin pain. MRI showed oedema under the acetabular roof.",
        # both hips hurt: no one side to give
        "Bilateral groin pain. MRI: oedema of the femoral head and neck.",
    ],
)
def test_no_side_given_where_the_hip_is_not_clear(read, text: str) -> None:
    found = read(text)
    assert "imaging.xray.side" not in found, found
    assert found.get("imaging.mri.side") in (None, "bilateral"), found


def test_a_normal_other_side_subheading_is_not_the_study_side(read) -> None:
    found = read("MRI BOTH HIPS\nLeft: normal.\nRight: subchondral low-signal line, oedema.")
    assert found.get("imaging.mri.side") == "right", found
