"""Marrow oedema of the acetabulum alone (issue 9, session 6).

The femoral oedema patterns (head and neck, neck, subchondral head, both sides of the joint)
do not fit oedema of the acetabulum alone: the earlier reader called it oedema on both sides of
the joint, which weighs towards arthritis. Its site is kept. Sentences written for these tests;
the first ones fail on the earlier reader, the last one checks that both sides still read."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "MRI L hip: marrow oedema of the acetabular roof only; femoral head normal.",
        "MR pelvis - bone marrow edema in the posterior acetabulum, no fracture line.",
    ],
)
def test_acetabular_oedema_alone_has_no_femoral_pattern(read, text: str) -> None:
    found = read(text)
    assert "imaging.mri.edema_pattern" not in found, found
    assert found.get("imaging.mri.sites") == ["acetabulum"], found


def test_oedema_of_acetabulum_and_femoral_head_is_both_sides(read) -> None:
    found = read("MRI R hip: marrow oedema of the femoral head and the acetabulum, effusion.")
    assert found.get("imaging.mri.edema_pattern") == "both_sides_of_joint", found
