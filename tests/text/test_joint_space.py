"""The joint space on a plain film in radiologists' shapes (issue 9, session 6).

"Joint spaces are preserved", "hip joint spaces maintained", "Joint space: mildly narrowed",
"loss of the superior joint space": the earlier reader knew only fixed phrases. Sentences
written for these tests; each asserts what the earlier reader got wrong, and the last ones
what it must not read."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("XR pelvis: joint spaces are preserved.", "preserved"),
        ("AP pelvis - hip joint spaces maintained bilaterally.", "preserved"),
        ("Radiographs: normal joint spaces, no erosions.", "preserved"),
        ("Hip X-ray. Joint space: mildly narrowed superiorly.", "narrowed"),
        ("XR R hip: the joint space is lost superolaterally.", "narrowed"),
        ("Plain films show loss of the superior joint space with subchondral sclerosis.",
         "narrowed"),
    ],
)  # fmt: skip
def test_joint_space_shapes(read, text: str, value: str) -> None:
    assert read(text).get("imaging.xray.joint_space") == value


@pytest.mark.parametrize(
    "text",
    [
        # a plan or a question states no joint space
        "Plan: repeat XR to look at the joint space in 6 weeks.",
        "XR: joint space difficult to assess on this rotated film.",
    ],
)
def test_no_joint_space_read(read, text: str) -> None:
    assert "imaging.xray.joint_space" not in read(text)
