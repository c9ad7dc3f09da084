"""Fever in words is read as ``symptoms.fever``, never as a temperature nobody measured.

"Afebrile" used to become 36.8 degC and "febrile" 38.5 degC. A measured temperature is still read
as a lab value beside the words. Phrasings are the tohip editors', in two styles each (clerking
shorthand and letter prose).
"""

from __future__ import annotations

import pytest

from tohip.text.extract import extract_text


@pytest.mark.parametrize(
    ("text", "fever", "temperature"),
    [
        ("O/E: apyrexial, HR 72.", False, None),
        ("On examination she was afebrile and comfortable at rest.", False, None),
        ("Denies fevers, sweats or weight loss.", False, None),
        ("He has had no fever or rigors.", False, None),
        ("Rigors overnight; T 39.2.", True, 39.2),
        ("She reports feeling feverish with rigors since Tuesday.", True, None),
        ("Spiking temperatures on the ward.", True, None),
        ("Pyrexial 38.6 in ED.", True, 38.6),
        ("Fevers at home last week, afebrile on arrival.", True, None),  # any fever this episode
        ("Obs: T 37.3, afebrile.", False, 37.3),
    ],
)
def test_fever_words_set_the_fever_field_and_only_a_number_sets_the_temperature(
    text: str, fever: bool, temperature: float | None
) -> None:
    case = extract_text(text).case
    assert case.symptoms.fever is fever
    assert case.labs.temperature == temperature


@pytest.mark.parametrize(
    "text",
    ["Return if fever develops.", "Safety-netted: come back with any fever or rigors."],
)
def test_advice_about_a_future_fever_sets_nothing(text: str) -> None:
    assert extract_text(text).case.symptoms.fever is None
