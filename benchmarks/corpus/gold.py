"""Merge the annotators' gold cases into the split files.

Each annotator wrote ``gold_raw/<group>.yaml`` (``gold: [{id, case, doubts}]``) from the notes'
text alone, without the source, the final diagnosis or the reader. This adds each case to its
note as ``gold`` (and the annotator's ``doubts``), after validating it against the case model.

    python -m benchmarks.corpus.gold
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tohip.case.schema import Case

HERE = Path(__file__).parent


def read_split(split: str) -> tuple[str, list[dict[str, Any]]]:
    """A split file's comment header and its notes."""
    text = (HERE / f"{split}.yaml").read_text("utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    return header, yaml.safe_load(text)["notes"]


def write_split(split: str, header: str, notes: list[dict[str, Any]]) -> None:
    """Write a split file back in the form it was read (header, then the notes)."""
    body = yaml.safe_dump({"notes": notes}, sort_keys=False, allow_unicode=True, width=100)
    (HERE / f"{split}.yaml").write_text(header + body, "utf-8")


def answered_notes(
    split: str, raw_folder: str
) -> tuple[str, list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]]:
    """A split's header and notes, and each answer of ``<raw_folder>/<split>.yaml`` beside the
    note it is about (one-field gold rounds: fever, inflammatory markers). An answer for a note
    the split does not hold stops the merge: it would mean the ids were mapped back wrongly.
    """
    raw = yaml.safe_load((HERE / raw_folder / f"{split}.yaml").read_text("utf-8"))
    header, notes = read_split(split)
    by_id = {n["id"]: n for n in notes}
    unknown = [a["id"] for a in raw["annotations"] if a["id"] not in by_id]
    if unknown:
        raise SystemExit(f"{split}: annotations for notes it does not hold: {unknown}")
    return header, notes, [(by_id[a["id"]], a) for a in raw["annotations"]]


def main() -> None:
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted((HERE / "gold_raw").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text("utf-8"))["gold"]:
            Case.model_validate(entry["case"])
            gold[entry["id"]] = entry
    for split in ("train", "dev", "test"):
        header, notes = read_split(split)
        added = 0
        for note in notes:
            entry = gold.get(note["id"])
            if entry is not None:
                note["gold"] = entry["case"]
                if entry.get("doubts"):
                    note["gold_doubts"] = entry["doubts"]
                added += 1
        write_split(split, header, notes)
        print(f"{split}: gold for {added} of {len(notes)} notes")


if __name__ == "__main__":
    main()
