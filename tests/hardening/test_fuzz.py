"""The fuzzers at CI size: a few seconds each. The large run (10,000 JSON cases and 2,000 notes)
is ``python -m benchmarks.run_fuzz``, with its figures in BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt

from benchmarks.fuzz import NOTE_DATES, check_json_case, check_note, json_case_texts, notes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CI = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
NOTE_SECONDS_LIMIT = 30.0  # a blow-up, not noise: a 25-piece note reads in well under 1 s


@CI
@given(json_case_texts())
def test_json_cases_are_refused_in_one_line_or_assessed(text: str) -> None:
    assert check_json_case(text) in ("refused", "assessed")


@settings(CI, max_examples=40)
@given(notes(max_pieces=25), NOTE_DATES)
def test_notes_are_read_and_assessed_without_a_crash(text: str, note_date: dt.date | None) -> None:
    outcome, seconds, _ = check_note(text, note_date)
    assert outcome in ("refused", "assessed")
    assert seconds < NOTE_SECONDS_LIMIT


@CI
@given(st.sampled_from(["[/]", "[link=x]y[/link]", "\x1b[31m", "a" * 250]))
def test_hostile_case_ids_are_kept_literally_or_refused(case_id: str) -> None:
    import json

    assert check_json_case(json.dumps({"id": case_id})) in ("refused", "assessed")
