"""A normal plain film in the words clinicians use (issue 9, round 2): "XR", plural "X-rays",
"within normal limits", "reportedly normal", "no obvious abnormality". Sentences written for
these tests; each asserts what the earlier reader got wrong. A normal part is still not a
normal study."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "Pelvic XR within normal limits.",
        "XR L hip unremarkable.",
        "AP pelvis: no obvious abnormality; joint space maintained.",
        "Outside radiographs reportedly normal.",
        "Hip X-rays normal.",
        "74F, sudden R hip pain on standing, XR negative.",
    ],
)
def test_a_normal_plain_film_is_read(read, text: str) -> None:
    assert read(text).get("imaging.xray.normal") is True


@pytest.mark.parametrize(
    "text",
    [
        "XR hip: joint space within normal limits, osteopenia of the femoral head.",
        "X-rays: subchondral bone normal, crescent sign present.",
    ],
)
def test_a_normal_part_is_not_a_normal_film(read, text: str) -> None:
    assert read(text).get("imaging.xray.normal") is not True
