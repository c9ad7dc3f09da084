"""Another cause of the pain seen on imaging (``imaging.<study>.other_cause``) weighs for `other`.

A sacral insufficiency fracture, an iliopsoas bursitis or a labral tear offered as the explanation
is none of the eight hip conditions; the finding is read from whichever study shows it, once.
"""

from __future__ import annotations

from typing import Any

from tohip.case.io import case_from_data
from tohip.engine.assess import assess_case
from tohip.engine.observe import observe_case
from tohip.kb.loader import load_knowledge_base

# An older woman with groin pain and marrow oedema of the femoral head: SIF or TOH on its own.
BASE: dict[str, Any] = {
    "patient": {"age": 72, "sex": "female"},
    "symptoms": {"side": "left", "onset": "sudden", "weight_bearing_pain": True},
}


def _probabilities(data: dict[str, Any]) -> dict[str, float]:
    result = assess_case(case_from_data(data))
    return {r.condition: r.probability for r in result.differential}


def _with_imaging(imaging: dict[str, Any]) -> dict[str, Any]:
    return {**BASE, "imaging": imaging}


def test_another_cause_on_mri_raises_other_above_the_hip_conditions() -> None:
    without = _probabilities(_with_imaging({"mri": {"soft_tissue_edema": False}}))
    with_cause = _probabilities(_with_imaging({"mri": {"other_cause": True}}))
    assert with_cause["other"] > 3 * without["other"]
    assert max(with_cause, key=with_cause.__getitem__) == "other"


def test_a_report_that_finds_nothing_else_weighs_against_other() -> None:
    unknown = _probabilities(_with_imaging({"mri": {"soft_tissue_edema": False}}))
    nothing_else = _probabilities(_with_imaging({"mri": {"other_cause": False}}))
    assert nothing_else["other"] < unknown["other"]


def test_the_same_cause_on_two_studies_counts_once() -> None:
    kb = load_knowledge_base()
    one = _with_imaging({"ct": {"other_cause": True}})
    two = _with_imaging({"ct": {"other_cause": True}, "mri": {"other_cause": True}})
    observed = observe_case(kb, case_from_data(two))
    found = [o for o in observed if o.finding_id == "imaging_other_cause"]
    assert len(found) == 1 and found[0].states == frozenset({"present"})
    assert _probabilities(one)["other"] == _probabilities(two)["other"]


def test_any_study_showing_the_cause_wins_over_one_that_does_not() -> None:
    kb = load_knowledge_base()
    mixed = _with_imaging({"xray": {"other_cause": False}, "ct": {"other_cause": True}})
    states = {o.finding_id: o.states for o in observe_case(kb, case_from_data(mixed))}
    assert states["imaging_other_cause"] == frozenset({"present"})
