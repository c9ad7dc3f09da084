"""The course of the pain (issue 9, session 7): "gradually worsening" states both the onset and
the course; a comparison of sides or a change seen on imaging is not the course; a negation
before "and has ..." does not reach the clause after it. Sentences written for these tests;
each asserts what the earlier reader got wrong."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "Six weeks of gradually worsening left groin pain.",
        "The ache has gradually increased since the new year.",
        "Pain worsened gradually over the spring.",
    ],
)
def test_gradually_worsening_is_onset_and_course(read, text: str) -> None:
    found = read(text)
    assert found.get("symptoms.onset") == "gradual"
    assert found.get("symptoms.worsening") is True


def test_gradual_onset_alone_says_nothing_of_the_course(read) -> None:
    found = read("Pain began gradually after a walking holiday.")
    assert found.get("symptoms.onset") == "gradual"
    assert "symptoms.worsening" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Both femoral heads necrotic, the right more severe than the left.",
        "Follow-up films show progressive collapse of the femoral head.",
        "Serial X-rays: progressive joint space narrowing over a year.",
    ],
)
def test_a_comparison_or_a_change_on_imaging_is_not_the_course(read, text: str) -> None:
    assert "symptoms.worsening" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "It began without any fall and has become steadily worsening since.",
        "No injury and has been progressively worse for a month.",
    ],
)
def test_a_negation_stops_at_and_has(read, text: str) -> None:
    found = read(text)
    assert found.get("history.trauma") is False
    assert found.get("symptoms.worsening") is True


@pytest.mark.parametrize(
    "text",
    [
        "Increasing pain in the right groin over the past three weeks.",
        "She has had increasing ache in the left thigh over the last few weeks.",
    ],
)
def test_increasing_pain_over_weeks_is_a_gradual_onset(read, text: str) -> None:
    found = read(text)
    assert found.get("symptoms.onset") == "gradual"
    assert found.get("symptoms.worsening") is True


def test_increasing_pain_alone_is_the_course_only(read) -> None:
    found = read("Increasing pain despite crutches.")
    assert found.get("symptoms.worsening") is True
    assert "symptoms.onset" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Managed with crutches and analgesia, and she made a full recovery.",
        "He has now fully recovered and is back at work.",
    ],
)
def test_a_full_recovery_is_improving(read, text: str) -> None:
    assert read(text).get("symptoms.improving") is True


@pytest.mark.parametrize(
    "text",
    [
        "The pain built up until she could no longer bear weight on the right.",
        "He is no longer able to weight bear and came in by ambulance.",
    ],
)
def test_no_longer_able_to_bear_weight_is_unable(read, text: str) -> None:
    assert read(text).get("symptoms.unable_to_bear_weight") is True


def test_no_longer_still_negates_a_finding(read) -> None:
    assert read("She is no longer limping.").get("symptoms.limp") is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hip pain for a month, no trauma and no systemic illness.", False),
        ("Systemically well, afebrile.", False),
        ("Two weeks of systemic upset and hip pain.", True),
    ],
)
def test_systemic_words_are_constitutional(read, text: str, expected: bool) -> None:
    assert read(text).get("symptoms.constitutional") is expected


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("Right hip ache for a year; over the past 3 weeks it has become much worse.", 52.2),
        ("Groin pain since the spring, worse again over the last 10 days.", None),
        ("Vague thigh pain, over the last 2 weeks localising to the right hip.", None),
    ],
)
def test_the_time_of_a_change_is_not_the_duration(read, text: str, weeks: float | None) -> None:
    assert read(text).get("symptoms.duration_weeks") == weeks


def test_a_worsening_over_weeks_is_still_the_duration(read) -> None:
    assert read("Worsening left hip pain over the last 4 weeks.")["symptoms.duration_weeks"] == 4
