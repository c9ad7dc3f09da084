"""Examination findings that belong to something else than the hip complained of, and a past
history given on one line that used to swallow the examination after it. The notes are the
tohip editors' own wording, two styles for each class."""

from __future__ import annotations

import pytest

from tohip.text.extract import extract_text

ROM = "exam.range_of_motion"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the other hip's normal range is not the painful hip's
        ("Six weeks of right groin pain.\nO/E: right hip IR painful and limited. Lt hip - full painless ROM.", "limited"),
        ("Referred with left hip pain. On examination the right hip has a full range of movement.", None),
        ("Referred with left hip pain. Examination: the left hip has a full range of movement.", "normal"),
        # both hips named, or none: the finding stands
        ("Left hip pain. Exam: full ROM of both hips, pain on FABER.", "normal"),
        ("Left hip pain. Exam: movements full and pain free.", "normal"),
    ],
)  # fmt: skip
def test_range_of_motion_of_the_other_hip(read, text: str, expected: object) -> None:
    assert read(text).get(ROM) == expected


def test_the_other_hip_finding_is_kept_unused_with_its_reason() -> None:
    x = extract_text("Right hip pain for a month. The left hip is pain-free with full ROM.")
    rom = next(e for e in x.evidence if e.path == ROM)
    assert not rom.used
    assert rom.reason and "left hip" in rom.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hip exam unremarkable. No other joint swelling.", None),
        ("Gentle warmth without any real effusion over both knees.", None),
        ("No synovitis elsewhere; the right hip itself is warm.", True),
        ("No warmth or swelling around the hip.", False),
    ],
)
def test_other_joints_signs_are_not_the_hips(read, text: str, expected: object) -> None:
    assert read(text).get("exam.warmth_swelling_or_redness") is expected


@pytest.mark.parametrize(
    "text",
    [
        # a one-line past history, then the examination on the next line
        "Left hip pain for 2 months.\nPMH: nil of note. Meds: none. NKDA.\nOn exam there is an antalgic gait and painful, restricted left hip motion.",
        "Left hip pain.\nBackground: asthma, well controlled.\nExamination reveals reduced internal rotation of the left hip.",
    ],
)  # fmt: skip
def test_a_one_line_past_history_ends_with_its_line(read, text: str) -> None:
    assert read(text).get(ROM) == "limited"


def test_a_past_history_over_several_lines_stays_history() -> None:
    # a wrapped line and list items continue the past history: the old fracture is not now
    text = (
        "Left hip pain.\nPMH: asthma; a stress fracture of\nthe left femoral neck in 2015.\n"
        "- hypertension\nExam: full ROM."
    )
    x = extract_text(text)
    fractures = [e for e in x.evidence if e.path.endswith("fracture_line")]
    assert all(not e.used for e in fractures)
