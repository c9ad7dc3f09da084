"""Imaging words that state no finding of the hip (issue 9, session 7).

Six classes the earlier reader misread, each of which changed the top-ranked condition on
some training notes: a pattern the writer says *would* favour a diagnosis (a conditional, not
what was seen); a signal change the reader calls within normal limits; a mass that is not in
the marrow (palpable, pelvic, abdominal, a joint mass, or "tumour markers" as a blood test);
a low-attenuation focus on CT (a lytic lesion); a crescent on MRI (a subchondral fracture
line, not collapse of the head); marrow signal that is a necrotic segment's, sclerotic deposits'
or marrow replacement's (darker than muscle on T1). Sentences written for these tests; each class has a guard
for what must still be read.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "MRI L hip to follow. Marrow oedema of the head and neck without a necrotic segment "
        "would favour transient osteoporosis.",
        "Outside films awaited; a diffuse edema pattern on MRI would be in keeping with "
        "bone marrow edema syndrome.",
    ],
)
def test_a_conditional_pattern_is_not_a_finding(read, text: str) -> None:
    found = read(text)
    assert "imaging.mri.edema_pattern" not in found, found
    assert "imaging.mri.necrotic_segment" not in found, found


def test_a_pattern_seen_is_still_read_beside_a_conditional(read) -> None:
    found = read(
        "MRI R hip: diffuse marrow oedema of the femoral head and neck. "
        "A subchondral fracture line would suggest SIF, but none is seen."
    )
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found


@pytest.mark.parametrize(
    "text",
    [
        "MRI both hips: patchy marrow signal change in the femoral necks, within normal limits "
        "for age.",
        "MRI (reviewed): heterogeneous marrow signal in both femora which is within the range "
        "of normal.",
    ],
)
def test_marrow_signal_within_normal_limits_is_no_oedema(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.mri.edema_pattern") in (None, "none"), found


def test_marrow_oedema_is_read_when_the_labs_are_normal(read) -> None:
    found = read(
        "MRI L hip: bone marrow oedema of the femoral head and neck. "
        "Bloods: FBC and CRP within normal limits."
    )
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found


@pytest.mark.parametrize(
    "text",
    [
        "MRI pelvis: large cystic lesion anterior to the right hip, accounting for the palpable "
        "groin mass. Marrow of the femur normal.",
        "MRI R hip. Indication: lower abdominal mass, tumor markers normal. Distended iliopsoas "
        "bursa.",
        "MRI L hip: intra-articular mass of low signal eroding the acetabular rim.",
    ],
)
def test_a_mass_outside_the_marrow_is_no_marrow_lesion(read, text: str) -> None:
    found = read(text)
    assert "imaging.mri.marrow_replacing_lesion" not in found, found


@pytest.mark.parametrize(
    "text",
    [
        "MRI L hip: T1 hypointense mass replacing the marrow of the proximal femur.",
        "MRI R hip: there is a tumour in the intertrochanteric region.",
    ],
)
def test_a_marrow_mass_is_still_read(read, text: str) -> None:
    assert read(text).get("imaging.mri.marrow_replacing_lesion") is True


@pytest.mark.parametrize(
    "text",
    [
        "CT R hip: a 9 mm low-attenuation focus in the femoral neck with a sclerotic rim.",
        "CT pelvis: hypoattenuating lesion of the left acetabular roof, no soft tissue mass.",
    ],
)
def test_a_low_attenuation_focus_on_ct_is_lytic(read, text: str) -> None:
    assert read(text).get("imaging.ct.lytic_lesion") is True


def test_low_attenuation_fluid_is_not_lytic(read) -> None:
    found = read("CT R hip: small low-attenuation joint effusion; bones intact.")
    assert "imaging.ct.lytic_lesion" not in found, found


@pytest.mark.parametrize(
    "text",
    [
        "MRI R hip showed joint effusion and soft-tissue swelling.",
        "MRI L hip: small effusion and marked soft-tissue swelling.",
    ],
)
def test_hyphenated_soft_tissue_swelling_on_mri(read, text: str) -> None:
    assert read(text).get("imaging.mri.soft_tissue_edema") is True


@pytest.mark.parametrize(
    "text",
    [
        "MRI R hip: curvilinear low-signal line beneath the articular surface (crescent sign). "
        "The head is not collapsed.",
        "MR L hip - subchondral crescent in the superior head; femoral head contour maintained, "
        "no collapse.",
    ],
)
def test_a_crescent_on_mri_is_a_fracture_line_not_collapse(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.mri.subchondral_fracture_line") is True, found
    assert found.get("imaging.mri.collapse") is False, found


def test_no_crescent_on_mri_is_no_collapse(read) -> None:
    found = read("MRI R hip: marrow oedema of the head and neck; no crescent.")
    assert found.get("imaging.mri.collapse") is False, found
    assert found.get("imaging.mri.subchondral_fracture_line") is False, found


def test_a_crescent_sign_on_a_radiograph_is_still_crescent_or_collapse(read) -> None:
    assert read("XR L hip: subchondral crescent sign.").get("imaging.xray.crescent_or_collapse")


@pytest.mark.parametrize(
    "text",
    [
        "MRI pelvis: marrow low on T1 and lower than muscle in both proximal femora, in keeping "
        "with infiltration.",
        "MRI L hip: geographic low T1 signal in the superior femoral head.",
    ],
)
def test_signal_named_as_something_else_is_no_oedema(read, text: str) -> None:
    found = read(text)
    assert "imaging.mri.edema_pattern" not in found, found


@pytest.mark.parametrize(
    "text",
    [
        "MRI R hip: low T1 signal throughout the femoral head and neck.",
        "MRI L hip: the head and neck are hyperintense on STIR; no geographic lesion.",
    ],
)
def test_oedema_written_as_signal_is_still_read(read, text: str) -> None:
    assert read(text).get("imaging.mri.edema_pattern") == "diffuse_head_neck"
