"""Medicines written in running text without a header (issue 9, session 5), in sentences written
for these tests: a dose written out is a medicine taken, a list chained after one current
medicine is current, and what a plan prescribes is not yet taken."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("PMH: rheumatoid arthritis (methotrexate 15 mg weekly + prednisolone 5 mg od).",
         {"methotrexate", "prednisolone"}),
        ("PMH: hypertension (amlodipine 10 mg daily). NKDA.", {"amlodipine"}),
        ("He is now on maintenance azathioprine and allopurinol.", {"azathioprine", "allopurinol"}),
        ("Viral load suppressed on dolutegravir + lamivudine/abacavir.",
         {"dolutegravir", "lamivudine", "abacavir"}),
        ("Meds now: enoxaparin 40 mg od, paracetamol, ferrous sulfate.",
         {"enoxaparin", "paracetamol", "ferrous sulfate"}),
    ],
)  # fmt: skip
def test_medicines_in_running_text(read, text: str, names: set[str]) -> None:
    assert set(read(text).get("patient.medications", [])) == names


@pytest.mark.parametrize(
    "text",
    [
        "Right hip pain.\nPlan: naproxen 500 mg bd with omeprazole 20 mg od, physiotherapy.\n",
        "DHx: nil regular, no steroids.",
    ],
)
def test_planned_or_denied_medicines_are_not_taken(read, text: str) -> None:
    found = read(text).get("patient.medications", [])
    assert not {"naproxen", "omeprazole", "steroids"} & set(found), found


def test_the_session_5_expressions_are_linear_on_50000_characters() -> None:
    """Each expression added for sides, durations and medicines (issue 9, session 5) on 50,000
    characters of hostile text: a quadratic one takes seconds here (the first dose pattern took
    4 s on a run of spaces), a linear one milliseconds. CPU time of this process."""
    import time

    from tohip.text import laterality, medicines, values

    patterns = [p for p, _ in values.DURATIONS] + [values.AFTER_EVENT]
    patterns += [laterality.BOTH_WORSE, laterality.ON_THE_SIDE]
    patterns += [medicines._DOSE_AFTER, medicines._LINK]
    size = 50_000
    texts = ["1" * size, " " * size, "\t" * size, "and " * (size // 4), ", " * (size // 2),
             "1 mg " * (size // 5), "/" * size, "pain " * (size // 5), "for" + " " * size,
             "x " * (size // 2), "~" * size, "L > " * (size // 4), "hip on the " * (size // 11),
             "4 months left " * (size // 14)]  # fmt: skip
    slow = []
    for pattern in patterns:
        for text in texts:
            start = time.process_time()
            for _ in pattern.finditer(text):
                pass
            seconds = time.process_time() - start
            if seconds > 0.5:
                slow.append(f"{pattern.pattern[:40]!r} on {text[:10]!r}: {seconds:.2f} s")
    assert not slow
