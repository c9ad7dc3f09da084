"""The fever gold is merged into the split files exactly as the annotators answered."""

from __future__ import annotations

import pytest
import yaml
from benchmarks.corpus.fever_gold import apply
from benchmarks.corpus.gold import HERE, read_split


def test_apply_sets_fever_and_keeps_the_other_symptoms() -> None:
    gold = {"patient": {"age": 30}, "symptoms": {"limp": True}}
    merged = apply(gold, False)
    assert merged["symptoms"] == {"limp": True, "fever": False}
    assert gold["symptoms"] == {"limp": True}  # not mutated
    assert apply(gold, None) is gold


def test_apply_refuses_what_is_not_a_truth_value() -> None:
    with pytest.raises(ValueError):
        apply({}, "yes")  # type: ignore[arg-type]


@pytest.mark.parametrize("split", ["train", "dev"])
def test_every_answer_is_in_the_split_file(split: str) -> None:
    raw = yaml.safe_load((HERE / "fever_raw" / f"{split}.yaml").read_text("utf-8"))
    notes = {n["id"]: n for n in read_split(split)[1]}
    answered = [a for a in raw["annotations"] if a["fever"] is not None]
    assert answered
    for answer in answered:
        assert notes[answer["id"]]["gold"]["symptoms"]["fever"] is answer["fever"], answer["id"]
