"""Which hip (issue 9, session 5): the side of the complaint and of each study, in sentences
written for these tests. A wrong reader takes the first side word it sees: the title of a
report of both hips, an earlier episode in the other hip, the normal other hip, a planned
study."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # the complaint in a report's clinical details, not a header the reader knows
        ("MRI LEFT HIP\n\nClinical information: 58F, L hip pain for 5 weeks.\n\n"
         "Findings: marrow oedema in the femoral head.", "left"),
        # an indication is a question, but its complaint is the patient's
        ("MRI PELVIS\n\nIndication: Severe R hip pain, ?stress fracture.\n\n"
         "Findings: diffuse marrow oedema of the femoral head and neck.", "right"),
        # an earlier episode in the other hip
        ("You may recall that two years ago he had spontaneous left hip pain. He now has "
         "pain in the right hip for 3 weeks.", "right"),
        # the other hip examined and normal
        ("Rt hip: IR painful. Lt hip full range without pain.", "right"),
        # both sides, one worse
        ("Several months of R > L groin pain with running.", "bilateral"),
        # the side after the hip word
        ("He describes deep hip pain on the left, worse at night.", "left"),
    ],
)  # fmt: skip
def test_the_complaint_side(read, text: str, side: str) -> None:
    assert read(text).get("symptoms.side") == side


def test_no_complaint_side_falls_back_on_the_study() -> None:
    from tohip.text.extract import extract_text

    x = extract_text(
        "MRI RIGHT HIP\n\nFindings: diffuse marrow oedema of the right femoral head and neck."
    )
    assert x.case.symptoms.side == "right"
    used = [e for e in x.evidence if e.used and e.path == "symptoms.side"]
    assert used and "study" in (used[0].note or "")


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # a report of both hips whose findings are on one side
        ("MRI BOTH HIPS\n\nFindings: marrow oedema in the right femoral head and neck. "
         "Left hip normal.", "right"),
        # the normal other hip named first
        ("MRI pelvis: Left hip normal. Marrow oedema in the right femoral head.", "right"),
    ],
)  # fmt: skip
def test_the_study_side_is_the_side_of_its_findings(read, text: str, side: str) -> None:
    assert read(text).get("imaging.mri.side") == side


@pytest.mark.parametrize(
    "text",
    [
        "Right hip pain for 6 weeks. Plan: MRI both hips requested.",
        "Left groin pain after a long run. MRI L hip ordered.",
    ],
)
def test_a_planned_study_has_no_side(read, text: str) -> None:
    found = read(text)
    assert "imaging.mri.side" not in found
    assert found.get("symptoms.side") in ("right", "left")
