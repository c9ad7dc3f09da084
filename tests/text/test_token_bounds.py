"""The reader's sentence lookup (extract._TokenBounds) gives what spaCy gives:
``doc.char_span(start, end, alignment_mode="expand").sent``, for every character range."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from tohip.text.extract import _TokenBounds, unwrap_lines
from tohip.text.pipeline import default_pipeline

REPO = Path(__file__).parents[2]


def _spacy(doc, start: int, end: int) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    return span.sent.start_char, span.sent.end_char


def test_sentence_bounds_equal_spacys_for_random_ranges() -> None:
    notes = yaml.safe_load((REPO / "benchmarks/corpus/train.yaml").read_text("utf-8"))["notes"]
    texts = [n["text"] for n in notes[:30]]
    texts += ["Mr. K is here.", "  leading space. Then\n\nMRI: x", "a", "no. no. no."]
    rng = random.Random(9)
    nlp = default_pipeline()
    compared = crossing = 0
    for text in texts:
        doc = nlp(unwrap_lines(text))
        bounds = _TokenBounds(doc)
        n = len(text)
        for _ in range(200):
            start = rng.randrange(0, n + 2)
            end = start + rng.randrange(1, 40)
            got = bounds.sentence(start, end)
            if got is None:  # the reader then asks spaCy
                continue
            expected = _spacy(doc, start, end)
            assert got == expected, (text[:40], start, end)
            compared += 1
            crossing += expected is not None and end > expected[1]
    assert compared > 3000
    assert crossing > 100  # ranges that run past their sentence: the first sentence only
