"""The prefilter skips a regular expression only on a text it cannot match."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.text.test_worst_case import reader_patterns
from tohip.text.prefilter import FOLD_TO_ASCII, Prefiltered, fold, required_literals

REPO = Path(__file__).parents[2]


def test_fold_covers_every_character_ignorecase_equates_with_an_ascii_letter() -> None:
    letter = re.compile("[a-z]", re.I)
    missed = []
    for code in range(0x80, 0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        equated = letter.fullmatch(char) or any(c.isascii() for c in char.lower())
        if equated and code not in FOLD_TO_ASCII:
            missed.append(hex(code))
    assert missed == []


def test_required_literals_come_only_from_parts_every_match_passes() -> None:
    def lits(p: str, flags: int = re.I) -> set[str] | None:
        found = required_literals(re.compile(p, flags))
        return None if found is None else set(found)

    assert lits(r"\bSwelling\s+(?:of|over)\b") == {"swelling"}
    assert lits(r"(?:alcohol|etoh)\s*\d") == {"alcohol", "etoh"}
    assert lits(r"(?:foo)?bar") == {"bar"}
    assert lits(r"(?:foo|\d+)bar") == {"bar"}  # one alternative has no literal: not the group
    assert lits(r"(?:ab)+c") == {"ab"}
    assert lits(r"(?:ab)*") is None
    assert lits(r"(?-i:Mr)\s") is None  # case rules differ inside the group
    assert lits(r"Mr\s", 0) == {"Mr"}  # case-sensitive pattern: literals as written
    assert lits(r"(?<=abc)\d") is None  # a look-behind is not part of the match
    assert lits(r"(?<=abc)x|y") == {"x", "y"}


def _texts() -> list[str]:
    notes = []
    for split in ("train", "dev"):
        raw = yaml.safe_load((REPO / f"benchmarks/corpus/{split}.yaml").read_text("utf-8"))
        notes += [n["text"] for n in raw["notes"]]
    notes += [n.upper() for n in notes[:40]] + [n.replace("s", "\u017f") for n in notes[:40]]
    return notes


def test_no_reader_pattern_is_skipped_on_a_text_it_matches() -> None:
    patterns = reader_patterns()
    filtered = {name: Prefiltered(p) for name, p in patterns.items()}
    assert sum(f.literals is not None for f in filtered.values()) > len(filtered) // 2
    skipped = 0
    for text in _texts():
        folded = fold(text)
        for name, f in filtered.items():
            possible = f.possible(text, folded)
            assert possible or f.pattern.search(text) is None, (name, text[:60])
            skipped += not possible
    assert skipped > 1000  # the filter does skip


WORDS = ["swelling", "SWELLING", "ſwelling", "alcohol", "3 units/week", "T1 low", "stir high",
         "reduced ROM", "normal MRI", "at 34/40", "6 weeks postpartum", "WBC 12", "Mr Smith",
         "she", "left hip", "3/52", "2 weeks ago", "oedema of the femoral head", "\n", " ", "."]  # fmt: skip


FILTERED = [(name, Prefiltered(p)) for name, p in reader_patterns().items()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12))
def test_filter_agrees_with_the_pattern_on_generated_texts(words: list[str]) -> None:
    text = " ".join(words)
    for name, f in FILTERED:
        assert f.possible(text) or f.pattern.search(text) is None, (name, text)
