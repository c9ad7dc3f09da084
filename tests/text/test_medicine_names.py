"""Medicines lists (issue 9, session 7): a brand name in brackets beside its generic name is the
same medicine, not a regimen's members; an exception to "no medicines" names one taken; a
medicine "was tried" is not taken.
Sentences written for these tests; each asserts what the earlier reader got wrong."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Medications: lansoprazole (Zoton) 30 mg, bisoprolol 2.5 mg.", {"lansoprazole", "bisoprolol"}),
        ("DHx: Nexium (esomeprazole) 20 mg od; atorvastatin 40 mg nocte.",
         {"esomeprazole", "atorvastatin"}),
        ("Meds: naproxen (Naprosyn) 500 mg bd, sertraline 50 mg.", {"naproxen", "sertraline"}),
    ],
)  # fmt: skip
def test_a_brand_in_brackets_is_the_same_medicine(read, text: str, names: set[str]) -> None:
    assert set(read(text).get("patient.medications", [])) == names


def test_a_regimen_with_its_members_in_brackets_records_the_members(read) -> None:
    found = read("Meds: ART (tenofovir/emtricitabine/dolutegravir), amlodipine 5 mg.")
    assert set(found["patient.medications"]) == {
        "tenofovir", "emtricitabine", "dolutegravir", "amlodipine"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Fit and well, no regular meds apart from sertraline.", ["sertraline"]),
        ("No medications except an occasional ibuprofen.", ["ibuprofen"]),
        ("Takes nothing regularly other than levothyroxine.", ["levothyroxine"]),
    ],
)  # fmt: skip
def test_an_exception_to_no_medicines_is_taken(read, text: str, names: list[str]) -> None:
    assert read(text).get("patient.medications") == names


@pytest.mark.parametrize(
    "text",
    [
        "No regular medications. Stopped naproxen last month.",
        "Not on any medications; ibuprofen was tried without effect.",
    ],
)
def test_no_medicines_without_an_exception_stays_none(read, text: str) -> None:
    assert read(text).get("patient.medications") == []
