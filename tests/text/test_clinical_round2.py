"""Clinical sections, round 2 (issue 9, session 7). Sentences written for these tests; each
asserts what the earlier reader got wrong, beside a guard for what must still be read."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "Exam: cervical spine movements restricted; the hip was not examined.",
        "On examination his lumbar flexion was restricted by pain.",
        "Shoulder movements markedly restricted after the fall.",
        "Restricted neck movements noted.",
        "She has had restricted mobility since the stroke, walking with a frame.",
    ],
)
def test_the_range_of_another_part_is_not_the_hips(read, text: str) -> None:
    assert "exam.range_of_motion" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "Exam: right hip movements restricted, worst on internal rotation.",
        "Examination: restricted range of motion of the left hip.",
        "Restricted hip movement and a tender lumbar spine.",
        "Hip flexion restricted, knees normal.",
    ],
)
def test_a_restricted_hip_is_still_read(read, text: str) -> None:
    assert read(text).get("exam.range_of_motion") in (
        "limited",
        "mildly_limited",
        "severely_limited",
    )


@pytest.mark.parametrize(
    "text",
    [
        "ORTHOPAEDIC TUMOUR BOARD - REVIEW OF IMAGING",
        "Case brought to the bone sarcoma MDT on Tuesday.",
        "Seen in the orthopaedic tumour clinic last week.",
        "Listed for the multidisciplinary sarcoma meeting.",
    ],
)
def test_a_tumour_meeting_or_service_is_no_history_of_cancer(read, text: str) -> None:
    assert "history.malignancy" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "Biopsy showed reactive marrow and no malignancy.",
        "Histology showed granulation tissue and no evidence of malignancy.",
    ],
)
def test_a_biopsy_without_malignancy_is_a_result_not_the_history(read, text: str) -> None:
    assert "history.malignancy" not in read(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("PMH: breast cancer treated 2015, confirmed on biopsy.", True),
        ("Past history: no cancer.", False),
        ("Known myeloma under the haematology team.", True),
    ],
)
def test_a_history_of_cancer_is_still_read(read, text: str, value: bool) -> None:
    assert read(text).get("history.malignancy") is value


@pytest.mark.parametrize(
    "text",
    [
        "Reviewed on the ward. Calcium, vitamin D and PTH requested.",
        "She lives on her own. Naproxen was mentioned as an option at the last visit.",
    ],
)
def test_a_cue_in_the_sentence_before_names_no_medicine(read, text: str) -> None:
    assert "patient.medications" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "Seen today. She is on alendronate weekly.",
        "Pain for a month. Taking naproxen since the weekend.",
    ],
)
def test_a_cue_in_the_names_own_sentence_is_still_read(read, text: str) -> None:
    assert read(text).get("patient.medications")


@pytest.mark.parametrize(
    "text",
    [
        "Hip pain worse since an IA triamcinolone injection three weeks ago.",
        "She had two intra-articular hyaluronic acid injections over recent months.",
        "Steroid injected into the left hip joint last month by her GP.",
        "PMH: type 1 DM since childhood.",
    ],
)
def test_a_recent_joint_injection_or_diabetes_is_an_infection_risk(read, text: str) -> None:
    assert read(text).get("history.infection_risk") is True


@pytest.mark.parametrize(
    "text",
    [
        "Technique: intra-articular injection of dilute gadolinium under ultrasound guidance.",
        "The pain followed a course of intra-articular injections for arthritis.",
    ],
)
def test_an_arthrogram_or_an_undated_injection_is_no_infection_risk(read, text: str) -> None:
    assert "history.infection_risk" not in read(text)


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("The right hip became sore about ten days ago after a long walk.", 1.4),
        ("Her left groin became painful roughly six weeks ago.", 6.0),
    ],
)
def test_a_part_that_became_painful_some_time_ago_gives_the_duration(
    read, text: str, weeks: float
) -> None:
    assert read(text).get("symptoms.duration_weeks") == pytest.approx(weeks, abs=0.1)


def test_becoming_pregnant_some_time_ago_is_no_duration(read) -> None:
    assert "symptoms.duration_weeks" not in read("She became pregnant 3 months ago.")
