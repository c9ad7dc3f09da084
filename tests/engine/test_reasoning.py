"""Red flags, next investigations and explanations on small, deterministic cases."""

from __future__ import annotations

from tohip.case.io import case_from_data
from tohip.engine.assess import assess_case

PREGNANT_WB = {
    "patient": {
        "age": 31,
        "sex": "female",
        "pregnancy": {"status": "pregnant", "gestational_weeks": 33},
    },
    "symptoms": {"weight_bearing_pain": True},
}


def flags(data: dict[str, object]) -> set[str]:
    return {f.id for f in assess_case(case_from_data(data)).red_flags}


def test_fever_flags_infection_and_requires_aspiration() -> None:
    result = assess_case(
        case_from_data({"patient": {"age": 60, "sex": "male"}, "labs": {"temperature": 38.6}})
    )
    assert "exclude_infection" in {f.id for f in result.red_flags}
    assert result.next_investigations[0].id == "hip_aspiration"
    assert "required by red flag" in result.next_investigations[0].reason


def test_mildly_raised_crp_flags_infection_but_normal_crp_does_not() -> None:
    assert "exclude_infection" in flags({"labs": {"crp": 22}})
    assert "exclude_infection" not in flags({"labs": {"crp": 3}})


def test_known_cancer_flags_tumour() -> None:
    assert "exclude_tumour" in flags({"history": {"malignancy": True}})
    assert "exclude_tumour" not in flags({"history": {"malignancy": False}})


def test_pregnant_weight_bearing_pain_is_treated_as_fracture_until_mri() -> None:
    assert "treat_as_fracture" in flags(PREGNANT_WB)
    with_mri = {
        **PREGNANT_WB,
        "imaging": {"mri": {"edema_pattern": "diffuse_head_neck", "neck_fracture_line": False}},
    }
    assert "treat_as_fracture" not in flags(with_mri)


def test_runner_flag_needs_weight_bearing_pain() -> None:
    assert "treat_as_fracture" in flags(
        {
            "history": {"running_or_military_training": True},
            "symptoms": {"weight_bearing_pain": True},
        }
    )
    assert "treat_as_fracture" not in flags(
        {
            "history": {"running_or_military_training": True},
            "symptoms": {"weight_bearing_pain": False},
        }
    )


def test_pregnancy_avoids_bone_scan_and_prefers_mri() -> None:
    result = assess_case(case_from_data(PREGNANT_WB))
    assert "bone_scan" in {a.id for a in result.avoided_investigations}
    suggested = [t.id for t in result.next_investigations]
    assert "bone_scan" not in suggested
    assert suggested.index("mri_hip") < suggested.index("xray_pelvis_hip")
    xray = next(t for t in result.next_investigations if t.id == "xray_pelvis_hip")
    assert xray.note and "Pregnancy" in xray.note


def test_bone_scan_offered_outside_pregnancy() -> None:
    result = assess_case(
        case_from_data(
            {"patient": {"age": 45, "sex": "male"}, "symptoms": {"weight_bearing_pain": True}}
        )
    )
    assert "bone_scan" not in {a.id for a in result.avoided_investigations}


def test_aspiration_is_not_offered_when_infection_is_implausible() -> None:
    result = assess_case(
        case_from_data(
            {
                "patient": {"age": 44, "sex": "male"},
                "labs": {"crp": 2, "temperature": 36.7},
                "imaging": {"mri": {"edema_pattern": "diffuse_head_neck"}},
            }
        )
    )
    assert "hip_aspiration" not in {t.id for t in result.next_investigations}


def test_done_studies_are_not_suggested_again() -> None:
    result = assess_case(case_from_data({"imaging": {"mri": {"edema_pattern": "femoral_neck"}}}))
    assert "mri_hip" not in {t.id for t in result.next_investigations}


def test_explanation_cites_and_quantifies_each_finding() -> None:
    result = assess_case(
        case_from_data(
            {
                "patient": {"age": 44, "sex": "male"},
                "imaging": {
                    "mri": {"edema_pattern": "diffuse_head_neck", "necrotic_segment": False}
                },
            }
        )
    )
    top = result.explanation[0]
    assert top.finding == "mri_edema_pattern"
    assert top.shift_points["transient_osteoporosis"] > 0
    assert top.likelihood_ratio_for_top > 1
    assert any(c.seed_file for c in top.citations)


def test_long_course_warns_against_toh() -> None:
    result = assess_case(case_from_data({"symptoms": {"duration_weeks": 70}}))
    assert any("12 months" in w for w in result.warnings)
