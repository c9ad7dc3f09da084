"""A repeat study that reports resolution is a follow-up even when the note does not describe
the first study (issue 9, session 6).

"Repeat MRI: complete resolution of the oedema of the L femoral head and neck" says that the
first MRI showed that oedema: the earlier reader read it as the only study, with no follow-up.
Now the repeat study is the follow-up, what resolved stays with the first study, and what the
repeat study rules out ("no collapse") is the repeat study's. Letters written for these tests;
each asserts what the earlier reader got wrong, and the negative ones what it must keep."""

from __future__ import annotations

import pytest

LETTERS = [
    "Review in clinic. Her groin pain has settled.\nRepeat MRI (12 weeks after the first): "
    "complete resolution of the marrow oedema of the left femoral head and neck. No collapse.",
    "Pain much better. Follow-up MR of the right hip shows the bone marrow edema in the femoral "
    "head and neck has largely resolved; no collapse.",
]


@pytest.mark.parametrize("text", LETTERS)
def test_a_repeat_study_that_reports_resolution_is_a_follow_up(read, text: str) -> None:
    found = read(text)
    later = found.get("imaging.followup")
    assert later and later[0]["modality"] == "mri", found
    assert later[0]["edema"] in ("resolved", "improving"), found
    assert later[0].get("collapse") is False, found
    # what resolved was on the first study; what the repeat study rules out is its own
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found
    assert "imaging.mri.collapse" not in found, found


@pytest.mark.parametrize(
    "text",
    [
        # a repeat study with no change stated is the study itself
        "Repeat MRI shows marrow oedema in the right femoral head and neck with a small effusion.",
        # what resolved is not the oedema, which persists
        "Repeat MRI: small effusion now resolved. Ongoing marrow oedema of the left femoral "
        "head and neck.",
        # a repeat study planned, not done
        "MRI: marrow oedema of the left femoral head and neck. Repeat MRI in 3 months to "
        "confirm resolution.",
    ],
)
def test_no_follow_up_without_a_change_or_when_planned(read, text: str) -> None:
    found = read(text)
    assert not found.get("imaging.followup"), found
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found
