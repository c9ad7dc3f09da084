"""'N months ago' in a history of the present illness dates the complaint's onset or the event
it followed: the symptoms stay current. A course that is over, or another episode, stays
history. The editors' wording, two styles each."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        # the present complaint, dated
        ("Right groin pain came on about 3 months ago and is worse on walking.", "symptoms.weight_bearing_pain", True),
        ("HPI: insidious onset of L groin ache ~4 months ago, now limping.", "symptoms.groin_buttock_or_thigh_pain", True),
        ("Progressively worse hip pain since a fall 6 months ago.", "symptoms.worsening", True),
        ("Hip pain first noticed two years ago, steadily getting worse.", "symptoms.worsening", True),
        # a course that is over or another episode stays history
        ("A similar groin pain 3 years ago settled within a year.", "symptoms.groin_buttock_or_thigh_pain", None),
        ("Two months ago she was unable to bear weight for a week.", "symptoms.unable_to_bear_weight", None),
    ],
)  # fmt: skip
def test_dated_symptoms(read, text: str, path: str, expected: object) -> None:
    assert read(text).get(path) is expected


def test_a_study_dated_months_ago_is_still_not_a_finding_now(read) -> None:
    # the exception is for symptoms only: an old scan's finding is not today's
    assert (
        read("Left hip pain. MRI 5 months ago showed a femoral neck stress fracture.").get(
            "imaging.mri.neck_fracture_line"
        )
        is None
    )
