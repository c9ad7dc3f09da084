"""Imaging, round 3 (issue 9, session 7): sides of studies.

A complaint's side in a sentence that names no study ("She now has left groin pain") took the
study named in an earlier sentence and became that study's side, even where the study was an
old one or of another region. It is the complaint's side only. Sentences written for these
tests, with guards for the sides a study still takes: in its own sentence, and from the
clinical details of its own report.
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
