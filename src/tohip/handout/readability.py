"""Reading level of the handout, measured with textstat.

textstat 0.7.4 is pinned: later releases count syllables with NLTK's CMU dictionary, which they
download at run time (impossible offline). 0.7.4 counts syllables with Pyphen, which undercounts
long medical words, so the Flesch-Kincaid grade is cross-checked against two indices that count
letters, not syllables (Coleman-Liau and the Automated Readability Index). ``grade`` is the
highest of the three: the handout must be at or below the target on all of them.
"""

from __future__ import annotations

import textstat
from pydantic import BaseModel, ConfigDict

TARGET_GRADE = 8.0


class ReadingScores(BaseModel):
    model_config = ConfigDict(frozen=True)

    flesch_kincaid_grade: float
    coleman_liau_index: float
    automated_readability_index: float
    flesch_reading_ease: float
    grade: float  # the highest of the three grade indices
    target: float = TARGET_GRADE
    words: int


def reading_scores(text: str) -> ReadingScores:
    fk = float(textstat.flesch_kincaid_grade(text))
    cl = float(textstat.coleman_liau_index(text))
    ari = float(textstat.automated_readability_index(text))
    return ReadingScores(
        flesch_kincaid_grade=fk,
        coleman_liau_index=cl,
        automated_readability_index=ari,
        flesch_reading_ease=float(textstat.flesch_reading_ease(text)),
        grade=max(fk, cl, ari),
        words=int(textstat.lexicon_count(text)),
    )
