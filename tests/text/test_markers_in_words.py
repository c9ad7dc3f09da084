"""CRP and ESR reported in words are read as ``labs.inflammatory_markers``, never as a number.

The reader used to write CRP 3 / ESR 10 for a panel called normal and CRP 30 for "raised". A
measured value is still read as the lab's number, and beats words about the same marker.
Phrasings are the tohip editors', in clerking shorthand and letter prose.
"""

from __future__ import annotations

import pytest

from tohip.text.extract import extract_text


def _labs(text: str) -> dict[str, object]:
    labs: dict[str, object] = extract_text(text).case.labs.model_dump(exclude_none=True)
    return labs


@pytest.mark.parametrize(
    "text",
    [
        "Bloods: inflammatory markers unremarkable.",
        "Her CRP and ESR were both within normal limits.",
        "Normal CRP; plain films awaited.",
        "ESR not raised.",
        "No raised inflammatory markers.",  # a negated raised mention
        "There were no elevated markers of inflammation on admission.",
    ],
)
def test_markers_normal_in_words(text: str) -> None:
    assert _labs(text) == {"inflammatory_markers": "normal"}


@pytest.mark.parametrize(
    "text",
    [
        "Bloods showed raised inflammatory markers.",
        "He had an elevated ESR on two occasions.",
        "CRP was high on the ward.",
        "Inflammatory markers are up.",
    ],
)
def test_markers_raised_in_words(text: str) -> None:
    assert _labs(text) == {"inflammatory_markers": "raised"}


@pytest.mark.parametrize(
    "text",
    [
        "Repeat the bloods if CRP rises.",
        "Plan: aspirate if the inflammatory markers are raised.",
        "Check ESR and CRP to rule out raised inflammatory markers.",
    ],
)
def test_a_marker_that_might_rise_states_nothing(text: str) -> None:
    assert "inflammatory_markers" not in _labs(text)


@pytest.mark.parametrize(
    ("text", "labs"),
    [
        # words about a marker without a number stand beside the other marker's number
        ("Bloods: CRP 4, ESR normal.", {"crp": 4.0, "inflammatory_markers": "normal"}),
        ("ESR 48 mm/h; CRP not raised.", {"esr": 48.0, "inflammatory_markers": "normal"}),
        # words describing the number given in their sentence are that number
        ("Raised inflammatory markers (CRP 45 mg/L).", {"crp": 45.0}),
        ("Elevated CRP of 112.", {"crp": 112.0}),
        # every marker the words speak for was measured
        ("CRP 3, ESR 9. Inflammatory markers normal.", {"crp": 3.0, "esr": 9.0}),
    ],
)
def test_a_number_beats_words_for_its_marker(text: str, labs: dict[str, object]) -> None:
    assert _labs(text) == labs


@pytest.mark.parametrize(
    ("text", "markers"),
    [
        # the ESR rises in a healthy pregnancy: "raised" against the usual limit says nothing
        ("G1P0 at 32 weeks' gestation. ESR elevated.", None),
        ("She is 6 weeks postpartum; her ESR was high.", None),
        ("G1P0 at 32 weeks' gestation. ESR within normal limits.", "normal"),
        # CRP does not rise in a healthy pregnancy
        ("G1P0 at 32 weeks' gestation. Raised CRP.", "raised"),
        ("He has an elevated ESR.", "raised"),
    ],
)
def test_an_esr_raised_in_words_says_nothing_in_pregnancy(text: str, markers: str | None) -> None:
    assert _labs(text).get("inflammatory_markers") == markers


@pytest.mark.parametrize(
    ("text", "markers"),
    [
        # a marker first in a list of tests called normal
        ("Bloods (FBC, CRP, U&E, LFTs) unremarkable.", "normal"),
        ("ESR, bone profile, TSH and vitamin D all within normal limits.", "normal"),
        ("Investigations: CRP and ferritin - both normal.", "normal"),
        # a test in the list that is not normal (or not back) breaks it
        ("ESR, CRP awaited, U&E normal.", None),
        ("CRP raised, U&E and LFTs normal.", "raised"),
        # degree words before the raised word
        ("FBC, CRP and ESR all significantly raised.", "raised"),
        ("Her ESR was slightly up.", "raised"),
    ],
)
def test_markers_in_a_list_of_tests_and_with_degree_words(text: str, markers: str | None) -> None:
    assert _labs(text).get("inflammatory_markers") == markers
