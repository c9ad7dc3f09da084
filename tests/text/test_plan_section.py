"""A plan section is what is to be done, not what was found (issue 9, session 5)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            "Right hip pain.\nPlan: ESR, CRP, HLA-B27 and AP pelvis.\n",
            "labs.autoantibodies_positive",
        ),
        ("Left hip pain.\nPlan: MRI left hip; bone profile.\n", "imaging.mri.side"),
        ("Groin pain.\nDispo: crutches, outpatient MRI within 1 week.\n", "imaging.mri.side"),
    ],
)
def test_what_a_plan_orders_is_not_a_result(read, text: str, path: str) -> None:
    """A plan section lists tests and studies to do (issue 9, session 5): not their results."""
    assert path not in read(text)
