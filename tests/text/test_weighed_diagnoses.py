"""A diagnosis weighed is not a finding seen (issue 9, round 2). Sentences written for these
tests; each asserts what the earlier reader got wrong (it read a necrotic segment or a neck
fracture line, or read "no risk factors for osteonecrosis" as no necrotic segment)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "MRI: marrow oedema. Early AVN and a stress fracture are the main differentials, "
        "but are not favoured.",
        "MRI: marrow oedema. Avascular necrosis of the femoral head (after years of "
        "prednisolone) also needs to be considered.",
        "MRI: marrow oedema, osteonecrosis not supported by the imaging.",
        "MRI: marrow oedema. My main concern is osteonecrosis of the femoral head.",
        "MRI: marrow oedema. Referred with a working diagnosis of avascular necrosis.",
    ],
)
def test_a_weighed_diagnosis_is_not_a_necrotic_segment(read, text: str) -> None:
    assert read(text).get("imaging.mri.necrotic_segment") is not True


@pytest.mark.parametrize(
    "text",
    [
        "No risk factors for osteonecrosis (no steroids, little alcohol).",
        "Osteonecrosis risk factors: none identified.",
    ],
)
def test_risk_factors_for_a_diagnosis_are_not_the_diagnosis(read, text: str) -> None:
    assert "imaging.mri.necrotic_segment" not in read(text)


def test_aseptic_necrosis_is_osteonecrosis(read) -> None:
    found = read("MRI: aseptic necrosis of the left femoral head with a demarcated segment.")
    assert found.get("imaging.mri.necrotic_segment") is True
