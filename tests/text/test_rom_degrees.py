"""Range of motion given only in degrees, and resisted-movement tests (issue 9, round 2).
Sentences written for these tests; each asserts what the earlier reader got wrong."""

from __future__ import annotations

import re
import time

import pytest

from tohip.text.rules import load_text_rules


@pytest.mark.parametrize(
    "text",
    [
        "O/E: R hip AROM flexion 85 deg, IR 10 deg, ER 30.",
        "L hip ROM: IR 0, flexion 95, pain at end range.",
        "Hip flexion: 70° with pain; extension 5°.",
        "Right hip internal rotation 15 degrees, painful.",
    ],
)
def test_degrees_below_normal_are_a_limited_range(read, text: str) -> None:
    assert read(text).get("exam.range_of_motion") == "limited"


@pytest.mark.parametrize(
    "text",
    [
        "L hip flexion 120°, IR 35°, ER 45°, pain-free.",
        "FADIR: hip flexed to 90 degrees, adducted and internally rotated - painful.",
        "Pain on resisted hip flexion and resisted abduction.",
        "Fetal heart rate 140, flexion of the neck normal.",
    ],
)
def test_normal_degrees_manoeuvres_and_strength_tests_are_no_limited_range(read, text: str) -> None:
    assert read(text).get("exam.range_of_motion") != "limited"


def test_guarding_still_limits_the_range(read) -> None:
    assert read("L hip held flexed, all movements resisted.").get("exam.range_of_motion")


def test_degree_expressions_are_linear_on_50000_hostile_characters() -> None:
    concept = next(c for c in load_text_rules().targets.concepts if c.id == "rom_degrees_limited")
    hostile = ["flexion " * 6250, "IR 1" * 12500, "flexion ~ about " * 3125, " " * 50_000,
               "ir 2 0 " * 7143, "flexion:" * 6250]  # fmt: skip
    for pattern in concept.regex:
        compiled = re.compile(pattern, re.I)
        for text in hostile:
            start = time.process_time()
            list(compiled.finditer(text[:50_000]))
            assert time.process_time() - start < 0.5, (pattern, text[:20])
