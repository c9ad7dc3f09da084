"""Probe cases from the clinical review (issue 10), each asserting the clinical direction rather
than a number. The ones still open in that issue are not here yet (see BENCHMARKS.md)."""

from __future__ import annotations

from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.plan.build import make_plan


def _assess(data: dict[str, object]):  # type: ignore[no-untyped-def]
    case = Case.model_validate(data)
    return case, assess_case(case)


def _prob(assessment, condition: str) -> float:  # type: ignore[no-untyped-def]
    return next(r.probability for r in assessment.differential if r.condition == condition)


def test_normal_imaging_in_a_painful_hip_points_away_from_necrosis() -> None:
    _, a = _assess(
        {
            "patient": {"age": 40, "sex": "male"},
            "imaging": {"xray": {"normal": True}, "mri": {"normal": True}},
        }
    )
    assert a.differential[0].condition == "other"
    assert _prob(a, "osteonecrosis") < 0.10


def test_no_data_raises_no_alarm_and_no_antibiotics() -> None:
    case, a = _assess({"patient": {"age": 44}})
    assert a.red_flags == []
    plan = make_plan(case, a)
    assert not any("antibiotic" in item.text.lower() for item in plan.immediate)


def test_late_pregnancy_without_imaging_is_not_confident() -> None:
    case, a = _assess(
        {"patient": {"age": 31, "sex": "female",
                     "pregnancy": {"status": "pregnant", "gestational_weeks": 33}}}
    )  # fmt: skip
    assert _prob(a, "transient_osteoporosis") < 0.75
    assert make_plan(case, a).mode == "working"


def test_differential_has_the_contract_ids_and_other_summing_to_one() -> None:
    _, a = _assess({})
    ids = {r.condition for r in a.differential}
    assert "other" in ids and len(ids) == 9
    assert abs(sum(r.probability for r in a.differential) - 1) < 1e-6


MAN_45 = {"age": 45, "sex": "male"}


def _flag_ids(assessment) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.id for f in assessment.red_flags}


def test_edema_resolved_on_follow_up_mri_confirms_toh() -> None:
    _, a = _assess(
        {
            "patient": MAN_45,
            "symptoms": {"duration_weeks": 60, "improving": True},
            "imaging": {
                "mri": {"weeks_after_onset": 6, "edema_pattern": "diffuse_head_neck"},
                "followup": [{"modality": "mri", "weeks_after_onset": 60, "edema": "resolved"}],
            },
        }
    )
    assert a.differential[0].condition == "transient_osteoporosis"
    assert _prob(a, "osteonecrosis") < 0.15 and _prob(a, "osteoarthritis") < 0.15


def test_persisting_band_on_follow_up_points_away_from_toh() -> None:
    base = {"patient": MAN_45, "imaging": {"mri": {"edema_pattern": "diffuse_head_neck"}}}
    _, first = _assess(base)
    later = {**base, "imaging": {**base["imaging"], "followup": [
        {"modality": "mri", "edema": "unchanged", "necrotic_segment_or_band": True}]}}  # fmt: skip
    _, a = _assess(later)
    assert _prob(a, "transient_osteoporosis") < _prob(first, "transient_osteoporosis") / 3
    assert a.differential[0].condition in {"osteonecrosis", "subchondral_insufficiency_fracture"}


def test_osteonecrosis_of_the_other_hip_clearly_raises_osteonecrosis() -> None:
    base = {"patient": MAN_45, "symptoms": {"groin_buttock_or_thigh_pain": True}}
    _, without = _assess(base)
    _, with_other_hip = _assess({**base, "history": {"contralateral_avn": True}})
    assert _prob(with_other_hip, "osteonecrosis") > 2 * _prob(without, "osteonecrosis")
    assert with_other_hip.differential[0].condition == "osteonecrosis"


def test_late_pregnancy_esr_and_low_crp_without_fever_raise_no_emergency() -> None:
    _, a = _assess(
        {
            "patient": {"age": 31, "sex": "female",
                        "pregnancy": {"status": "pregnant", "gestational_weeks": 34}},
            "labs": {"esr": 52, "crp": 9, "temperature": 36.9},
        }
    )  # fmt: skip
    assert not any(f.urgency == "emergency" for f in a.red_flags)
    # the same ESR outside pregnancy in a young woman is raised
    _, b = _assess({"patient": {"age": 31, "sex": "female"}, "labs": {"esr": 52, "crp": 9}})
    assert "exclude_infection" in _flag_ids(b)


def test_duration_is_measured_at_presentation_not_at_reassessment() -> None:
    case = {
        "patient": MAN_45,
        "symptoms": {"onset_date": "2025-01-01", "presentation_date": "2025-02-20"},
        "imaging": {"mri": {"edema_pattern": "diffuse_head_neck"}},
    }
    _, soon = _assess({**case, "assessment_date": "2025-02-20"})
    _, year_later = _assess({**case, "assessment_date": "2026-02-20"})
    assert year_later.differential[0].condition == soon.differential[0].condition
    assert abs(_prob(year_later, "osteoarthritis") - _prob(soon, "osteoarthritis")) < 0.01


def test_duration_known_only_as_at_least_counts_as_long() -> None:
    _, a = _assess({"patient": MAN_45, "symptoms": {"duration_weeks_at_least": 60}})
    durations = [e for e in a.explanation if e.finding == "symptom_duration"]
    assert durations, "a lower bound on duration must still be used"
    _, unknown = _assess({"patient": MAN_45})
    assert _prob(a, "osteoarthritis") > _prob(unknown, "osteoarthritis")


def test_not_pregnant_at_60_does_not_cut_toh_again() -> None:
    woman = {"age": 60, "sex": "female"}
    _, silent = _assess({"patient": woman})
    _, stated = _assess({"patient": {**woman, "pregnancy": {"status": "not_pregnant"}}})
    assert (
        abs(_prob(silent, "transient_osteoporosis") - _prob(stated, "transient_osteoporosis"))
        < 1e-9
    )


def test_third_trimester_does_not_swamp_osteonecrosis() -> None:
    _, a = _assess(
        {"patient": {"age": 31, "sex": "female",
                     "pregnancy": {"status": "pregnant", "gestational_weeks": 33}}}
    )  # fmt: skip
    _, b = _assess({"patient": {"age": 31, "sex": "female"}})
    ratio_pregnant = _prob(a, "transient_osteoporosis") / _prob(a, "osteonecrosis")
    ratio_not = _prob(b, "transient_osteoporosis") / _prob(b, "osteonecrosis")
    assert 2 < ratio_pregnant / ratio_not < 20  # raised, but pregnancy is an AVN risk too


def test_crystals_alone_do_not_rule_out_infection() -> None:
    septic = {"patient": MAN_45, "labs": {"synovial_wbc": 120000, "temperature": 38.6}}
    _, a = _assess(septic)
    _, b = _assess({**septic, "labs": {**septic["labs"], "crystals": "cppd"}})
    assert "exclude_infection" in _flag_ids(b)
    assert _prob(b, "septic_arthritis") > 0.3 * _prob(a, "septic_arthritis")


def test_polyarthralgia_points_to_inflammatory_arthritis_not_toh() -> None:
    _, base = _assess({"patient": MAN_45})
    _, poly = _assess({"patient": MAN_45, "history": {"polyarthralgia": True}})
    _, migratory = _assess({"patient": MAN_45, "history": {"other_joints_involved": True}})
    assert _prob(poly, "inflammatory_arthritis") > 2 * _prob(base, "inflammatory_arthritis")
    assert _prob(poly, "transient_osteoporosis") < _prob(base, "transient_osteoporosis")
    assert _prob(migratory, "transient_osteoporosis") > _prob(base, "transient_osteoporosis")
