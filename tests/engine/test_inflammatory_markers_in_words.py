"""CRP / ESR reported in words (``labs.inflammatory_markers``) and measured values feed one finding.

The reader used to write a CRP of 3 and an ESR of 10 for "inflammatory markers normal" and a CRP
of 30 for "raised", numbers nobody measured. The words are their own field now: "normal" is the
normal state, "raised" does not say how far (either raised state, a coarse observation), and the
worst of the words and the numbers counts.
"""

from __future__ import annotations

from typing import Any

import pytest

from tohip.case.io import case_from_data
from tohip.engine.assess import assess_case
from tohip.engine.observe import observe_case
from tohip.kb.loader import load_knowledge_base

# A woman of 45 with four weeks of hip pain: the markers decide whether infection is in question.
BASE: dict[str, Any] = {
    "patient": {"age": 45, "sex": "female"},
    "symptoms": {"side": "left", "onset": "gradual", "duration_weeks": 4},
}
RAISED = frozenset({"mildly_raised", "markedly_raised"})


def _case(labs: dict[str, Any]) -> Any:
    return case_from_data({**BASE, "labs": labs})


def _markers(labs: dict[str, Any]) -> frozenset[str] | None:
    kb = load_knowledge_base()
    found = [o for o in observe_case(kb, _case(labs)) if o.finding_id == "inflammatory_markers"]
    return found[0].states if found else None


@pytest.mark.parametrize(
    ("labs", "states"),
    [
        ({"inflammatory_markers": "normal"}, frozenset({"normal"})),
        ({"inflammatory_markers": "raised"}, RAISED),
        (
            {"crp": 4, "inflammatory_markers": "normal"},
            frozenset({"normal"}),
        ),  # "CRP 4, ESR normal"
        ({"crp": 30, "inflammatory_markers": "normal"}, frozenset({"mildly_raised"})),
        ({"crp": 80, "inflammatory_markers": "raised"}, frozenset({"markedly_raised"})),
        ({"crp": 20, "inflammatory_markers": "raised"}, RAISED),  # ESR unmeasured may be worse
        ({"crp": 4, "inflammatory_markers": "raised"}, RAISED),
        ({}, None),
    ],
)
def test_words_and_numbers_combine_to_the_worst(labs: dict[str, Any], states: Any) -> None:
    assert _markers(labs) == states


def _probability(labs: dict[str, Any], condition: str) -> float:
    ranked = assess_case(_case(labs)).differential
    return next(r.probability for r in ranked if r.condition == condition)


def test_raised_in_words_weighs_between_the_raised_states_and_normal_below_unknown() -> None:
    cases: dict[str, dict[str, Any]] = {
        "normal": {"inflammatory_markers": "normal"},
        "unknown": {},
        "raised": {"inflammatory_markers": "raised"},
        "mild": {"crp": 20},
        "marked": {"crp": 120},
    }
    septic = {name: _probability(labs, "septic_arthritis") for name, labs in cases.items()}
    assert septic["normal"] < septic["unknown"] < septic["mild"] < septic["raised"]
    assert septic["raised"] < septic["marked"]
    assert septic["normal"] == pytest.approx(_probability({"crp": 3}, "septic_arthritis"))


@pytest.mark.parametrize(("words", "fires"), [("raised", True), ("normal", False)])
def test_raised_in_words_is_a_raised_marker_for_the_infection_red_flag(
    words: str, fires: bool
) -> None:
    flags = {f.id for f in assess_case(_case({"inflammatory_markers": words})).red_flags}
    assert ("exclude_infection" in flags) is fires


@pytest.mark.parametrize("words", ["normal", "raised"])
def test_blood_markers_are_not_suggested_again_once_reported_in_words(words: str) -> None:
    suggested = {
        t.id for t in assess_case(_case({"inflammatory_markers": words})).next_investigations
    }
    assert "blood_inflammatory_markers" not in suggested


def test_blood_markers_are_suggested_while_unknown() -> None:
    suggested = {t.id for t in assess_case(_case({})).next_investigations}
    assert "blood_inflammatory_markers" in suggested
