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
