"""The clinic-letter shorthand "All:" for allergies (the editors' wording, two styles): an
allergy missed is a contraindication the care plan cannot see."""

from __future__ import annotations

import pytest


def _assert_read(got, allergies, medications) -> None:
    """The allergies read exactly, the medicines named among those read, none in both."""
    assert got.get("patient.allergies") == allergies
    meds = got.get("patient.medications")
    if medications is None:
        assert not meds
    else:
        assert all(m in meds for m in medications)
        assert not set(allergies or []) & set(meds)


@pytest.mark.parametrize(
    ("text", "allergies", "medications"),
    [
        ("PMH: asthma. Meds: salbutamol inh PRN, sertraline 50 mg. All: codeine (vomiting).", ["codeine"], ["sertraline"]),
        ("DH: ramipril 5 mg od.\nALL: penicillin - urticaria", ["penicillin"], ["ramipril"]),
        ("All: NKDA. Meds: nil regular.", [], None),
        # "all" without its colon is an ordinary word
        ("Bloods all normal. Meds: alendronate 70 mg weekly.", None, ["alendronate"]),
    ],
)  # fmt: skip
def test_all_colon_introduces_allergies(read, text, allergies, medications) -> None:
    _assert_read(read(text), allergies, medications)


@pytest.mark.parametrize(
    ("text", "allergies", "medications"),
    [
        # the allergy word after the medicine
        ("Penicillin allergy (urticaria as a child).", ["penicillin"], None),
        ("DH: amoxicillin 500 mg tds. NSAID intolerance - dyspepsia.", ["nsaid"], ["amoxicillin"]),
        # denied, or no medicine right before the word, it is no allergy
        ("No penicillin allergy documented.", None, None),
        ("Allergy clinic review next month. Meds: sertraline 50 mg.", None, ["sertraline"]),
    ],
)  # fmt: skip
def test_medicine_then_allergy_word(read, text, allergies, medications) -> None:
    _assert_read(read(text), allergies, medications)
