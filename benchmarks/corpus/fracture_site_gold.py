"""Narrow the gold ``fracture_line`` of X-ray, CT and follow-up studies to the proximal femur.

The case model's ``fracture_line`` on those studies is the proximal femur's (head, neck,
trochanteric or subtrochanteric region), because the knowledge base reads it as a femoral
fracture; a sacral, pubic or other pelvic fracture is ``other_cause`` instead. The corpus gold was
written under a looser convention that recorded any fracture line the study showed. One annotator
who had not seen the reader, the notes' sources or their diagnoses re-read every study whose gold
said ``fracture_line: true``, from the note's text alone, shuffled under opaque ids, and said
whether the line lies in the proximal femur. Their answers, mapped back to the note ids, are in
``fracture_site_raw/<split>.yaml`` (``annotations: [{id, study, proximal_femur, site,
evidence}]``). Where the answer is ``false`` the study's ``fracture_line`` is dropped (the note
does not say whether the femur was cleared, so it becomes unknown, not absent); ``true`` and
undecided answers leave the gold as it was.

    python -m benchmarks.corpus.fracture_site_gold
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from benchmarks.corpus.gold import read_split, write_split
from tohip.case.schema import Case

HERE = Path(__file__).parent
_STUDY = re.compile(r"^(xray|ct)$|^followup\[(\d+)\]$")


def drop_fracture_line(gold: dict[str, Any], study: str) -> dict[str, Any]:
    """The gold case without ``fracture_line`` on ``study`` (``xray``, ``ct`` or ``followup[k]``).

    A study whose ``fracture_line`` is already gone is left as it is (the merge can run again);
    one holding any other value, or missing, is refused, so an answer mapped to the wrong note or
    study fails loudly instead of silently changing something else.
    """
    match = _STUDY.match(study)
    if not match:
        raise ValueError(f"unknown study: {study!r}")
    imaging = dict(gold.get("imaging") or {})
    if match.group(1):
        if study not in imaging:
            raise ValueError(f"the gold case has no {study} study")
        imaging[study] = _without_fracture_line(imaging[study], study)
    else:
        index = int(match.group(2))
        followups = list(imaging.get("followup") or [])
        if index >= len(followups):
            raise ValueError(f"the gold case has no {study} study")
        followups[index] = _without_fracture_line(followups[index], study)
        imaging["followup"] = followups
    merged = {**gold, "imaging": imaging}
    Case.model_validate(merged)
    return merged


def _without_fracture_line(part: dict[str, Any], study: str) -> dict[str, Any]:
    if part.get("fracture_line", True) is not True:
        raise ValueError(f"{study} has fracture_line {part['fracture_line']!r}, not true")
    return {k: v for k, v in part.items() if k != "fracture_line"}


def main() -> None:
    for split in ("train", "dev", "test"):
        raw = yaml.safe_load((HERE / "fracture_site_raw" / f"{split}.yaml").read_text("utf-8"))
        header, notes = read_split(split)
        by_id = {n["id"]: n for n in notes}
        dropped = kept = 0
        for answer in raw["annotations"]:
            note = by_id[answer["id"]]
            if answer["proximal_femur"] is False:
                note["gold"] = drop_fracture_line(note["gold"], answer["study"])
                dropped += 1
            else:
                kept += 1
        write_split(split, header, notes)
        print(f"{split}: fracture_line dropped on {dropped} studies (not femoral), kept on {kept}")


if __name__ == "__main__":
    main()
