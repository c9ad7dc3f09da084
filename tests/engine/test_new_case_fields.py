"""The issue 10 case fields reach the differential: derived values (follow-up course, band size,
duration bounds, ESR limits, ALP in pregnancy) and the findings read from them."""

from __future__ import annotations

from typing import Any

from tohip.case.derive import (
    AtLeast,
    band_irreversible,
    duration_at_presentation,
    esr_upper_limit,
    followup_band_or_collapse,
    followup_edema,
)
from tohip.case.io import case_from_data
from tohip.engine.observe import observe_case
from tohip.kb.loader import load_knowledge_base


def _case(data: dict[str, Any]):  # type: ignore[no-untyped-def]
    return case_from_data(data)


def _states(data: dict[str, Any]) -> dict[str, frozenset[str]]:
    return {o.finding_id: o.states for o in observe_case(load_knowledge_base(), _case(data))}


def test_latest_follow_up_mri_decides_the_course_whatever_the_list_order() -> None:
    case = _case(
        {"imaging": {"followup": [
            {"modality": "mri", "weeks_after_onset": 40, "edema": "resolved"},
            {"modality": "mri", "weeks_after_onset": 12, "edema": "worse"},
            {"modality": "xray", "weeks_after_onset": 50, "normal": True},
        ]}}
    )  # fmt: skip
    assert followup_edema(case) == "resolved"
    assert followup_edema(_case({"imaging": {"followup": [{"modality": "mri", "normal": True}]}}))
    assert followup_edema(_case({})) is None


def test_band_or_collapse_on_any_follow_up() -> None:
    seen = _case({"imaging": {"followup": [
        {"modality": "mri", "necrotic_segment_or_band": False},
        {"modality": "xray", "collapse": True}]}})  # fmt: skip
    assert followup_band_or_collapse(seen) is True
    clear = _case({"imaging": {"followup": [{"modality": "mri", "normal": True}]}})
    assert followup_band_or_collapse(clear) is False
    assert followup_band_or_collapse(_case({})) is None


def test_band_size_thresholds_of_vande_berg() -> None:
    def band(**mm: float) -> bool | None:
        return band_irreversible(_case({"imaging": {"mri": mm}}))

    assert band(subchondral_band_thickness_mm=4.0) is True
    assert band(subchondral_band_length_mm=12.5) is True
    assert band(subchondral_band_thickness_mm=3.9, subchondral_band_length_mm=12.4) is False
    assert band() is None


def test_duration_at_presentation_and_lower_bounds() -> None:
    dated = _case(
        {
            "assessment_date": "2026-01-01",
            "symptoms": {"onset_date": "2025-01-01", "presentation_date": "2025-01-29"},
        }
    )
    assert duration_at_presentation(dated) == 4.0
    bound = duration_at_presentation(_case({"symptoms": {"duration_weeks_at_least": 30}}))
    assert bound == AtLeast(30)
    states = _states({"symptoms": {"duration_weeks_at_least": 30}})["symptom_duration"]
    assert states == {"months_6_to_12", "over_12_months"}


def test_esr_limit_follows_age_sex_and_pregnancy() -> None:
    def limit(patient: dict[str, Any]) -> float:
        return esr_upper_limit(_case({"patient": patient}))

    assert limit({"age": 30, "sex": "male"}) == 20
    assert limit({"age": 80, "sex": "male"}) == 40
    assert limit({"age": 80, "sex": "female"}) == 45
    early = {"status": "pregnant", "gestational_weeks": 12}
    late = {"status": "pregnant", "gestational_weeks": 34}
    assert limit({"age": 30, "sex": "female", "pregnancy": early}) == 48
    assert limit({"age": 30, "sex": "female", "pregnancy": late}) == 70


def test_alp_is_not_read_in_pregnancy() -> None:
    pregnant = {"sex": "female", "pregnancy": {"status": "pregnant", "gestational_weeks": 34}}
    assert "alkaline_phosphatase" not in _states({"patient": pregnant, "labs": {"alp": 300}})
    assert _states({"patient": {"sex": "male"}, "labs": {"alp": 300}})["alkaline_phosphatase"] == {
        "raised"
    }


NEW_FIELD_FINDINGS = {
    "history.contralateral_avn": "contralateral_avn",
    "history.polyarthralgia": "polyarthralgia",
    "history.smoking": "smoking",
    "history.hiv": "hiv",
    "history.organ_transplant": "organ_transplant",
    "history.thrombophilia": "thrombophilia",
    "history.chemotherapy": "chemotherapy",
    "history.prior_fragility_fracture": "prior_fragility_fracture",
    "history.energy_deficiency": "energy_deficiency",
    "history.pelvic_radiotherapy": "pelvic_radiotherapy",
    "history.heparin_in_pregnancy": "heparin_in_pregnancy",
    "patient.lactating": "lactation",
    "labs.alp": "alkaline_phosphatase",
    "labs.phosphate": "serum_phosphate",
    "labs.synovial_neutrophil_pct": "synovial_neutrophils",
    "labs.dxa_t_score": "dxa_t_score",
    "labs.gram_stain": "gram_stain",
    "labs.crystals": "synovial_crystals",
    "imaging.xray.subchondral_cortical_loss": "xray_subchondral_cortical_loss",
    "imaging.xray.sclerosis": "xray_sclerosis",
    "imaging.xray.sclerotic_lesion": "xray_sclerotic_lesion",
    "imaging.xray.periosteal_reaction": "xray_periosteal_reaction",
    "imaging.xray.cortical_destruction": "xray_cortical_destruction",
    "imaging.mri.collapse": "mri_collapse",
    "imaging.mri.medial_head_spared": "mri_medial_head_spared",
    "imaging.mri.fluid_collection": "mri_fluid_collection",
    "imaging.mri.subchondral_band_thickness_mm": "mri_band_irreversible",
    "imaging.mri.subchondral_band_shape": "mri_band_shape",
    "imaging.mri.contrast.non_enhancing_segment": "mri_non_enhancing_segment",
    "imaging.mri.contrast.enhancing_fragment": "mri_enhancing_fragment",
    "imaging.mri.contrast.rim_enhancing_collection": "mri_rim_enhancing_collection",
    "imaging.mri.contrast.diffuse_enhancement": "mri_diffuse_enhancement",
    "imaging.ct.fracture_line": "ct_fracture_line",
    "imaging.ct.lytic_lesion": "ct_destructive_lesion",
    "imaging.ct.sclerosis": "ct_sclerosis",
    "imaging.ct.collapse": "ct_collapse",
    "imaging.ultrasound.joint_effusion": "us_joint_effusion",
    "imaging.followup.edema": "followup_edema_course",
    "imaging.followup.fracture_line": "followup_fracture_line",
}
FOLLOW_UP_VALUES = {"edema": "resolved", "fracture_line": True}
VALUES = {
    "labs.alp": 200, "labs.phosphate": 0.5, "labs.synovial_neutrophil_pct": 95,
    "labs.dxa_t_score": -3.0, "labs.gram_stain": "positive", "labs.crystals": "cppd",
    "imaging.mri.subchondral_band_thickness_mm": 5,
    "imaging.mri.subchondral_band_shape": "irregular_convex",
}  # fmt: skip


def _one_field_case(path: str) -> dict[str, Any]:
    data: dict[str, Any] = {"patient": {"age": 40, "sex": "female"}}
    if path.startswith("imaging.followup."):
        field = path.rsplit(".", 1)[1]
        return {**data, "imaging": {"followup": [
            {"modality": "mri", field: FOLLOW_UP_VALUES[field]}]}}  # fmt: skip
    node = data
    *parents, leaf = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = VALUES.get(path, True)
    return data


def test_every_new_case_field_moves_its_own_finding() -> None:
    """Each issue 10 case field, given alone, is observed by the finding written for it."""
    for path, finding in NEW_FIELD_FINDINGS.items():
        assert finding in _states(_one_field_case(path)), path
        assert finding not in _states({"patient": {"age": 40, "sex": "female"}}), path
