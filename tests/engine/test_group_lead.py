"""Correlation groups: the strongest member observed counts in full, the others are tempered."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tohip.case.io import case_from_data
from tohip.engine.assess import assess_case
from tohip.engine.inference import effective_weights, log_likelihood, posterior
from tohip.engine.model import compile_model
from tohip.engine.observe import Observation, observe_case
from tohip.kb.loader import load_knowledge_base

KB = load_knowledge_base()
MODEL = compile_model(KB)


def weights_of(data: dict[str, Any]) -> dict[str, float]:
    observations = observe_case(KB, case_from_data(data))
    return {
        o.finding_id: w
        for o, w in zip(observations, effective_weights(MODEL, observations), strict=True)
    }


def test_declared_weights_are_below_one_for_the_members_tested_here() -> None:
    assert KB.findings["xray_fracture_line"].weight < 1
    assert KB.findings["ct_fracture_line"].weight < 1
    assert KB.findings["mri_neck_fracture_line"].weight == 1
    assert KB.findings["xray_fracture_line"].group == KB.findings["ct_fracture_line"].group


def test_a_lone_member_of_a_group_counts_in_full() -> None:
    alone = weights_of({"imaging": {"xray": {"fracture_line": True}}})
    assert alone["xray_fracture_line"] == 1.0


def test_beside_the_lead_a_member_keeps_its_declared_weight() -> None:
    both = weights_of(
        {"imaging": {"xray": {"fracture_line": True}, "mri": {"neck_fracture_line": True}}}
    )
    assert both["mri_neck_fracture_line"] == 1.0
    assert both["xray_fracture_line"] == KB.findings["xray_fracture_line"].weight


def test_on_a_tie_only_the_first_member_stands_in_for_the_lead() -> None:
    tied = weights_of({"imaging": {"xray": {"fracture_line": True}, "ct": {"fracture_line": True}}})
    assert sorted([tied["xray_fracture_line"], tied["ct_fracture_line"]]) == [
        KB.findings["ct_fracture_line"].weight,
        1.0,
    ]


def test_findings_outside_groups_keep_weight_one() -> None:
    w = weights_of({"patient": {"age": 44, "sex": "male"}, "symptoms": {"night_pain": True}})
    assert set(w.values()) == {1.0}


def test_the_effective_weight_scales_the_log_likelihood_and_is_explained() -> None:
    data = {"patient": {"age": 30, "sex": "female"}, "imaging": {"xray": {"fracture_line": True}}}
    obs = Observation("xray_fracture_line", frozenset({"present"}), "x", None)
    full = log_likelihood(MODEL, obs, 1.0)
    declared = log_likelihood(MODEL, obs)
    w = KB.findings["xray_fracture_line"].weight
    assert declared == pytest.approx([w * v for v in full])
    assert full == pytest.approx(
        [math.log(p) for p in MODEL.findings[obs.finding_id].table["present"]]
    )
    effect = next(
        e
        for e in assess_case(case_from_data(data)).explanation
        if e.finding == "xray_fracture_line"
    )
    assert effect.weight == 1.0


def test_a_lone_xray_fracture_line_raises_stress_fracture_more_than_when_tempered() -> None:
    """The group weight guards against counting the same fracture twice; with no MRI or CT
    there is no second count, so the X-ray's own evidence must not be halved."""
    data = {"patient": {"age": 30, "sex": "female"}, "imaging": {"xray": {"fracture_line": True}}}
    p = {r.condition: r.probability for r in assess_case(case_from_data(data)).differential}
    observations = observe_case(KB, case_from_data(data))
    tempered = [log_likelihood(MODEL, o) for o in observations]
    before = dict(zip(MODEL.conditions, posterior(MODEL, tempered), strict=True))
    assert p["stress_fracture"] > before["stress_fracture"]


def test_a_stated_member_leads_over_one_implied_by_a_normal_report() -> None:
    """An X-ray reported normal implies 'no lytic lesion'; a CT that then shows the lesion (an
    osteoid osteoma's nidus is often invisible on plain films) is not a repeat of that
    silence, so the stated CT lesion counts in full and the implied absence is tempered."""
    data: dict[str, Any] = {
        "patient": {"age": 31, "sex": "male"},
        "symptoms": {"side": "left", "duration_weeks": 60, "night_pain": True},
        "imaging": {"xray": {"normal": True}, "ct": {"lytic_lesion": True}},
    }
    w = weights_of(data)
    assert w["ct_destructive_lesion"] == 1.0
    assert w["xray_lytic_lesion"] == KB.findings["xray_lytic_lesion"].weight
    p = {r.condition: r.probability for r in assess_case(case_from_data(data)).differential}
    assert max(p, key=p.__getitem__) == "neoplasm"
