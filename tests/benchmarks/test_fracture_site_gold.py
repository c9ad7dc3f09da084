"""The fracture-site answers narrow the gold's fracture_line exactly where the annotator said."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from benchmarks.corpus.fracture_site_gold import drop_fracture_line
from benchmarks.corpus.gold import HERE, read_split


def _gold() -> dict[str, Any]:
    return {
        "patient": {"age": 80},
        "imaging": {
            "ct": {"fracture_line": True, "sclerosis": True},
            "followup": [{"modality": "xray", "fracture_line": True}, {"modality": "mri"}],
        },
    }


def test_drop_removes_only_that_studys_fracture_line() -> None:
    gold = _gold()
    merged = drop_fracture_line(gold, "ct")
    assert merged["imaging"]["ct"] == {"sclerosis": True}
    assert merged["imaging"]["followup"][0]["fracture_line"] is True
    assert gold["imaging"]["ct"]["fracture_line"] is True  # not mutated


def test_drop_reaches_a_followup_by_index_and_can_run_twice() -> None:
    once = drop_fracture_line(_gold(), "followup[0]")
    assert once["imaging"]["followup"][0] == {"modality": "xray"}
    assert drop_fracture_line(once, "followup[0]") == once


@pytest.mark.parametrize("study", ["mri", "xray", "followup[2]", "followup"])
def test_drop_refuses_a_study_the_gold_does_not_hold(study: str) -> None:
    with pytest.raises(ValueError):
        drop_fracture_line(_gold(), study)


def test_drop_refuses_a_false_fracture_line() -> None:
    gold = {"imaging": {"xray": {"fracture_line": False}}}
    with pytest.raises(ValueError):
        drop_fracture_line(gold, "xray")


@pytest.mark.parametrize("split", ["train", "dev"])
def test_split_files_follow_the_answers(split: str) -> None:
    raw = yaml.safe_load((HERE / "fracture_site_raw" / f"{split}.yaml").read_text("utf-8"))
    notes = {n["id"]: n for n in read_split(split)[1]}
    for answer in raw["annotations"]:
        imaging = notes[answer["id"]]["gold"]["imaging"]
        study = answer["study"]
        if study.startswith("followup"):
            part = imaging["followup"][int(study[len("followup[") : -1])]
        else:
            part = imaging[study]
        expected = True if answer["proximal_femur"] is not False else None
        assert part.get("fracture_line") is expected, (answer["id"], study)
