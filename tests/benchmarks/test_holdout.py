"""The second held-out split is checked before it is written: sound notes, sources unused."""

from __future__ import annotations

from typing import Any

import pytest
from benchmarks.corpus.gold import read_split
from benchmarks.corpus.holdout import CONDITIONS, add_gold, assemble, corpus_source_keys, problems
from benchmarks.corpus.split import _keys
from pydantic import ValidationError


def _note(name: str, doi: str, condition: str = "transient_osteoporosis") -> dict[str, Any]:
    return {
        "id": name,
        "condition": condition,
        "source": {"citation": f"Author. Title {doi}. J. 2020.", "doi": doi},
        "style": "clinic_letter",
        "text": "Ortho clinic. 41M, 3/52 L groin pain, no trauma. " * 12,
    }


def test_sound_notes_have_no_problems() -> None:
    assert problems([_note("w1-01", "10.1/a"), _note("w1-02", "10.1/b")], set()) == []


def test_a_source_used_in_the_corpus_is_refused_a_shared_one_within_is_not() -> None:
    found = problems(
        [_note("w1-01", "10.1/a"), _note("w1-02", "10.1/A"), _note("w2-01", "10.1/c")],
        {"doi:10.1/c"},
    )
    assert found == ["w2-01: source already in the corpus (doi:10.1/c)"]


def test_an_unknown_condition_a_missing_field_and_a_snippet_are_refused() -> None:
    bad = _note("w3-01", "10.1/d", condition="bursitis")
    short = {**_note("w3-02", "10.1/e"), "text": "L hip pain."}
    no_style = {k: v for k, v in _note("w3-03", "10.1/f").items() if k != "style"}
    found = problems([bad, short, no_style], set())
    assert found == [
        "w3-01: unknown condition 'bursitis'",
        "w3-02: text of 11 characters",
        "w3-03: no style",
    ]


def test_assemble_renames_in_an_order_that_does_not_follow_the_writers() -> None:
    notes = [{**_note(f"w1-{i:02d}", f"10.1/{i}"), "text": f"note {i} " * 60} for i in range(1, 9)]
    out = assemble(notes)
    assert [n["id"] for n in out] == [f"ho-{i:03d}" for i in range(1, 9)]
    assert sorted(n["writer_id"] for n in out) == [n["id"] for n in notes]
    assert [n["writer_id"] for n in out] != [n["id"] for n in notes]
    assert assemble(list(reversed(notes))) == out


def test_the_holdout_split_is_sound_and_shares_no_source_with_the_corpus() -> None:
    _, notes = read_split("holdout")
    assert problems(notes, corpus_source_keys()) == []
    assert len(notes) >= 60
    assert len({n["id"] for n in notes}) == len(notes)
    assert {n["condition"] for n in notes} == CONDITIONS


def test_add_gold_puts_each_case_on_its_note_and_refuses_a_mismatch() -> None:
    notes = [_note("ho-001", "10.1/a"), _note("ho-002", "10.1/b")]
    entries = [
        {"id": "ho-002", "case": {"patient": {"age": 30}}, "doubts": "age stated once"},
        {"id": "ho-001", "case": {"patient": {"sex": "male"}}},
    ]
    out = add_gold(notes, entries)
    assert out[0]["gold"] == {"patient": {"sex": "male"}} and "gold_doubts" not in out[0]
    assert out[1]["gold_doubts"] == "age stated once"
    with pytest.raises(ValueError):
        add_gold(notes, entries[:1])
    with pytest.raises(ValidationError):
        add_gold(notes, [entries[0], {"id": "ho-001", "case": {"patient": {"age": "old"}}}])


def test_the_third_split_must_also_avoid_the_second_splits_sources() -> None:
    _, second = read_split("holdout")
    second_keys = {k for n in second for k in _keys(n["source"])}
    assert second_keys and second_keys <= corpus_source_keys("holdout2")
    assert not second_keys & corpus_source_keys("holdout") - {
        k
        for split in ("train", "dev", "test")
        for n in read_split(split)[1]
        for k in _keys(n["source"])
    }
    assert [n["id"] for n in assemble([_note("w1-01", "10.1/a")], "h2")] == ["h2-001"]


def test_the_third_split_is_sound_shares_no_earlier_source_and_has_gold() -> None:
    _, notes = read_split("holdout2")
    assert problems(notes, corpus_source_keys("holdout2")) == []
    assert len(notes) >= 59 and all(n["id"].startswith("h2-") for n in notes)
    assert {n["condition"] for n in notes} == CONDITIONS
    assert all("gold" in n for n in notes)
