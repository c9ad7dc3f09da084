"""The inflammatory-marker gold is the annotators' majority, merged exactly as they answered."""

from __future__ import annotations

import pytest
import yaml
from benchmarks.corpus.gold import HERE, read_split
from benchmarks.corpus.markers_gold import apply, majority


def test_majority_needs_two_of_three() -> None:
    assert majority(["normal", "normal", None]) == "normal"
    assert majority(["raised", None, "raised"]) == "raised"
    assert majority(["normal", "raised", None]) is None
    assert majority([None, None, "raised"]) is None


def test_majority_refuses_an_answer_outside_the_field() -> None:
    with pytest.raises(ValueError):
        majority(["high", "high", "high"])


def test_apply_sets_the_field_and_keeps_the_other_labs() -> None:
    gold = {"labs": {"wbc": 7.0}}
    assert apply(gold, "raised")["labs"] == {"wbc": 7.0, "inflammatory_markers": "raised"}
    assert gold["labs"] == {"wbc": 7.0}  # not mutated
    assert apply(gold, None) is gold


@pytest.mark.parametrize("split", ["train", "dev", "holdout"])
def test_every_majority_answer_is_in_the_split_file(split: str) -> None:
    raw = yaml.safe_load((HERE / "markers_raw" / f"{split}.yaml").read_text("utf-8"))
    notes = {n["id"]: n for n in read_split(split)[1]}
    set_here = [(a["id"], majority(a["answers"])) for a in raw["annotations"]]
    assert any(value for _, value in set_here)
    for note_id, value in set_here:
        labs = notes[note_id]["gold"].get("labs") or {}
        assert labs.get("inflammatory_markers") == value, note_id
