"""Lab results reported against a limit ("CRP <10", "less than 5") and white counts under their
other common names (total leucocyte count, TLC). A result below a reporting limit read as the
limit itself sits on the boundary of the engine's band ("below 10" is a normal CRP) and raised a
false infection alarm; the phrasings below are the tohip editors', not the corpus notes'."""

from __future__ import annotations

import pytest

from tohip.api import assess_extraction
from tohip.text.extract import extract_text


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        # below a reporting limit: half the limit, in canonical units
        ("Inflammatory markers: CRP <10 mg/L, ESR 8.", "labs.crp", 5.0),
        ("Her C-reactive protein was less than 0.5 mg/dL.", "labs.crp", 2.5),
        ("ESR below 20 mm/h and WBC 6.1.", "labs.esr", 10.0),
        ("CRP < 4", "labs.crp", 2.0),
        # above a limit: the limit (a lower bound, the safe side)
        ("ESR >120 mm/hr on admission", "labs.esr", 120.0),
        ("CRP greater than 250 mg/L", "labs.crp", 250.0),
        # a T-score "below" a cut-off keeps the number: -2.5 or lower is osteoporosis
        ("DXA: lowest T-score < -2.5 at the femoral neck.", "labs.dxa_t_score", -2.5),
        # a temperature "below 38" is no highest temperature at all
        ("Obs: temp <38, HR 80.", "labs.temperature", None),
        # white counts under other names, in 10^9/L or per microlitre
        ("CBC: Hb 12.1 g/dL, TLC 9,400/cmm, platelets 250.", "labs.wbc", 9.4),
        ("Total leukocyte count 13.2 x10^9/L.", "labs.wbc", 13.2),
        ("Haemogram: total white cell count 5,100.", "labs.wbc", 5.1),
    ],
)  # fmt: skip
def test_lab_value(read, text: str, path: str, expected: object) -> None:
    got = read(text).get(path)
    assert got == (pytest.approx(expected) if isinstance(expected, float) else expected)


def test_a_percentage_after_tlc_is_not_a_white_count(read) -> None:
    # TLC is also total lung capacity in a lung function report
    assert read("Spirometry: FEV1 78%, TLC 92% predicted.").get("labs.wbc") is None


@pytest.mark.parametrize(
    "text",
    [
        "Bloods today: WCC 6.4, CRP <10, ESR 12. Afebrile.",
        "Labs - white count 7.0; C-reactive protein less than 10 mg/L.",
    ],
)
def test_a_crp_under_its_limit_raises_no_infection_alarm(text: str) -> None:
    x = extract_text(text)
    flags = {f.id for f in assess_extraction(x).red_flags}
    assert "exclude_infection" not in flags
    note = next(e.note for e in x.evidence if e.path == "labs.crp")
    assert note is not None and "half the limit" in note


def test_a_raised_crp_still_raises_the_alarm() -> None:
    x = extract_text("Bloods today: WCC 14.2, CRP >100, ESR 70. T 38.4.")
    assert "exclude_infection" in {f.id for f in assess_extraction(x).red_flags}


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        # a number followed by a time is when the test was done, not its result (a CRP of "2"
        # hid a CRP of 150)
        ("CRP 2 days ago was 150; repeat pending.", "labs.crp", None),
        ("ESR 3 weeks ago: 60 mm/h.", "labs.esr", None),
        ("CRP 38 mg/L; ESR 4 weeks after the injection normal.", "labs.crp", 38.0),
        # a printout's reference interval between the name and the result
        ("CRP (0-5) 64 mg/L", "labs.crp", 64.0),
        ("ESR [ref 0-20 mm/h]: 47", "labs.esr", 47.0),
        ("White cell count (4.0-11.0) 13.1", "labs.wbc", 13.1),
        # a bracketed result is still the result
        ("Inflammatory markers up (CRP 48).", "labs.crp", 48.0),
    ],
)  # fmt: skip
def test_times_and_reference_intervals(read, text: str, path: str, expected: object) -> None:
    got = read(text).get(path)
    assert got == (pytest.approx(expected) if isinstance(expected, float) else expected)
