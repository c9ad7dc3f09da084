"""A study reported normal says its unreported findings are absent (the case model's own
definition of ``normal``): CT and ultrasound as X-ray and MRI already did (session 4)."""

from __future__ import annotations

from typing import Any

import pytest

from tohip.case.io import case_from_data
from tohip.engine.assess import assess_case
from tohip.engine.observe import observe_case
from tohip.kb.loader import load_knowledge_base

KB = load_knowledge_base()

YOUNG_MAN: dict[str, Any] = {
    "patient": {"age": 30, "sex": "male"},
    "symptoms": {"side": "bilateral", "duration_weeks": 10, "groin_buttock_or_thigh_pain": True},
}


def seen(data: dict[str, Any]) -> dict[str, frozenset[str]]:
    return {o.finding_id: o.states for o in observe_case(KB, case_from_data(data))}


def probs(data: dict[str, Any]) -> dict[str, float]:
    return {r.condition: r.probability for r in assess_case(case_from_data(data), KB).differential}


@pytest.mark.parametrize(
    ("modality", "findings"),
    [
        ("ct", ["ct_fracture_line", "ct_sclerosis", "ct_collapse", "ct_abscess"]),
        ("ultrasound", ["us_joint_effusion", "us_abscess"]),
    ],
)
def test_a_normal_study_reads_its_unreported_findings_as_absent(
    modality: str, findings: list[str]
) -> None:
    observed = seen({**YOUNG_MAN, "imaging": {modality: {"normal": True}}})
    for f in findings:
        assert observed[f] == frozenset({"absent"}), f
    # a reported finding wins over the normal report
    observed = seen({**YOUNG_MAN, "imaging": {"ct": {"normal": True, "fracture_line": True}}})
    assert observed["ct_fracture_line"] == frozenset({"present"})


def test_a_normal_ct_moves_belief_from_bone_and_joint_disease_to_other_causes() -> None:
    without = probs(YOUNG_MAN)
    normal_ct = probs({**YOUNG_MAN, "imaging": {"ct": {"normal": True}}})
    for c in ("osteonecrosis", "stress_fracture", "subchondral_insufficiency_fracture"):
        assert normal_ct[c] / normal_ct["other"] < 0.8 * without[c] / without["other"]
    assert normal_ct["osteonecrosis"] < without["osteonecrosis"]
    assert normal_ct["other"] > 2 * without["other"]


def test_ct_erosions_and_effusion_are_read_and_point_to_joint_inflammation() -> None:
    """The case model holds CT erosions and effusion; the knowledge base now reads them
    (issue 10, CT findings). Erosions with an effusion point to infection or synovitis."""
    data: dict[str, Any] = {
        "patient": {"age": 35, "sex": "male"},
        "symptoms": {"side": "right", "duration_weeks": 26},
    }
    plain = probs({**data, "imaging": {"ct": {"sclerosis": True}}})
    eroded = probs(
        {**data, "imaging": {"ct": {"sclerosis": True, "erosions": True, "joint_effusion": True}}}
    )
    joint = ("septic_arthritis", "inflammatory_arthritis")
    assert sum(eroded[c] for c in joint) > 2 * sum(plain[c] for c in joint)
    assert eroded["osteonecrosis"] < plain["osteonecrosis"]
