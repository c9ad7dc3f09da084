"""A finding in a report belongs to the report's study, even after another study is named
(issue 9, session 6).

"... matching the collapse on the radiograph. Joint effusion." in an MRI report: the earlier
reader gave the effusion to the last study named (the radiograph), which cannot show one, and
dropped it. Now a finding the last-named study cannot show goes to the study of the report it
is in (its title, across clinical details, findings and impression). Reports written for these
tests; the first ones fail on the earlier reader, the last ones check what must not move."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("MRI LEFT HIP\nClinical details: 70F, ?AVN.\nFindings: diffuse marrow oedema of the "
         "head and neck. The articular surface is depressed, as on the radiograph. Joint "
         "effusion.", "imaging.mri.joint_effusion"),
        ("CT PELVIS\nFindings: the sclerosis seen on plain films is confirmed. Moderate hip "
         "effusion.", "imaging.ct.joint_effusion"),
    ],
)  # fmt: skip
def test_a_finding_the_named_study_cannot_show_is_the_reports(read, text: str, path: str) -> None:
    assert read(text).get(path) is True


def test_a_finding_the_named_study_can_show_stays_with_it(read) -> None:
    # the plain film can show osteopenia: it stays the film's
    found = read("MRI RIGHT HIP\nFindings: marrow oedema. The X-ray showed osteopenia.")
    assert found.get("imaging.xray.osteopenia") is True, found


def test_no_report_no_move(read) -> None:
    # a letter with no report title: an effusion after a film is not given to an MRI
    found = read("She had an MRI last month. Today the X-ray is unchanged. Small effusion.")
    assert "imaging.mri.joint_effusion" not in found, found


def test_scintigraphic_names_the_bone_scan(read) -> None:
    # the bone scan's own words, not the MRI named before them
    found = read("MRI: marrow oedema of the head and neck. Bone scan: diffuse uptake in the "
                 "femoral head and neck; no scintigraphic evidence of a stress fracture.")  # fmt: skip
    assert "imaging.mri.neck_fracture_line" not in found, found
