"""Studies named together (issue 9, imaging round 2): "X-ray and CT showed ..." gives the
finding to both studies, each that records it. Sentences written for these tests; the earlier
reader gave the finding to the last study named only."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "Outside radiographs and CT were reported as showing sclerosis of the femoral head.",
        "Her XR/CT demonstrated subchondral sclerosis in the left femoral head.",
        "The plain films, MRI and CT all showed sclerosis of the head.",
    ],
)
def test_a_finding_of_studies_named_together_is_each_ones(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.xray.sclerosis") is True, found
    assert found.get("imaging.ct.sclerosis") is True, found


def test_a_study_that_does_not_record_the_field_gets_nothing(read) -> None:
    found = read("CT and MRI showed a joint effusion and sclerosis of the femoral head.")
    assert found.get("imaging.ct.joint_effusion") is True, found
    assert found.get("imaging.mri.joint_effusion") is True, found
    assert "imaging.mri.sclerosis" not in found, found


@pytest.mark.parametrize(
    "text",
    [
        "Compared with the prior X-ray and CT, there is new sclerosis of the femoral head.",
        "X-ray normal. CT showed sclerosis of the femoral head.",
    ],
)
def test_a_compared_or_separate_study_keeps_its_own_findings(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.ct.sclerosis") is True, found
    assert found.get("imaging.xray.sclerosis") is None, found
