"""Imaging, round 3 (issue 9, session 7).

- A complaint's side in a sentence that names no study ("She now has left groin pain") took
  the study named in an earlier sentence and became that study's side, even where the study
  was an old one or of another region. It is the complaint's side only.
- A femoral head resorbed on a film is cortical destruction.
- A comparison with an earlier study ("since the previous film there is ...") describes this
  study's findings, not past ones.

Sentences written for these tests, with guards for what must still not be read.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "path", "side"),
    [
        (
            "Two years ago an MRI showed osteonecrosis, treated with a core decompression. "
            "She now has left groin pain on walking.",
            "imaging.mri.side",
            "left",
        ),
        (
            "His GP arranged a CT of the abdomen, which was unremarkable.\n\nOver the past "
            "month he has had aching right hip pain at night.",
            "imaging.ct.side",
            "right",
        ),
    ],
)
def test_a_complaint_after_a_study_is_not_the_study_side(
    read, text: str, path: str, side: str
) -> None:
    found = read(text)
    assert path not in found, found
    assert found.get("symptoms.side") == side, found


def test_a_side_in_the_study_sentence_is_still_its_side(read) -> None:
    found = read(
        "MRI showed marrow oedema throughout the right femoral head and neck. "
        "The pain is worse on standing."
    )
    assert found.get("imaging.mri.side") == "right", found


def test_the_complaint_in_a_report_clinical_details_is_still_the_study_side(read) -> None:
    found = read(
        "MRI PELVIS\n\nClinical details: left hip pain for six weeks.\n\n"
        "Findings: diffuse marrow oedema of the femoral head and neck."
    )
    assert found.get("imaging.mri.side") == "left", found


@pytest.mark.parametrize(
    "text",
    [
        "Pelvic radiograph: the left femoral head has almost entirely been resorbed.",
        "Plain films show resorption of the right femoral head with acetabular erosion.",
    ],
)
def test_a_resorbed_femoral_head_is_cortical_destruction(read, text: str) -> None:
    assert read(text).get("imaging.xray.cortical_destruction") is True


@pytest.mark.parametrize(
    "text",
    [
        "Pelvic radiograph: femoral heads round and well corticated, no collapse.",
        "DXA: low bone density; bone resorption markers raised.",
    ],
)
def test_no_resorbed_head_no_cortical_destruction(read, text: str) -> None:
    assert read(text).get("imaging.xray.cortical_destruction") is not True


@pytest.mark.parametrize(
    "text",
    [
        "X-ray pelvis. Since the previous film there is new erosion of the left femoral head.",
        "Radiograph of the hips. Compared with the prior film, erosion of the right femoral "
        "head has progressed.",
    ],
)
def test_a_comparison_describes_this_study(read, text: str) -> None:
    assert read(text).get("imaging.xray.erosions") is True


def test_a_prior_study_finding_is_still_historical(read) -> None:
    found = read("A prior radiograph two years ago showed erosion of the femoral head.")
    assert found.get("imaging.xray.erosions") is not True, found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("MRI left hip: subchondral fracture with marrow oedema. Moderate joint space "
         "narrowing superiorly.", True),
        ("MRI RIGHT HIP\n\nFindings: the superior joint space is lost.", True),
        ("MRI of the hip: the femoral head cartilage is thinned, with early chondral erosions.",
         True),
        ("MRI hip: marrow oedema of the femoral head. The acetabular cartilage looks intact.",
         False),
        ("MRI left hip: marrow oedema of the head and neck, no joint space narrowing.", False),
    ],
)  # fmt: skip
def test_mri_joint_space_and_cartilage_words_are_cartilage_loss(
    read, text: str, value: bool
) -> None:
    found = read(text)
    assert found.get("imaging.mri.cartilage_loss") is value, found
    assert "imaging.xray.joint_space" not in found, found


def test_a_radiograph_joint_space_is_still_the_radiograph_s(read) -> None:
    found = read("Pelvic X-ray: joint space narrowing of the left hip.")
    assert found.get("imaging.xray.joint_space") == "narrowed", found
    assert "imaging.mri.cartilage_loss" not in found, found


@pytest.mark.parametrize(
    "text",
    [
        "Seen with Mr T. Hale, 58. He has no known history of cancer.",
        "Review of Mr. Adams, aged 70: no history of malignancy.",
    ],
)
def test_mr_before_a_name_is_a_man_not_an_mr_study(read, text: str) -> None:
    # read as an MR study, the history that follows was taken for the study's findings
    assert read(text).get("history.malignancy") is False


def test_an_mr_study_is_still_a_study(read) -> None:
    found = read("MR pelvis: marrow oedema of the right femoral head.")
    assert found.get("imaging.mri.side") == "right", found
    assert found.get("imaging.mri.sites") == ["femoral_head"], found
