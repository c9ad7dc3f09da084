"""Bone scan uptake (issue 9, imaging round 2): uptake called degenerative, or in the femoral
head alone, is not the diffuse head-neck uptake of TOH. Sentences written for these tests; the
earlier reader read any uptake without a pattern word as diffuse head-neck uptake."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "Bone scan: mild degenerative uptake at both hips and the lower lumbar facets.",
        "Isotope scan shows osteoarthritic uptake in the right hip joint.",
        "Bone scan: increased uptake confined to the left femoral head.",
        "Scintigraphy demonstrated intense tracer uptake in the right femoral head.",
    ],
)
def test_degenerative_or_head_only_uptake_has_no_head_neck_pattern(read, text: str) -> None:
    assert read(text).get("imaging.bone_scan.pattern") is None


@pytest.mark.parametrize(
    "text",
    [
        "Bone scan: increased uptake throughout the left femoral head and neck.",
        "Bone scan showed increased uptake in the right hip.",
    ],
)
def test_head_and_neck_or_hip_uptake_is_still_diffuse(read, text: str) -> None:
    assert read(text).get("imaging.bone_scan.pattern") == "diffuse_head_neck"
