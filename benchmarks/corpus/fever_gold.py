"""Add the independent annotators' ``symptoms.fever`` gold to the split files.

The case model gained ``symptoms.fever`` (fever in this episode stated in words: "febrile",
"fevers", "rigors"; false for "afebrile", "no fever") in session 9, when the reader stopped
turning those words into made-up temperatures (36.8 and 38.5 degC). The corpus annotators had
recorded a temperature only when the note gave a number, so the words were in no gold case.
Three annotators who had not seen the reader, the sources or the diagnoses answered the question
from the text alone, on notes shuffled under opaque ids; only notes that a broad screen
(``fever_raw/*.yaml`` headers) found a fever-related word in were asked. Their answers, mapped back
to the note ids, are in ``fever_raw/<split>.yaml`` (``annotations: [{id, fever, evidence}]``);
``null`` (not said) leaves the gold as it was.

    python -m benchmarks.corpus.fever_gold
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.corpus.gold import answered_notes, write_split
from tohip.case.schema import Case

HERE = Path(__file__).parent
SPLITS = ("train", "dev", "test", "holdout")


def apply(gold: dict[str, Any], fever: bool | None) -> dict[str, Any]:
    """The gold case with ``symptoms.fever`` set (other fields untouched); None changes nothing."""
    if fever is None:
        return gold
    if not isinstance(fever, bool):
        raise ValueError(f"fever must be true, false or null, not {fever!r}")
    merged = {**gold, "symptoms": {**(gold.get("symptoms") or {}), "fever": fever}}
    Case.model_validate(merged)
    return merged


def main() -> None:
    for split in SPLITS:
        header, notes, answered = answered_notes(split, "fever_raw")
        for note, answer in answered:
            note["gold"] = apply(note["gold"], answer["fever"])
        write_split(split, header, notes)
        said = [a["fever"] for _, a in answered if a["fever"] is not None]
        print(f"{split}: fever set on {len(said)} gold cases ({sum(said)} true)")


if __name__ == "__main__":
    main()
