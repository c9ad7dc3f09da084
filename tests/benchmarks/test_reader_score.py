"""The corpus benchmark's reader score: values counted by section and, on request, by field."""

from __future__ import annotations

from benchmarks.run_corpus import ReaderScore


def test_a_field_is_counted_over_every_study_and_by_value() -> None:
    gold = {"imaging": {"mri": {"other_cause": True}, "ct": {"other_cause": False}}}
    read = {"imaging": {"mri": {"other_cause": True}, "xray": {"other_cause": True}}}
    score = ReaderScore()
    score.add("n1", gold, read)
    assert score.field_counts("other_cause") == {"tp": 1, "fp": 1, "fn": 1}
    assert score.field_counts("other_cause=true") == {"tp": 1, "fp": 1, "fn": 0}
    assert score.field_counts("other_cause=false") == {"tp": 0, "fp": 0, "fn": 1}
    assert (score.tp["imaging.mri"], score.fp["imaging.xray"], score.fn["imaging.ct"]) == (1, 1, 1)
    assert score.prf()["precision"] == 0.5 and score.prf()["recall"] == 0.5
