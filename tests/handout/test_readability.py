"""Reading scores: the same figures textstat 0.7.4 gave, with no pkg_resources and no download."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tohip.handout.readability import reading_scores

# Golden figures computed with textstat 0.7.4 (Pyphen 0.18.1, en_US) on Python 3.11, the
# implementation tohip used before issue 14: FK grade, Coleman-Liau, ARI, reading ease, words.
GOLDEN = [
    ("", (-15.7, -15.81, 0.0, 206.84, 0)),
    ("Rest the hip. Walk with crutches for a few weeks. It gets better.",
     (0.2, -0.29, -0.1, 100.95, 13)),
    ("Transient osteoporosis of the hip is a self-limiting condition characterised by bone "
     "marrow oedema on magnetic resonance imaging.", (15.0, 17.86, 16.9, 19.37, 18)),
    # abbreviations, a contraction, a number and fragments of two words or fewer
    ("Dr. Smith said: don't worry! Take paracetamol 1 g four times a day, e.g. with food? Yes.",
     (1.9, 2.17, 2.8, 96.69, 17)),
    ("Pain.", (-3.5, -22.21, 2.6, 121.22, 1)),
    ("Call 999 now if the pain is sudden and severe, or you have a fever over 38 °C.",
     (4.4, 1.1, 3.5, 95.51, 18)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), GOLDEN)
def test_scores_equal_textstat_0_7_4(text: str, expected: tuple[float, ...]) -> None:
    s = reading_scores(text)
    got = (
        s.flesch_kincaid_grade,
        s.coleman_liau_index,
        s.automated_readability_index,
        s.flesch_reading_ease,
        s.words,
    )
    assert got == expected
    assert s.grade == max(expected[:3])


@pytest.mark.slow
def test_needs_neither_pkg_resources_nor_nltk() -> None:
    """Python 3.12+ virtual environments have no pkg_resources; NLTK data would be downloaded."""
    code = (
        "import sys\n"
        "sys.modules['pkg_resources'] = None\n"
        "sys.modules['nltk'] = None\n"
        "sys.modules['textstat'] = None\n"
        "from tohip.handout.readability import reading_scores\n"
        "print(reading_scores('Rest the hip. Walk with crutches for a few weeks.').grade)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(out.stdout) < 8
