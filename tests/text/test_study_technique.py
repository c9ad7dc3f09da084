"""How a study was done is not a finding ruled out (issue 9, session 6).

"MRI of both hips, without contrast, shows marrow oedema ..." : the earlier reader let
"without" negate everything after it, and read the oedema as absent. Sentences written for these
tests; each fails on the earlier reader except the last, which checks that "without" still
negates a finding."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "MRI of the pelvis and both hips, without contrast, shows bone marrow oedema in both "
        "femoral heads extending into the femoral necks.",
        "Non-urgent MR R hip without IV contrast demonstrates marrow edema of the femoral head "
        "and neck.",
        "MRI hip without gadolinium: STIR hyperintense marrow oedema of the head and neck.",
    ],
)
def test_without_contrast_does_not_negate_the_findings(read, text: str) -> None:
    assert read(text).get("imaging.mri.edema_pattern") == "diffuse_head_neck"


def test_without_still_negates_a_finding(read) -> None:
    found = read("MRI: marrow oedema of the femoral head without a subchondral fracture line.")
    assert found.get("imaging.mri.subchondral_fracture_line") is False, found
