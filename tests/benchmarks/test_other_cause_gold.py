"""The other_cause gold is merged into the split files exactly as the annotators wrote it."""

from __future__ import annotations

import pytest
import yaml
from benchmarks.corpus.gold import HERE, read_split
from benchmarks.corpus.other_cause_gold import apply


def test_apply_adds_the_value_and_keeps_what_the_gold_had() -> None:
    gold = {"patient": {"age": 70}, "imaging": {"mri": {"edema_pattern": "diffuse_head_neck"}}}
    merged = apply(gold, {"mri": True, "ct": False})
    assert merged["imaging"]["mri"] == {"edema_pattern": "diffuse_head_neck", "other_cause": True}
    assert merged["imaging"]["ct"] == {"other_cause": False}
    assert gold["imaging"]["mri"] == {"edema_pattern": "diffuse_head_neck"}  # not mutated


@pytest.mark.parametrize("answer", [{"followup": True}, {"mri": "yes"}])
def test_apply_refuses_what_is_not_a_study_and_a_truth_value(answer: dict[str, bool]) -> None:
    with pytest.raises(ValueError):
        apply({}, answer)


@pytest.mark.parametrize("split", ["train", "dev"])
def test_every_annotation_is_in_the_split_file(split: str) -> None:
    raw = yaml.safe_load((HERE / "other_cause_raw" / f"{split}.yaml").read_text("utf-8"))
    answers = {a["id"]: a["other_cause"] for a in raw["annotations"]}
    _, notes = read_split(split)
    assert set(answers) == {n["id"] for n in notes}
    for note in notes:
        imaging = note["gold"].get("imaging") or {}
        for study, value in answers[note["id"]].items():
            assert imaging[study]["other_cause"] is value, (note["id"], study)
