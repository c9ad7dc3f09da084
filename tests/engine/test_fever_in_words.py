"""Fever stated in words (``symptoms.fever``) and a measured temperature feed one finding.

The reader used to turn "afebrile" into 36.8 degC and "febrile" into 38.5 degC, numbers nobody
measured. Now the words are their own field and the knowledge base's fever finding reads either:
whichever shows fever wins (a fever at home still counts when the patient is afebrile on arrival).
"""

from __future__ import annotations

from typing import Any

import pytest

from tohip.case.io import case_from_data
from tohip.engine.assess import assess_case
from tohip.engine.observe import observe_case
from tohip.kb.loader import load_knowledge_base
from tohip.plan.facts import case_facts
from tohip.plan.rules import load_plan_rules

# A man of 60 with a week of acute hip pain and a raised CRP: septic arthritis is in question.
BASE: dict[str, Any] = {
    "patient": {"age": 60, "sex": "male"},
    "symptoms": {"side": "right", "onset": "sudden", "duration_weeks": 1},
    "labs": {"crp": 80},
}


def _with(symptoms: dict[str, Any] | None = None, labs: dict[str, Any] | None = None) -> Any:
    return case_from_data(
        {
            **BASE,
            "symptoms": {**BASE["symptoms"], **(symptoms or {})},
            "labs": {**BASE["labs"], **(labs or {})},
        }
    )


def _fever_state(case: Any) -> frozenset[str] | None:
    found = [o for o in observe_case(load_knowledge_base(), case) if o.finding_id == "fever"]
    return found[0].states if found else None


@pytest.mark.parametrize(
    ("symptoms", "labs", "state"),
    [
        ({"fever": True}, None, "present"),
        ({"fever": False}, None, "absent"),
        (None, {"temperature": 38.4}, "present"),
        (None, {"temperature": 37.0}, "absent"),
        ({"fever": True}, {"temperature": 37.0}, "present"),  # fever at home, normal on arrival
        ({"fever": False}, {"temperature": 38.6}, "present"),  # "denies fevers", measured 38.6
    ],
)
def test_either_the_words_or_the_thermometer_showing_fever_wins(
    symptoms: dict[str, Any] | None, labs: dict[str, Any] | None, state: str
) -> None:
    assert _fever_state(_with(symptoms, labs)) == frozenset({state})


def test_no_word_and_no_number_observes_nothing() -> None:
    assert _fever_state(_with()) is None


def _odds(p: float) -> float:
    return p / (1 - p)


def test_fever_in_words_weighs_as_a_measured_fever_does() -> None:
    def septic(symptoms: dict[str, Any] | None = None, labs: dict[str, Any] | None = None) -> float:
        data = {**BASE, "symptoms": {**BASE["symptoms"], **(symptoms or {})}, "labs": labs or {}}
        ranked = assess_case(case_from_data(data)).differential
        return next(r.probability for r in ranked if r.condition == "septic_arthritis")

    in_words, measured = septic({"fever": True}), septic(labs={"temperature": 38.5})
    afebrile, unknown = septic({"fever": False}), septic()
    assert in_words == pytest.approx(measured)
    assert _odds(in_words) > 5 * _odds(unknown)
    assert unknown > afebrile


@pytest.mark.parametrize(
    ("symptoms", "labs", "expected"),
    [
        ({"fever": True}, {"wbc": 15.0}, True),
        ({"fever": False}, {"wbc": 15.0}, False),
        ({"fever": True}, None, None),  # no white count: not decidable
        (None, {"wbc": 15.0}, None),  # no temperature and no word about fever
        ({"fever": True}, {"temperature": 37.0, "wbc": 15.0}, False),  # the measurement decides
    ],
)
def test_sepsis_signs_take_fever_in_words_when_no_temperature_was_measured(
    symptoms: dict[str, Any] | None, labs: dict[str, Any] | None, expected: bool | None
) -> None:
    facts = case_facts(_with(symptoms, labs), load_plan_rules())
    assert facts["sepsis_signs"] is expected
