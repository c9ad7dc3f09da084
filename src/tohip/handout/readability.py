"""Reading level of the handout: Flesch-Kincaid, Coleman-Liau and ARI, computed offline.

The three formulas are implemented here, with the same counting and rounding as textstat 0.7.4,
which tohip used before (its English defaults; grades were checked identical on every dev-case
handout, see BENCHMARKS.md). textstat itself was dropped: 0.7.4 imports ``pkg_resources``, which
new Python 3.12+ virtual environments lack (and recent setuptools removed), and every later
release counts syllables with NLTK's CMU dictionary, downloaded at run time. Syllables are
counted, as in textstat 0.7.4, from Pyphen's hyphenation points (Pyphen ships its dictionaries
and is already needed by WeasyPrint).

Pyphen undercounts long medical words, so the Flesch-Kincaid grade is cross-checked against two
indices that count letters, not syllables (Coleman-Liau and the Automated Readability Index).
``grade`` is the highest of the three: the handout must be at or below the target on all of them.

Counting rules (textstat 0.7.4's):

- a *word* is a whitespace-separated token once every character that is neither a word character
  nor whitespace is removed ("don't" -> "dont", "X-ray" -> "Xray": one word);
- a *sentence* is a run of text up to ``.``, ``!`` or ``?``; runs of two words or fewer
  ("Dr.", "e.g.", a heading fragment) do not count, and there is always at least one sentence;
- *letters* are the characters left after removing whitespace and punctuation; *characters*
  (for ARI) are all non-whitespace characters, punctuation included;
- intermediate averages are rounded (words per sentence and syllables per word to 1 decimal,
  letters and sentences per word to 2), then each index is rounded, all with textstat's rule
  (see ``_round``).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import pyphen
from pydantic import BaseModel, ConfigDict

TARGET_GRADE = 8.0
LANGUAGE = "en_US"

_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


class ReadingScores(BaseModel):
    model_config = ConfigDict(frozen=True)

    flesch_kincaid_grade: float
    coleman_liau_index: float
    automated_readability_index: float
    flesch_reading_ease: float
    grade: float  # the highest of the three grade indices
    target: float = TARGET_GRADE
    words: int


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=LANGUAGE)


def _round(number: float, points: int) -> float:
    """textstat 0.7.4's ``_legacy_round``: ``floor(x * 10**points + copysign(0.5, x))``.

    Half up for positive numbers; a negative number moves one step further down (-15.59 ->
    -15.7), a quirk kept so that grades stay identical. Only very easy text scores below zero.
    """
    scale = 10.0**points
    return math.floor(number * scale + math.copysign(0.5, number)) / scale


def _words(text: str) -> list[str]:
    return _PUNCTUATION.sub("", text).split()


def _syllables(words: list[str]) -> int:
    hyphenator = _hyphenator()
    return sum(len(hyphenator.positions(word.lower())) + 1 for word in words)


def _sentences(text: str) -> int:
    runs = _SENTENCE.findall(text)
    return max(1, sum(1 for run in runs if len(_words(run)) > 2))


@lru_cache(maxsize=256)
def reading_scores(text: str) -> ReadingScores:
    """The three grade indices and the reading ease of ``text`` (cached by text)."""
    words = _words(text)
    n_words = len(words)
    n_sentences = _sentences(text)
    n_letters = len(_PUNCTUATION.sub("", _SPACE.sub("", text)))
    n_chars = len(_SPACE.sub("", text))

    words_per_sentence = _round(n_words / n_sentences, 1)
    if n_words:
        syllables_per_word = _round(_syllables(words) / n_words, 1)
        letters_per_word = _round(n_letters / n_words, 2)
        sentences_per_word = _round(n_sentences / n_words, 2)
    else:
        syllables_per_word = letters_per_word = sentences_per_word = 0.0

    fk = _round(0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59, 1)
    reading_ease = _round(206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word, 2)
    cl = _round(
        0.058 * _round(letters_per_word * 100, 2)
        - 0.296 * _round(sentences_per_word * 100, 2)
        - 15.8,
        2,
    )
    if n_words:
        chars_per_word = _round(n_chars / n_words, 2)
        ari = _round(4.71 * chars_per_word + 0.5 * _round(n_words / n_sentences, 2) - 21.43, 1)
    else:
        ari = 0.0
    return ReadingScores(
        flesch_kincaid_grade=fk,
        coleman_liau_index=cl,
        automated_readability_index=ari,
        flesch_reading_ease=reading_ease,
        grade=max(fk, cl, ari),
        words=n_words,
    )
