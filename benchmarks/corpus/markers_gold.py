"""Add the independent annotators' ``labs.inflammatory_markers`` gold to the split files.

The case model gained ``labs.inflammatory_markers`` (CRP / ESR reported in words with no number:
"inflammatory markers normal", "raised CRP") in session 10, when the reader stopped turning those
words into made-up values (CRP 3 or 30 mg/L, ESR 10 mm/h). The corpus annotators had recorded
CRP and ESR only when the note gave a number, so the words were in no gold case. Three annotators
who had not seen the reader, the sources or the diagnoses each answered the question for every
note a broad screen flagged, from the text alone, on notes shuffled under opaque ids. Their
answers, mapped back to the note ids, are in ``markers_raw/<split>.yaml`` (``annotations: [{id,
item, answers, quotes}]``). The gold takes the answer at least two of the three gave; ``null``
(not said in words) or no majority leaves the gold case as it was.

    python -m benchmarks.corpus.markers_gold
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from benchmarks.corpus.gold import answered_notes, write_split
from tohip.case.schema import Case

SPLITS = ("train", "dev", "test", "holdout")
STATES = ("normal", "raised")


def majority(answers: list[str | None]) -> str | None:
    """The answer at least two annotators gave, or None (no majority, or most said nothing)."""
    bad = [a for a in answers if a is not None and a not in STATES]
    if bad:
        raise ValueError(f"inflammatory_markers must be normal, raised or null, not {bad[0]!r}")
    answer, count = Counter(answers).most_common(1)[0]
    return answer if count >= 2 else None


def apply(gold: dict[str, Any], markers: str | None) -> dict[str, Any]:
    """The gold case with ``labs.inflammatory_markers`` set (other fields untouched)."""
    if markers is None:
        return gold
    merged = {**gold, "labs": {**(gold.get("labs") or {}), "inflammatory_markers": markers}}
    Case.model_validate(merged)
    return merged


def main() -> None:
    for split in SPLITS:
        header, notes, answered = answered_notes(split, "markers_raw")
        said: Counter[str | None] = Counter()
        for note, answer in answered:
            value = majority(answer["answers"])
            note["gold"] = apply(note["gold"], value)
            said[value] += 1
        write_split(split, header, notes)
        print(f"{split}: normal {said['normal']}, raised {said['raised']}, unset {said[None]}")


if __name__ == "__main__":
    main()
