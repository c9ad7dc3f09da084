"""Issue 10 section 4 as probes: plans that are safe before they are helpful. Each asserts what a
wrong plan would contain, not a number."""

from __future__ import annotations

import dataclasses
from typing import Any

from tohip.case.io import case_from_data
from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.kb.loader import load_knowledge_base
from tohip.kb.schema import Investigation
from tohip.plan.build import make_plan
from tohip.plan.types import CarePlan

TYPICAL_TOH_MRI = {
    "edema_pattern": "diffuse_head_neck",
    "necrotic_segment": False,
    "subchondral_fracture_line": False,
    "joint_effusion": True,
}


def _plan(data: dict[str, Any]) -> tuple[Case, CarePlan]:
    case = case_from_data(data)
    return case, make_plan(case, assess_case(case))


def _ids(plan: CarePlan) -> set[str]:
    return {p.id for p in plan.immediate + plan.items}


def _flags(case: Case) -> set[str]:
    return {f.id for f in assess_case(case).red_flags}


FEBRILE = {
    "patient": {"age": 60, "sex": "male"},
    "symptoms": {"duration_weeks": 0.5},
    "labs": {"temperature": 38.6, "crp": 120},
}


def test_suspected_septic_hip_is_aspirated_before_any_antibiotic() -> None:
    _, plan = _plan(FEBRILE)
    assert "sa_aspirate_before_antibiotics" in _ids(plan)
    assert "sa_antibiotics_and_washout" not in _ids(plan)


def test_antibiotics_once_infection_is_shown() -> None:
    for proof in (
        {"gram_stain": "positive"},
        {"joint_fluid_culture": "positive"},
        {"synovial_wbc": 85000},
        {"wbc": 16.0},  # with the fever: two SIRS criteria
    ):
        _, plan = _plan({**FEBRILE, "labs": {**FEBRILE["labs"], **proof}})
        assert "sa_antibiotics_and_washout" in _ids(plan), proof


def test_septic_arthritis_in_pregnancy_involves_obstetrics_and_ultrasound() -> None:
    pregnant = {"age": 30, "sex": "female",
                "pregnancy": {"status": "pregnant", "gestational_weeks": 30}}  # fmt: skip
    _, plan = _plan({**FEBRILE, "patient": pregnant})
    item = next(p for p in plan.immediate if p.id == "sa_pregnancy")
    assert "obstetric" in item.text and "ultrasound" in item.text and "fetus" in item.text
    _, not_pregnant = _plan(FEBRILE)
    assert "sa_pregnancy" not in _ids(not_pregnant)


def test_unable_to_bear_weight_with_normal_xray_still_calls_for_mri() -> None:
    case, plan = _plan(
        {
            "patient": {"age": 30, "sex": "female"},
            "symptoms": {"unable_to_bear_weight": True},
            "imaging": {"xray": {"normal": True}},
        }
    )
    assert "occult_fracture" in _flags(case)
    flag = next(f for f in assess_case(case).red_flags if f.id == "occult_fracture")
    assert "MRI" in flag.action
    assert "sf_stop_weight_bearing" in _ids(plan)


def test_fracture_flag_for_insufficiency_risks() -> None:
    base = {"symptoms": {"weight_bearing_pain": True}}
    for patient, history in (
        ({"age": 74, "sex": "female"}, {}),
        ({"age": 50, "sex": "female"}, {"corticosteroids": True}),
        ({"age": 22, "sex": "female"}, {"energy_deficiency": True}),
        ({"age": 60, "sex": "female"}, {"prior_fragility_fracture": True}),
    ):
        case = case_from_data({**base, "patient": patient, "history": history})
        assert "treat_as_fracture" in _flags(case), (patient, history)
    young = case_from_data({**base, "patient": {"age": 40, "sex": "male"}})
    assert "treat_as_fracture" not in _flags(young)


def test_confident_toh_needs_an_mri_that_addresses_necrosis() -> None:
    man = {"age": 44, "sex": "male"}
    clinical = {"onset": "sudden", "weight_bearing_pain": True, "duration_weeks": 6}
    _, vague = _plan(
        {"patient": man, "symptoms": clinical,
         "imaging": {"xray": {"osteopenia": True}, "mri": {"edema_pattern": "diffuse_head_neck"}}}
    )  # fmt: skip
    assert vague.mode == "working"
    assert not {"toh_bisphosphonate", "toh_teriparatide", "toh_calcitonin"} & _ids(vague)
    _, full = _plan({"patient": man, "symptoms": clinical, "imaging": {"mri": TYPICAL_TOH_MRI}})
    assert full.mode == "confident" and "toh_bisphosphonate" in _ids(full)


def test_teriparatide_excluded_with_unexplained_raised_alp() -> None:
    data = {"patient": {"age": 44, "sex": "male"}, "symptoms": {"onset": "sudden"},
            "imaging": {"mri": TYPICAL_TOH_MRI}}  # fmt: skip
    _, normal_alp = _plan({**data, "labs": {"alp": 80}})
    _, high_alp = _plan({**data, "labs": {"alp": 250}})
    assert "toh_teriparatide" in _ids(normal_alp)
    assert "toh_teriparatide" not in _ids(high_alp)
    left = {o.id: o for o in high_alp.left_out}
    assert "teriparatide_raised_alp" in left["toh_teriparatide"].rules


def test_no_bone_tumour_centre_for_a_small_tumour_probability() -> None:
    case, plan = _plan(
        {"patient": {"age": 44, "sex": "male"},
         "symptoms": {"constitutional": True, "onset": "sudden"},
         "labs": {"crp": 3, "esr": 10}, "imaging": {"mri": TYPICAL_TOH_MRI}}
    )  # fmt: skip
    assessment = assess_case(case)
    neoplasm = next(r for r in assessment.differential if r.condition == "neoplasm")
    assert "exclude_tumour" in {f.id for f in assessment.red_flags}  # still worked up
    assert neoplasm.probability < 0.10
    assert "neo_specialist_referral" not in _ids(plan)
    assert "neo_specialist_referral" in {o.id for o in plan.left_out}


def test_no_bone_scan_after_a_diagnostic_mri() -> None:
    case = case_from_data(
        {"patient": {"age": 44, "sex": "male"},
         "imaging": {"mri": {"edema_pattern": "diffuse_head_neck"}}}
    )  # fmt: skip
    assert "bone_scan" not in {t.id for t in assess_case(case).next_investigations}
    before_mri = case_from_data({"patient": {"age": 44, "sex": "male"}})
    assert "bone_scan" in {t.id for t in assess_case(before_mri).next_investigations}


def test_no_xray_only_to_show_osteopenia() -> None:
    """An X-ray whose only unknown findings are the osteopenia signs is not offered; the same
    X-ray is offered when those findings are allowed to justify it."""
    kb = load_knowledge_base()
    xray = next(t for t in kb.investigations if t.id == "xray_pelvis_hip")
    assert "xray_osteopenia" in xray.not_for_alone
    only_osteopenia = xray.model_copy(update={"yields": list(xray.not_for_alone)})
    allowed = only_osteopenia.model_copy(update={"not_for_alone": []})
    case = case_from_data({"patient": {"age": 44, "sex": "male"}, "symptoms": {"onset": "sudden"}})

    def offered(test: Investigation) -> bool:
        tests = [test if t.id == test.id else t for t in kb.investigations]
        variant = dataclasses.replace(kb, investigations=tests)
        return test.id in {t.id for t in assess_case(case, variant).next_investigations}

    assert offered(allowed)
    assert not offered(only_osteopenia)
