"""What a radiology report's own sections say (issue 9, session 6).

Two shapes the earlier reader got wrong: an indication that quotes an earlier study's result
("Indication: ... Pelvic radiographs within normal limits. MRI last week showed marrow oedema
with an effusion") was skipped as a question; and a study named in the clinical details ("XR
normal, ?occult fracture") took over the report's own findings ("Findings: no fracture" went to
the X-ray). Reports written for these tests; each asserts what the earlier reader got wrong,
and the negative ones what must stay unread."""

from __future__ import annotations

import pytest

BONE_SCAN = (
    "BONE SCAN\nIndication: 38M, R hip pain. Pelvic radiographs within normal limits. MRI last "
    "week showed marrow oedema of the right femoral head and neck with an effusion.\n"
    "Findings: intense uptake in the right femoral head and neck."
)


def test_an_indication_quoting_a_result_reports_a_study_done(read) -> None:
    found = read(BONE_SCAN)
    assert found.get("imaging.xray.normal") is True, found
    assert found.get("imaging.mri.joint_effusion") is True, found
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found


@pytest.mark.parametrize(
    "text",
    [
        "MRI LEFT HIP\nIndication: worsening pain; looking for collapse or a necrotic "
        "segment.\nFindings: diffuse marrow oedema.",
        "MRI RIGHT HIP\nIndication: ?stress fracture, ?effusion.\nFindings: marrow oedema.",
    ],
)
def test_an_indication_that_asks_states_nothing(read, text: str) -> None:
    found = read(text)
    for path in ("imaging.mri.necrotic_segment", "imaging.mri.collapse",
                 "imaging.xray.crescent_or_collapse", "imaging.mri.neck_fracture_line",
                 "imaging.mri.joint_effusion"):  # fmt: skip
        assert path not in found, found


def test_a_reports_findings_are_its_own_study(read) -> None:
    found = read("MRI LEFT HIP\nIndication: XR normal, ?occult fracture.\nFindings: no "
                 "fracture. Marrow oedema of the femoral head and neck.")  # fmt: skip
    assert found.get("imaging.mri.neck_fracture_line") is False, found
    assert "imaging.xray.fracture_line" not in found, found
    assert found.get("imaging.xray.normal") is True, found


def test_a_study_named_in_the_findings_still_takes_its_findings(read) -> None:
    found = read("MRI LEFT HIP\nFindings: marrow oedema of the head and neck. The radiograph "
                 "shows osteopenia.")  # fmt: skip
    assert found.get("imaging.xray.osteopenia") is True, found


@pytest.mark.parametrize(
    "text",
    [
        "XR RIGHT HIP\nClinical details: pain after a run.\nImpression: normal study.",
        "MRI PELVIS AND BOTH HIPS\nFindings: No abnormality detected.",
    ],
)
def test_a_normal_report_under_its_title(read, text: str) -> None:
    modality = "xray" if text.startswith("XR") else "mri"
    assert read(text).get(f"imaging.{modality}.normal") is True


def test_a_normal_part_under_a_title_is_not_a_normal_study(read) -> None:
    found = read("MRI LEFT HIP\nFindings: the acetabulum is normal. Marrow oedema of the head.")
    assert "imaging.mri.normal" not in found, found
