"""Examination and section scope (issue 9, session 5), in sentences written for these tests: a
past history ends with its paragraph, a test result negates its test and not the finding before
it, and a full range of movement is read in the shapes clinicians write it."""

from __future__ import annotations

import pytest


def test_a_past_history_ends_with_its_paragraph(read) -> None:
    text = (
        "PMH: asthma, hypertension.\n\n"
        "On examination she walks with an antalgic gait and painful, restricted hip movement."
    )
    assert read(text).get("exam.range_of_motion") in ("limited", "mildly_limited")


@pytest.mark.parametrize(
    "text",
    [
        "Exam: hip ROM full and pain-free, FABER/FADIR negative.",
        "On examination the left hip has a full, painless range of movement, FADIR negative.",
        "Hip ROM otherwise full.",
        "ROM L hip full, slight ache at end-range IR.",
        "O: Full active and passive ROM L hip, power 5/5.",
        "O: no limp. L hip FROM with pain at end-range flexion.",
    ],
)
def test_a_full_range_of_movement(read, text: str) -> None:
    assert read(text).get("exam.range_of_motion") == "normal"


def test_from_in_capitals_elsewhere_is_not_a_range(read) -> None:
    assert "exam.range_of_motion" not in read("FINDINGS FROM THE HIP STUDY ARE BELOW.")


@pytest.mark.parametrize(
    "text",
    [
        "Worse with marching and running, improved with rest.",
        "Worse on weight bearing, easing with rest.",
        "Stiff in the morning, improves as he walks through the day.",
    ],
)
def test_what_eases_the_pain_is_not_its_course(read, text: str) -> None:
    assert "symptoms.improving" not in read(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("The pain is easing.", True), ("Groin pain not settling with NSAIDs.", False)],
)
def test_the_course_is_still_read(read, text: str, value: bool) -> None:
    assert read(text).get("symptoms.improving") is value


@pytest.mark.parametrize(
    "text",
    [
        "A low-signal band in the anterosuperior weight-bearing segment of the femoral head.",
        "Suggest protected weight bearing and a repeat MRI.",
        "Gait: NWB with axillary crutches, safe on stairs.",
    ],
)
def test_a_place_or_an_instruction_is_not_a_symptom(read, text: str) -> None:
    found = read(text)
    assert "symptoms.weight_bearing_pain" not in found
    assert "symptoms.unable_to_bear_weight" not in found


def test_inability_to_weight_bear(read) -> None:
    found = read("Admitted with right hip pain and inability to weight bear.")
    assert found.get("symptoms.unable_to_bear_weight") is True
    assert "symptoms.weight_bearing_pain" not in found
