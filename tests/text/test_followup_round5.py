"""Later studies, session 9 (second wave): a film compared with an earlier one it names, studies
listed after a follow-up study in one paragraph, a repeat study of the other hip, and the course
read in the oedema's own clause. Sentences written for these tests; each asserts what the
earlier reader got wrong, and the near misses what it must keep."""

from __future__ import annotations

import pytest

# a study compared with an earlier one it names is the later study, even when the note says
# nothing the reader can take from the earlier one
COMPARED = [
    "Pain much worse since the injection.\nRadiographs today: the femoral head has collapsed "
    "superiorly, compared with the films taken in March.",
    "Pelvic X-ray this week shows new flattening of the left femoral head when compared with "
    "her previous radiograph.",
]


@pytest.mark.parametrize("text", COMPARED)
def test_a_film_compared_with_a_named_earlier_one_is_a_follow_up(read, text: str) -> None:
    found = read(text)
    later = found.get("imaging.followup")
    assert later and later[0]["modality"] == "xray", found
    assert later[0].get("collapse") is True, found
    assert "imaging.xray.crescent_or_collapse" not in found, found


# studies listed one after another after a follow-up cue, in one paragraph
LISTED = [
    "Imaging: Follow-up MRI - the marrow oedema of the left femoral head and neck has "
    "resolved. Pelvic X-ray - remineralisation of the left proximal femur.",
    "Interval MRI: oedema of the right femoral head and neck resolved. Radiographs: "
    "remineralised, no collapse.",
]


@pytest.mark.parametrize("text", LISTED)
def test_studies_listed_after_a_follow_up_study_are_later_studies(read, text: str) -> None:
    found = read(
        "Presentation X-ray showed osteopenia of the femoral head. MRI showed marrow oedema "
        "of the femoral head and neck.\n\n" + text
    )
    later = {s["modality"]: s for s in found.get("imaging.followup", [])}
    assert later.get("mri", {}).get("edema") == "resolved", found
    assert later.get("xray", {}).get("osteopenia") is False, found
    assert found.get("imaging.xray.osteopenia") is True, found


@pytest.mark.parametrize(
    "text",
    [
        # the next study is said to be the earlier one
        "Follow-up MRI: marrow oedema resolved. Initial radiographs had shown osteopenia.",
        # the next study is a plan
        "Follow-up MRI: marrow oedema resolved. Radiographs will be repeated in 3 months.",
    ],
)
def test_a_listed_earlier_or_planned_study_is_not_a_later_one(read, text: str) -> None:
    found = read(text)
    modalities = [s["modality"] for s in found.get("imaging.followup", [])]
    assert "xray" not in modalities, found


# a repeat study whose oedema is in the other hip: the oedema moved, a new episode's study
OTHER_HIP = [
    "Last winter his MRI showed marrow oedema of the left femoral head and neck, which settled."
    "\nThis time the right hip hurts. Repeat MRI shows marrow oedema in the right femoral head "
    "and neck with a small effusion; the left hip now looks normal.",
    "Two years ago an MRI showed bone marrow edema in the right femoral head and neck. Now "
    "left-sided pain. A further MRI demonstrates bone marrow edema of the left femoral head and "
    "neck and a joint effusion, with no fracture line.",
]


@pytest.mark.parametrize("text", OTHER_HIP)
def test_a_repeat_study_of_the_other_hip_is_the_current_study(read, text: str) -> None:
    found = read(text)
    assert not found.get("imaging.followup"), found
    assert found.get("imaging.mri.joint_effusion") is True, found
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found


def test_a_repeat_study_of_the_same_hip_stays_a_follow_up(read) -> None:
    found = read(
        "Last winter his MRI showed marrow oedema of the left femoral head and neck. Repeat MRI "
        "shows the marrow oedema in the left femoral head and neck has largely resolved."
    )
    later = found.get("imaging.followup")
    assert later and later[0]["edema"] == "improving", found


@pytest.mark.parametrize(
    "text",
    [
        "Repeat MRI: marrow oedema of the right femoral head and neck; the left hip, previously "
        "affected, has returned to normal.",
        "Repeat MRI shows marrow edema throughout the right femoral head and neck, whereas the "
        "oedema in the left hip has resolved.",
    ],
)
def test_the_course_is_read_in_the_oedemas_own_clause(read, text: str) -> None:
    found = read(text)
    assert not found.get("imaging.followup"), found
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found


def test_what_a_follow_up_cannot_hold_stays_with_the_current_film(read) -> None:
    # the follow-up entry has no field for erosions: they stay the current film's finding, so
    # the reasoning still weighs infection
    found = read(
        "XR left hip today: erosion of the acetabulum and collapse of the femoral head, compared "
        "with the films before the injection."
    )
    later = found.get("imaging.followup")
    assert later and later[0].get("collapse") is True, found
    assert found.get("imaging.xray.erosions") is True, found
