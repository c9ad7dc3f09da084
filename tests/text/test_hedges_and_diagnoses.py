"""Hedges, questions, diagnosis lines and names (issue 9, session 5), in sentences written for
these tests: none of these states a fracture seen on a study."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # a question mark glued to the words it questions, after a full stop
        "Pelvic X-ray no fracture. ?occult stress fracture ?transient osteoporosis.",
        # still to be excluded, presumed, a worry
        "Impression: runner with groin pain - a femoral neck stress fracture must be excluded.",
        "Clearly a stress fracture and other bone pathology need excluding first.",
        "Ongoing pain after a presumed avulsion fracture of the lesser trochanter.",
        "Imp: postpartum hip pain, concerned re bilateral femoral neck insufficiency fractures.",
        # a clinic's name
        "F/u: fracture clinic in 2 weeks with an X-ray.",
        # a diagnosis line: a conclusion, not a study's finding
        "Admission diagnosis: left hip fracture, ?pathological.",
        "Working dx: femoral neck stress fracture, compression side.",
    ],
)
def test_no_fracture_seen_on_a_study(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.xray.fracture_line") is not True, found
    assert found.get("imaging.mri.neck_fracture_line") is not True, found


def test_a_fracture_on_a_named_study_is_read(read) -> None:
    assert read("X-ray left hip: fracture line across the femoral neck.").get(
        "imaging.xray.fracture_line"
    )


def test_a_diagnosis_line_still_gives_history(read) -> None:
    assert read("Diagnosis: rheumatoid arthritis.").get("history.inflammatory_arthritis")


def test_excluded_is_absent_for_the_words_just_before(read) -> None:
    found = read(
        "MRI showed marrow oedema of the left femoral head, infection and fracture were excluded."
    )
    assert found.get("imaging.mri.neck_fracture_line") is False
    assert found.get("imaging.mri.edema_pattern") not in (None, "none")


def test_fracture_risk_is_not_a_fracture(read) -> None:
    assert "imaging.xray.fracture_line" not in read("Caesarean section to minimise fracture risk.")
