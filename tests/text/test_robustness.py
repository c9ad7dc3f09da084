"""Whatever text arrives, the reader returns a valid case or a clear InputError: no crash, no
hang. Property-based over arbitrary and clinical-looking text."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tohip.case.schema import Case
from tohip.errors import InputError
from tohip.text.extract import extract_text

VOCABULARY = """
no not cannot exclude left right bilateral hip pain fever CRP 45 mg/L ESR 120 mm/h WBC 15,800 /uL
T 39.2 42yo M F G2P1 at 34 weeks 36/40 postpartum breastfeeding MRI XR bone scan BME oedema
femoral head neck acetabulum fracture ? ; : . , ( ) mother history of previous marrow replacing
lesion lytic double line sign 3/52 for 2 months since March Mrs Mr he she 0 999 1e9 -4
"""
WORDS = st.sampled_from(VOCABULARY.split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_clinical_looking_word_salad_gives_a_valid_case(text: str) -> None:
    x = extract_text(text)
    assert isinstance(x.case, Case)
    for e in x.evidence:
        assert text[e.start : e.end] == e.text


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_unicode_text_gives_a_case_or_an_input_error(text: str) -> None:
    try:
        x = extract_text(text)
    except InputError as exc:
        assert "NUL" in str(exc)
        return
    assert isinstance(x.case, Case)


def test_a_long_repetitive_note_finishes_quickly() -> None:
    note = "No fracture. Marrow oedema of the femoral head and neck. CRP 4 mg/L. " * 700
    start = time.perf_counter()
    x = extract_text(note)
    assert time.perf_counter() - start < 30
    assert x.case.imaging.mri is not None


def test_ten_megabytes_is_refused_at_once() -> None:
    start = time.perf_counter()
    try:
        extract_text("a" * 10_000_000)
    except InputError as exc:
        assert "characters" in str(exc)
    else:
        raise AssertionError("10 MB of text was accepted")
    assert time.perf_counter() - start < 1
