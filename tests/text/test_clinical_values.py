"""Patient, history, symptoms and labs as clinicians write them (issue 9, session 6).

Each case below is written for the test, in the shapes clinic letters, ED notes and referral
lines use; each asserts something the reader of session 5 got wrong."""

from __future__ import annotations

import pytest

from tohip.text.extract import extract_text

# ---------------------------------------------------------------- labs written in words


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("O/E: apyrexial, HR 84, antalgic gait.", "labs.temperature"),
        ("Exam: afebrile, looks well.", "labs.temperature"),
        ("No fevers, sweats or weight loss.", "labs.temperature"),
        ("Bloods: normal inflammatory markers, FBC unremarkable.", "labs.crp"),
        ("Inflammatory markers normal; ALP normal.", "labs.esr"),
    ],
)
def test_a_reassuring_result_in_words_is_shown_not_used(read, text: str, path: str) -> None:
    """'Afebrile' and 'normal markers' are not numbers: an unknown value never lowers septic
    arthritis, so the words stay in the evidence with the reason and set no value."""
    assert path not in read(text)
    x = extract_text(text)
    kept = [e for e in x.evidence if e.path == path]
    assert kept and not any(e.used for e in kept)
    assert all(e.reason for e in kept)


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("Exam: febrile, looks unwell, hip held flexed.", "labs.temperature", 38.5),
        ("Raised inflammatory markers.", "labs.crp", 30),
        ("Afebrile on the ward, T 37.2 this morning.", "labs.temperature", 37.2),
        ("Markers normal (CRP 4, ESR 12).", "labs.crp", 4),
    ],
)
def test_alarming_words_and_written_numbers_are_still_values(
    read, text: str, path: str, value: float
) -> None:
    assert read(text)[path] == pytest.approx(value)
