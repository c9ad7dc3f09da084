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


def main() -> None:
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted((HERE / "gold_raw").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text("utf-8"))["gold"]:
            Case.model_validate(entry["case"])
            gold[entry["id"]] = entry
    for split in ("train", "dev", "test"):
        path = HERE / f"{split}.yaml"
        text = path.read_text("utf-8")
        header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
        notes = yaml.safe_load(text)["notes"]
        added = 0
        for note in notes:
            entry = gold.get(note["id"])
            if entry is not None:
                note["gold"] = entry["case"]
                if entry.get("doubts"):
                    note["gold_doubts"] = entry["doubts"]
                added += 1
        body = yaml.safe_dump({"notes": notes}, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(header + body, "utf-8")
        print(f"{split}: gold for {added} of {len(notes)} notes")


if __name__ == "__main__":
    main()
