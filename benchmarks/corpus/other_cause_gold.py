"""Add the independent annotators' ``other_cause`` gold to the split files.

The case model gained ``imaging.<study>.other_cause`` (another cause of the pain, none of the eight
conditions, seen on that study) after the corpus and its gold were written. Three annotators who
had not seen the reader, the notes' sources or their diagnoses labelled it from the text alone, one
per split, on notes shuffled under opaque ids. Their answers, mapped back to the note ids, are in
``other_cause_raw/<split>.yaml`` (``annotations: [{id, other_cause, evidence, doubt}]``). This
writes each answer into the note's gold case, creating the study when the gold had not recorded
it, and validates the result against the case model.

    python -m benchmarks.corpus.other_cause_gold
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from benchmarks.corpus.gold import read_split, write_split
from tohip.case.schema import Case

HERE = Path(__file__).parent
STUDIES = ("xray", "mri", "ct", "ultrasound", "bone_scan")


def apply(gold: dict[str, Any], answer: dict[str, bool]) -> dict[str, Any]:
    """The gold case with the annotator's value on each study it named (other fields untouched)."""
    imaging = dict(gold.get("imaging") or {})
    for study, value in answer.items():
        if study not in STUDIES or not isinstance(value, bool):
            raise ValueError(f"unknown study or value: {study}={value!r}")
        imaging[study] = {**(imaging.get(study) or {}), "other_cause": value}
    merged = {**gold, "imaging": imaging} if imaging else dict(gold)
    Case.model_validate(merged)
    return merged


def main() -> None:
    for split in ("train", "dev", "test"):
        raw = yaml.safe_load((HERE / "other_cause_raw" / f"{split}.yaml").read_text("utf-8"))
        answers = {a["id"]: a.get("other_cause") or {} for a in raw["annotations"]}
        header, notes = read_split(split)
        missing = [n["id"] for n in notes if n["id"] not in answers]
        if missing:
            raise SystemExit(f"{split}: no annotation for {missing}")
        changed = 0
        for note in notes:
            if "gold" in note and answers[note["id"]]:
                note["gold"] = apply(note["gold"], answers[note["id"]])
                changed += 1
        write_split(split, header, notes)
        print(f"{split}: other_cause added to {changed} of {len(notes)} gold cases")


if __name__ == "__main__":
    main()
