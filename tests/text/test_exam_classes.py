"""The examination (issue 9, session 7): a gait examined normal is no limp, and a test not done
gives no result. Sentences written for these tests; each asserts what the earlier reader got
wrong."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "O/E: gait WNL, hip flexion to 110.",
        "Examination: non-antalgic gait, no trochanteric tenderness.",
        "Normal gait; full weight bearing.",
    ],
)
def test_a_normal_gait_is_no_limp(read, text: str) -> None:
    assert read(text).get("symptoms.limp") is False


@pytest.mark.parametrize(
    "text",
    [
        "Limping since Sunday. On the ward gait normal after analgesia.",
        "Antalgic gait on arrival; by discharge a normal gait.",
    ],
)
def test_a_limp_stated_is_not_undone(read, text: str) -> None:
    assert read(text).get("symptoms.limp") is True


@pytest.mark.parametrize(
    "text",
    [
        "Hop test not attempted because of pain.",
        "Single-leg hop not performed today.",
        "Heel strike test not done.",
    ],
)
def test_a_test_not_done_gives_no_result(read, text: str) -> None:
    assert "exam.pain_on_hop_or_heel_strike" not in read(text)


def test_a_test_done_still_counts(read) -> None:
    assert read("Hop test positive on the right.").get("exam.pain_on_hop_or_heel_strike") is True


@pytest.mark.parametrize(
    "text",
    [
        "Examination: right hip ROM nearly full, end-range discomfort.",
        "Hip movements almost full and comfortable.",
    ],
)
def test_a_range_near_full_is_mildly_limited(read, text: str) -> None:
    assert read(text).get("exam.range_of_motion") == "mildly_limited"


@pytest.mark.parametrize(
    "text",
    [
        "O/E: left hip flexion 125 deg, IR 35 deg, ER 45 deg, no pain.",
        "R hip: flexion 115°; IR 40°.",
    ],
)
def test_degrees_at_normal_are_a_normal_range(read, text: str) -> None:
    assert read(text).get("exam.range_of_motion") == "normal"


def test_normal_flexion_with_reduced_rotation_is_not_normal(read) -> None:
    assert read("L hip flexion 120, IR 20, painful.").get("exam.range_of_motion") != "normal"
