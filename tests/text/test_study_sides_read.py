"""The side of a study that was done and read (issue 9, session 7).

Three ways the earlier reader lost a study's side: a study ordered earlier and now reported
("X-ray R hip, ordered by us, reported as normal") was taken for a plan; a side that names a
normal study ("L hip radiograph normal") was taken for the other, normal hip; a report that
compares with an earlier study ("since the prior examination ... right femoral head") put its
own findings in the past, so the side of a normal statement about the other hip won. Sentences
written for these tests, with guards for the plans, normal other hips and histories that must
still give no study side.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Pelvic X-ray of the L hip, ordered at triage, was reported as unremarkable.", "left"),
        ("A radiograph of the right hip, which we ordered last week, showed no fracture.", "right"),
    ],
)
def test_an_ordered_study_that_was_read_keeps_its_side(read, text: str, side: str) -> None:
    assert read(text).get("imaging.xray.side") == side


def test_a_study_only_ordered_gives_no_side(read) -> None:
    found = read("Plan: radiograph of the right hip ordered; review with the result.")
    assert "imaging.xray.side" not in found, found


@pytest.mark.parametrize(
    ("text", "path", "side"),
    [
        ("Seen in ED. Right hip X-ray normal. Sent home.", "imaging.xray.side", "right"),
        ("Background: L hip MRI: unremarkable in March.", "imaging.mri.side", "left"),
    ],
)
def test_a_side_naming_a_normal_study_is_its_side(read, text: str, path: str, side: str) -> None:
    assert read(text).get(path) == side


def test_the_other_normal_hip_still_loses(read) -> None:
    found = read("MRI pelvis: marrow oedema of the right femoral head. Left hip normal.")
    assert found.get("imaging.mri.side") == "right", found


@pytest.mark.parametrize(
    "text",
    [
        "XR PELVIS - compared with the previous film. Since the prior study the right femoral "
        "head has collapsed, with sclerosis. The left hip joint space is maintained.",
        "Radiograph of the pelvis. In comparison with the prior radiograph there is new "
        "erosion of the right femoral head. Left hip joint space well preserved.",
    ],
)
def test_a_comparison_does_not_put_the_findings_side_in_the_past(read, text: str) -> None:
    assert read(text).get("imaging.xray.side") == "right"


def test_an_earlier_episode_side_still_loses(read) -> None:
    found = read(
        "MRI: marrow oedema of the left femoral head and neck. "
        "The right hip had the same change in the past, now settled."
    )
    assert found.get("imaging.mri.side") == "left", found
