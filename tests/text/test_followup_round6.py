"""Later studies, round 6 (session 10): words across a hard-wrapped line, a later study's time
from the symptoms' duration, and a later study with a finding is not normal.

Sentences written for these tests (not taken from a corpus note)."""

from __future__ import annotations

from typing import Any

import pytest

from tohip.text.extract import extract_text


def _later(note: str) -> list[dict[str, Any]]:
    case = extract_text(note).case
    return [f.model_dump(exclude_none=True, mode="json") for f in case.imaging.followup]


# a hard-wrapped letter: the later study's course is on the line after its name
@pytest.mark.parametrize(
    ("note", "course"),
    [
        (
            "MRI in March: marrow oedema of the left femoral head and neck.\n"
            "A repeat MRI done later that summer was reported as showing\n"
            "resolution of the oedema.\n",
            "resolved",
        ),
        (
            "Initial MRI: diffuse marrow oedema of the right femoral head.\n"
            "The follow-up MRI, which she had in the spring, has shown\n"
            "that the oedema is partially resolved.\n",
            "improving",
        ),
    ],
)
def test_a_later_study_runs_on_across_a_wrapped_line(note: str, course: str) -> None:
    later = _later(note)
    assert [(f["modality"], f.get("edema")) for f in later] == [("mri", course)]


def test_a_new_line_that_opens_a_sentence_still_ends_the_later_study() -> None:
    # the break is not a wrapped line (a capital opens the next line): what follows is not the
    # repeat study's
    note = (
        "MRI in March: marrow oedema of the left femoral head and neck.\n"
        "Repeat MRI in June was unchanged\n"
        "Plan: the oedema is expected to resolve.\n"
    )
    assert [f.get("edema") for f in _later(note)] == ["unchanged"]


# a later study's time, from the symptoms' duration
@pytest.mark.parametrize(
    ("note", "weeks"),
    [
        # done now: at the duration
        (
            "Right hip pain for 12 weeks. Initial radiograph was normal. "
            "Repeat radiograph now shows collapse of the femoral head.",
            12.0,
        ),
        (
            "Left hip pain for 6 months. The first X-ray was unremarkable. "
            "Repeat films today: flattening of the femoral head.",
            26.1,
        ),
        # done some weeks ago: the duration less those weeks
        (
            "Pain in the left hip for 20 weeks. First X-ray was normal. "
            "Follow-up radiographs four weeks ago showed collapse of the femoral head.",
            16.0,
        ),
        # compared with an earlier film: the "ago" dates the earlier film, not this one
        (
            "Hip pain for 10 weeks. Initial X-ray was normal. "
            "Repeat X-ray compared with the film of 8 weeks ago: new collapse of the head.",
            10.0,
        ),
    ],
)
def test_a_later_study_is_timed_from_the_duration(note: str, weeks: float) -> None:
    later = _later(note)
    assert len(later) == 1
    assert later[0]["weeks_after_onset"] == pytest.approx(weeks, abs=0.1)


@pytest.mark.parametrize(
    "note",
    [
        # no duration: no time
        "Initial radiograph was normal. Repeat radiograph now shows collapse of the femoral head.",
        # nothing says when the repeat study was done
        "Right hip pain for 12 weeks. Initial radiograph was normal. "
        "A repeat radiograph showed collapse of the femoral head.",
    ],
)
def test_a_later_study_without_its_time_stays_untimed(note: str) -> None:
    later = _later(note)
    assert len(later) == 1 and later[0]["collapse"] is True
    assert "weeks_after_onset" not in later[0]


@pytest.mark.parametrize(
    "note",
    [
        "Initial radiograph was normal. Follow-up radiograph: collapse of the femoral head.",
        "Initial films were unremarkable. Repeat films showed a fracture line in the femoral neck.",
    ],
)
def test_a_later_study_with_a_finding_is_not_normal(note: str) -> None:
    later = _later(note)
    assert len(later) == 1 and later[0]["normal"] is False


def test_a_later_study_whose_oedema_resolved_is_not_called_abnormal() -> None:
    note = (
        "MRI: marrow oedema of the left femoral head and neck. "
        "Repeat MRI at 3 months showed resolution of the oedema."
    )
    later = _later(note)
    assert later == [{"modality": "mri", "edema": "resolved"}]
