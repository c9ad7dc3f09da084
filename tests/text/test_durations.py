"""How long the present complaint has lasted (issue 9, session 5), in sentences written for
these tests. A wrong reader takes the first number with a unit: a treatment's length, the time
since an injection or a study, an illness that is not the complaint, a planned review."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("52F, 4 months L hip pain, worse on stairs.", 17.4),
        ("Indication: 70M, 3 mo LBP with right buttock pain.", 13.0),
        ("Clinical: 66 yo M, R hip pain ~5-6 weeks, no trauma.", 5.5),
        ("She has had groin pain of about two months.", 8.7),
        ("Intermittent hip pain both sides x ~3 months.", 13.0),
        ("Rt groin pain for 4/7, now struggling to weight bear.", 0.57),
        ("34F, 5d progressive throbbing L groin pain.", 0.7),
        ("Sudden L hip pain 2/52 ago, no trauma.", 2.0),
    ],
)
def test_the_complaints_duration(read, text: str, weeks: float) -> None:
    assert read(text).get("symptoms.duration_weeks") == pytest.approx(weeks, abs=0.05)


@pytest.mark.parametrize(
    "text",
    [
        # a treatment's length
        "Discharge meds: enoxaparin 40 mg od for 28 days, paracetamol 1 g qds.",
        "Plan: partial weight bearing with crutches x 6 weeks.",
        # a planned review
        "Right hip pain. Follow-up: fracture clinic 6/52 with X-ray.",
        # the time since an event, not the complaint's onset
        "Left hip pain. She had an intra-articular steroid injection 2 months ago.",
        "Right hip pain. Comparison: MRI 4 months ago.",
        "Hip pain. Not pregnant (LMP 2 weeks ago).",
        # an illness that is not the complaint
        "Known HIV for 9 years, on antiretrovirals. Right hip pain.",
        # a word that only looks like a number and a unit
        "Low back pain and bilateral hip pain and stiffness.",
    ],
)
def test_not_the_complaints_duration(read, text: str) -> None:
    assert "symptoms.duration_weeks" not in read(text)


def test_durations_of_a_one_line_note_read_in_linear_time() -> None:
    """A 50,000-character note of one clause after another with no full stop: each duration
    reads a bounded clause (it read the whole line, 12 s before session 5)."""
    import time

    from tohip.text import values
    from tohip.text.rules import load_text_rules

    cues = load_text_rules().durations
    text = ("hip pain for 3 weeks, " * 2300)[:50_000]
    start = time.process_time()
    found = list(values.durations(text, None, cues))
    assert len(found) > 2000
    assert time.process_time() - start < 2.0
