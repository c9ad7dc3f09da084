"""A study is not normal when the note reads a finding in it (issue 9, session 6).

A wrong "whole study normal" hides a finding from the reasoning. The earlier reader kept both
"normal" and the finding when a note called a study normal and then described something in it
(a report revised on review, a normal overall impression written before a subtle sign). Notes
written for these tests; each asserts what the earlier reader got wrong, and the last ones what
it must keep (a normal study with only negatives, a normal first film and a changed later one).
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("X-ray was reported as normal but on review there is regional osteopenia of the "
         "femoral head.", "imaging.xray.osteopenia"),
        ("Plain film R hip unremarkable. Subtle loss of the subchondral cortical line of the "
         "femoral head on the AP view.", "imaging.xray.subchondral_cortical_loss"),
        ("MRI: normal study. Small joint effusion on the left.", "imaging.mri.joint_effusion"),
    ],
)  # fmt: skip
def test_a_finding_overrules_a_normal_study(read, text: str, finding: str) -> None:
    found = read(text)
    assert found.get(finding) is True, found
    modality = finding.split(".")[1]
    assert f"imaging.{modality}.normal" not in found, found


@pytest.mark.parametrize(
    "text",
    [
        "X-ray pelvis: normal. No fracture, joint space preserved.",
        "MRI both hips: normal. No marrow oedema, no effusion.",
    ],
)
def test_a_normal_study_with_only_negatives_stays_normal(read, text: str) -> None:
    found = read(text)
    modality = "xray" if text.startswith("X") else "mri"
    assert found.get(f"imaging.{modality}.normal") is True, found


def test_a_normal_first_film_stays_normal_beside_a_changed_later_one(read) -> None:
    found = read(
        "Initial X-ray was normal. Repeat X-ray at 6 weeks showed marked osteopenia of the "
        "femoral head."
    )
    assert found.get("imaging.xray.normal") is True, found
    later = found.get("imaging.followup")
    assert later and later[0].get("osteopenia") is True, found
