"""A current study described against an earlier one (issue 9, round 2): the earlier study is the
first, the current one its follow-up. Reports written for these tests; each asserts what the
earlier reader got wrong (it read the current report as the first study and made no follow-up).
"""

from __future__ import annotations

import time

import pytest

from tohip.text.extract import extract_text

REPORTS = [
    "MRI LEFT HIP\nClinical: 51F, earlier MRI showed marrow oedema of the L femoral head and "
    "neck. Pain settling.\nComparison: MRI of 3 months ago.\nFindings: The STIR hyperintensity "
    "in the left femoral head and neck seen before has resolved. No collapse. No subchondral "
    "line.\nImpression: resolution of the previous marrow oedema.",
    "MR right hip\nHistory: prior bone marrow edema R femoral head/neck, ?TOH.\nComparison is "
    "made with the previous study.\nFindings: The edema previously seen in the right femoral "
    "head and neck has completely resolved; no collapse of the head.",
]


@pytest.mark.parametrize("text", REPORTS)
def test_a_comparison_report_is_the_follow_up_of_the_study_it_names(read, text: str) -> None:
    found = read(text)
    later = found.get("imaging.followup")
    assert later and later[0]["modality"] == "mri" and later[0]["edema"] == "resolved", found
    assert later[0].get("collapse") is False, found
    # the earlier study is the first: its oedema, and what the current report says is not in it
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found
    assert "imaging.mri.collapse" not in found, found


@pytest.mark.parametrize(
    "text",
    [
        # no earlier study to compare with
        "MRI RIGHT HIP\nComparison: no previous MRI.\nFindings: marrow oedema of the right "
        "femoral head and neck. Clinically the pain has improved.",
        # the comparison names another kind of study, which shows no oedema's course
        "MRI RIGHT HIP\nComparison: radiographs of last week.\nFindings: marrow oedema of the "
        "right femoral head and neck has progressed since the radiographs were normal.",
    ],
)
def test_a_report_without_an_earlier_study_of_its_kind_is_the_first_study(read, text: str) -> None:
    assert "imaging.followup" not in read(text)


def test_a_study_compared_with_an_earlier_film_in_its_sentence_is_the_follow_up(read) -> None:
    found = read(
        "Pelvic X-ray in ED showed joint space narrowing only. X-ray R hip today: compared "
        "with the ED film there is now collapse of the femoral head."
    )
    # a later film with collapse is not a normal film (followup.yaml abnormal_when)
    expected = [{"modality": "xray", "collapse": True, "normal": False}]
    assert found.get("imaging.followup") == expected, found
    assert found.get("imaging.xray.crescent_or_collapse") is not True, found


@pytest.mark.parametrize(
    "unit", ["Comparison: MRI. resolved ", "compared with the MRI ", "Comparison:\n" * 2]
)
def test_comparisons_stay_fast_on_50000_hostile_characters(unit: str) -> None:
    extract_text("MRI: marrow oedema.")  # builds the pipeline; not timed
    text = (unit * (50_000 // len(unit) + 1))[:49_990]
    start = time.process_time()
    extract_text(text)
    assert time.process_time() - start < 30
