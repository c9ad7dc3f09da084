"""Issue 10 added case fields that decide cases (X-ray and CT signs, gadolinium findings, the
femoral neck fracture's side, extent and displacement, joint-fluid results, ALP, phosphate, the
DXA T-score, Paget's disease). Each is read from a note, in at least two phrasings, and the
near misses that would mislead the reasoning are not read."""

from __future__ import annotations

from typing import Any

import pytest

from tohip.text.extract import extract_text


def _value(text: str, path: str) -> Any:
    node: Any = extract_text(text).case
    for part in path.split("."):
        node = getattr(node, part, None) if node is not None else None
    return node


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        ("AP pelvis: loss of the subchondral cortical line of the left femoral head.",
         "imaging.xray.subchondral_cortical_loss", True),
        ("Radiograph shows an indistinct subchondral cortex of the femoral head.",
         "imaging.xray.subchondral_cortical_loss", True),
        ("X-ray: subchondral sclerosis and osteophytes.", "imaging.xray.sclerosis", True),
        ("Plain films: no sclerosis.", "imaging.xray.sclerosis", False),
        ("XR: sclerotic lesion in the femoral neck.", "imaging.xray.sclerotic_lesion", True),
        ("CT: osteoblastic lesion of the intertrochanteric region.", "imaging.ct.sclerotic_lesion", True),
        ("X-ray: lamellated periosteal reaction along the proximal femur.",
         "imaging.xray.periosteal_reaction", True),
        ("CT pelvis: periosteal new bone formation.", "imaging.ct.periosteal_reaction", True),
        ("CT: cortical breach of the femoral neck.", "imaging.ct.cortical_destruction", True),
        ("Radiographs: destruction of the cortex of the greater trochanter.",
         "imaging.xray.cortical_destruction", True),
        ("MRI with gadolinium: a non-enhancing segment in the femoral head.",
         "imaging.mri.contrast.non_enhancing_segment", True),
        ("Post-contrast MRI: lack of enhancement of the anterosuperior head.",
         "imaging.mri.contrast.non_enhancing_segment", True),
        ("MRI post gadolinium: the subchondral fragment enhances (enhancing fragment).",
         "imaging.mri.contrast.enhancing_fragment", True),
        ("MRI: diffuse marrow enhancement of the head and neck after contrast.",
         "imaging.mri.contrast.diffuse_enhancement", True),
        ("MRI: a rim-enhancing collection in the obturator externus.",
         "imaging.mri.contrast.rim_enhancing_collection", True),
        ("MRI: collection with peripheral enhancement next to the hip.", "imaging.mri.abscess", True),
        ("MRI: fracture line on the compression side of the femoral neck.",
         "imaging.mri.neck_fracture_side", "compression"),
        ("MRI: stress fracture of the inferomedial cortex of the femoral neck.",
         "imaging.mri.neck_fracture_side", "compression"),
        ("MRI: tension-sided femoral neck stress fracture.", "imaging.mri.neck_fracture_side", "tension"),
        ("MRI: fracture line at the superolateral femoral neck.",
         "imaging.mri.neck_fracture_side", "tension"),
        ("MRI: neck fracture line extending less than 50% of the neck width.",
         "imaging.mri.neck_fracture_extent", "under_half"),
        ("MRI: the fracture line extends more than half of the femoral neck.",
         "imaging.mri.neck_fracture_extent", "half_or_more"),
        ("MRI: complete fracture line through both cortices of the neck.",
         "imaging.mri.neck_fracture_extent", "complete"),
        ("MRI: undisplaced femoral neck stress fracture.", "imaging.mri.neck_fracture_displaced", False),
        ("MRI: displaced femoral neck fracture.", "imaging.mri.neck_fracture_displaced", True),
        ("Hip aspirate: Gram stain showed gram-positive cocci.", "labs.gram_stain", "positive"),
        ("Aspirate: Gram stain showed no organisms.", "labs.gram_stain", "negative"),
        ("Aspirate: gram stain negative.", "labs.gram_stain", "negative"),
        ("Aspirate: negatively birefringent needle-shaped crystals.", "labs.crystals", "urate"),
        ("Synovial fluid: calcium pyrophosphate crystals.", "labs.crystals", "cppd"),
        ("Aspirate: no crystals seen.", "labs.crystals", "none"),
        ("Aspirate: WCC 85,000 with 92% neutrophils.", "labs.synovial_neutrophil_pct", 92.0),
        ("Synovial fluid analysis: neutrophils 95%.", "labs.synovial_neutrophil_pct", 95.0),
        ("Bloods: ALP 180 IU/L, Ca 2.4.", "labs.alp", 180.0),
        ("Alkaline phosphatase was 410 U/L.", "labs.alp", 410.0),
        ("Phosphate 0.52 mmol/L.", "labs.phosphate", 0.52),
        ("Phos 3.1 (a bare number above 2.5 is mg/dL).", "labs.phosphate", 1.001),
        ("DXA: T-score -2.8 at the femoral neck.", "labs.dxa_t_score", -2.8),
        ("DEXA: lowest T score of minus 1.9.", "labs.dxa_t_score", -1.9),
        ("PMH: Paget's disease of the pelvis.", "history.paget_disease", True),
        ("Background of osteitis deformans.", "history.paget_disease", True),
    ],
)  # fmt: skip
def test_field_is_read(text: str, path: str, expected: object) -> None:
    assert _value(text, path) == expected


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("FBC: WCC 11.2, neutrophils 8.5, Hb 130.", "labs.synovial_neutrophil_pct"),
        ("Neutrophils 80% on the blood film.", "labs.synovial_neutrophil_pct"),
        ("DXA: Z-score -2.1.", "labs.dxa_t_score"),
        ("MRI: small fluid collection in the iliopsoas bursa.", "imaging.mri.contrast"),
        ("Aspirate sent for Gram stain and crystals.", "labs.gram_stain"),
    ],
)
def test_near_miss_is_not_read(text: str, path: str) -> None:
    assert _value(text, path) is None


def test_a_negative_t_score_makes_osteoporosis_and_the_value() -> None:
    case = extract_text("DXA T-score: -3.1 at the hip.").case
    assert case.labs.dxa_t_score == -3.1 and case.history.osteoporosis is True


def test_joint_fluid_from_an_aspirate_is_not_an_effusion_on_imaging() -> None:
    case = extract_text("Joint fluid: turbid, no crystals.").case
    assert case.imaging.mri is None and case.labs.crystals == "none"
