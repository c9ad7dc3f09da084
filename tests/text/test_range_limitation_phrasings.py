"""Limited hip range in more clinical wordings: an adverb of pain ("painfully restricted"),
"limitation of", active / passive range (AROM, PROM) and "range" alone. Sentences are the tohip
editors'; another range ("reference range") is not the hip's."""

from __future__ import annotations

import pytest

from tohip.text.extract import extract_text


@pytest.mark.parametrize(
    ("text", "rom"),
    [
        ("Exam: right hip internal rotation and abduction painfully restricted.", "limited"),
        ("O/E: painful limitation of left hip flexion.", "limited"),
        ("Limitation of R hip rotation on examination.", "limited"),
        ("Right hip PROM reduced, worse in IR.", "limited"),
        ("Left hip AROM diminished in all directions.", "limited"),
        ("Hip range markedly reduced in all planes.", "severely_limited"),
        ("Reference range reduced for age.", None),
        ("Limitation of walking distance to 200 m.", None),
    ],
)
def test_limited_range_wordings(text: str, rom: str | None) -> None:
    assert extract_text(text).case.exam.range_of_motion == rom
