"""Pain at rest and the pain's course, in the tohip editors' own wording (two styles each).

The night-pain finding is "pain at night or at rest": being comfortable at rest is its absence,
a low score at rest beside a higher one on loading is the mechanical pattern (no statement), and
pain that wakes the patient is night pain however it is put. ``symptoms.improving`` is the pain
easing untreated: easing after a treatment that changes the disease is not that course."""

from __future__ import annotations

import pytest

PATH = "symptoms.night_pain"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # comfortable at rest: no rest pain (a wrong reader takes "at rest" for rest pain)
        ("Hip aches on stairs but she is comfortable at rest.", False),
        ("O/E sitting: pain-free at rest, pain on FABER.", False),
        ("He says he has no pain at all at rest.", False),
        ("Only uncomfortable at rest after a long shift.", True),
        # scores: a low one at rest with a mechanical pattern says nothing of rest pain
        ("VAS 7/10 on walking, 2/10 at rest.", None),
        ("Pain score: at rest 1/10, weight bearing 6/10.", None),
        ("Pain 8/10 even at rest.", True),
        # waking from sleep
        ("The ache wakes her most nights.", True),
        ("Reports being woken by the pain in the early hours.", True),
        ("The pain does not wake him.", False),
        # easing with rest is a course, not a statement about rest pain
        ("Sore on loading, eases with rest.", None),
    ],
)
def test_rest_and_night_pain(read, text: str, expected: object) -> None:
    assert read(text).get(PATH) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # easing on its own, or with measures that leave the natural course alone
        ("The groin pain has been easing over the past fortnight.", True),
        ("Improving spontaneously; now walking without a stick.", True),
        ("Settled over the summer on crutches and regular paracetamol.", True),
        # easing after a disease-changing treatment is its response
        ("Much better since the washout and IV antibiotics.", None),
        ("Symptoms improved after the intra-articular steroid injection.", None),
        ("Pain has settled since the core decompression.", None),
        # not improving stays a statement about the course
        ("No improvement over six weeks.", False),
    ],
)
def test_course_of_the_pain(read, text: str, expected: object) -> None:
    assert read(text).get("symptoms.improving") is expected


@pytest.mark.parametrize(
    ("text", "path", "weeks"),
    [
        # a lower bound is not the duration: "for over", "for more than", "for at least"
        ("He has had left groin pain for over 4 months.", "symptoms.duration_weeks_at_least", 17.4),
        ("Right hip ache for more than three weeks.", "symptoms.duration_weeks_at_least", 3.0),
        (
            "Hip pain for at least 6 weeks, possibly longer.",
            "symptoms.duration_weeks_at_least",
            6.0,
        ),
        # a span ("over the last", "for about") is the duration itself
        ("Hip pain over the last 2 months.", "symptoms.duration_weeks", 8.7),
        ("Left hip pain for about 5 weeks.", "symptoms.duration_weeks", 5.0),
    ],
)
def test_duration_or_its_lower_bound(read, text: str, path: str, weeks: float) -> None:
    got = read(text)
    assert got.get(path) == pytest.approx(weeks)
    other = {"symptoms.duration_weeks", "symptoms.duration_weeks_at_least"} - {path}
    assert got.get(other.pop()) is None
