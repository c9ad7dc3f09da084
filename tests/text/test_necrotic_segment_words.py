"""The dead segment of osteonecrosis and the lesions that rule it out (issue 9, session 6).

Radiologists rule out a necrotic segment in words the earlier reader did not know ("no focal
subchondral lesion", "no segmental demarcation"), describe one by its edge ("a geographic area
outlined by a serpiginous rim"), and letters name the diagnosis where no study shows it ("was
treated elsewhere for osteonecrosis"). Sentences written for these tests; each asserts what the
earlier reader got wrong."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "MRI R hip: diffuse STIR hyperintensity of the head and neck. No focal subchondral lesion.",
        "MR left hip - marrow oedema head/neck, effusion, no focal subchondral abnormality.",
        "MRI: oedema of the femoral head extending into the neck, without a focal subchondral "
        "lesion.",
    ],
)
def test_no_focal_subchondral_lesion_rules_out_segment_and_subchondral_line(read, text) -> None:
    found = read(text)
    assert found.get("imaging.mri.necrotic_segment") is False, found
    assert found.get("imaging.mri.subchondral_fracture_line") is False, found


@pytest.mark.parametrize(
    "text",
    [
        "MRI left hip: bone marrow oedema pattern; no focal necrotic lesion and no fracture.",
        "MRI: oedema only, with no segmental demarcation.",
        "MRI right hip: no band-like T1 change in the femoral head.",
        "MRI: the femoral head shows no serpiginous margin.",
        "I have looked at the MRI again and cannot see a convincing band-like lesion.",
    ],
)
def test_ruled_out_segment_shapes(read, text: str) -> None:
    assert read(text).get("imaging.mri.necrotic_segment") is False


@pytest.mark.parametrize(
    "text",
    [
        "MRI right hip: geographic area in the anterosuperior femoral head.",
        "MRI: a serpiginous margin outlines the superior femoral head.",
        "MRI L hip: well demarcated subchondral lesion of the weight-bearing head.",
        "MRI: segmental demarcation of the anterolateral head, no collapse.",
    ],
)
def test_segment_described_by_its_edge(read, text: str) -> None:
    assert read(text).get("imaging.mri.necrotic_segment") is True


def test_a_plain_subchondral_lesion_names_neither(read) -> None:
    # a cyst-like subchondral focus is neither a dead segment nor a fracture line as written
    found = read("MRI: small subchondral lesion in the superolateral head.")
    assert "imaging.mri.necrotic_segment" not in found
    assert "imaging.mri.subchondral_fracture_line" not in found


def test_shape_words_count_only_near_the_band(read) -> None:
    # a thin subchondral line with no demarcating band is a fracture line, not a segment
    found = read(
        "MRI: thin, irregular T1 low-signal subchondral line in the superior head, convex to "
        "the surface, with no demarcating band and no double line."
    )
    assert found.get("imaging.mri.necrotic_segment") is False, found
    assert found.get("imaging.mri.subchondral_fracture_line") is True, found


@pytest.mark.parametrize(
    "text",
    [
        "She had an MRI of the right hip 2 weeks ago. The osteonecrosis began after a course "
        "of steroids.",
        "Her MRI of the L hip is booked. Referred after a left THR for aseptic necrosis of the "
        "femoral head.",
        "An outside MRI was done. He was told elsewhere that he had avascular necrosis.",
    ],
)
def test_the_diagnosis_named_in_a_letter_is_no_finding(read, text: str) -> None:
    assert read(text).get("imaging.mri.necrotic_segment") is None


@pytest.mark.parametrize(
    "text",
    [
        "MRI right hip: avascular necrosis of the femoral head with a small effusion.",
        "MRI LEFT HIP\nFindings: crescentic subchondral signal.\nImpression: osteonecrosis of "
        "the femoral head, no collapse.",
        "MRI right hip: effusion. Segmental signal abnormality of the superior head consistent "
        "with osteonecrosis.",
    ],
)
def test_the_diagnosis_in_a_report_is_a_finding(read, text: str) -> None:
    assert read(text).get("imaging.mri.necrotic_segment") is True


def test_the_diagnosis_ruled_out_counts_anywhere_a_study_is_read(read) -> None:
    found = read("MRI L hip reviewed. Marrow oedema only. No features of osteonecrosis.")
    assert found.get("imaging.mri.necrotic_segment") is False
