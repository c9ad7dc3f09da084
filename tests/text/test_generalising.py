"""The seven classes of misreading found on notes nobody here wrote (issue 9), one sentence each.

Every row is a phrasing a wrong reader gets wrong: a partial normal read as a whole normal
study, a bland collection read as an abscess, a hedge or the other hip read as a finding.
"""

from __future__ import annotations

import pytest

# ---------------------------------------------------------------- class 1: partial normals
PARTIAL_NORMALS = [
    "MRI left hip: joint space normal. Subchondral bone unremarkable.",
    "X-ray: normal joint space and no fracture.",
    "MRI: the acetabulum is unremarkable; marrow oedema of the femoral head.",
    "Radiograph: otherwise normal apart from mild osteopenia.",
]


@pytest.mark.parametrize("text", PARTIAL_NORMALS)
def test_a_normal_part_is_not_a_normal_study(read, text: str) -> None:
    found = read(text)
    assert not any(path.endswith(".normal") for path in found), found


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("X-ray of the left hip was normal.", "imaging.xray.normal"),
        ("MRI: normal study.", "imaging.mri.normal"),
        ("Pelvic radiographs unremarkable.", "imaging.xray.normal"),
        ("Bone scan: no abnormality detected.", "imaging.bone_scan.normal"),
    ],
)
def test_a_whole_study_reported_normal_is_normal(read, text: str, path: str) -> None:
    assert read(text).get(path) is True


# ---------------------------------------------------------------- class 5: collections
@pytest.mark.parametrize(
    "text",
    [
        "MRI: small iliopsoas bursal collection, no rim enhancement.",
        "MRI hip: a small fluid collection adjacent to the greater trochanter.",
    ],
)
def test_a_bland_collection_is_not_an_abscess(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.mri.fluid_collection") is True
    assert "imaging.mri.abscess" not in found


@pytest.mark.parametrize(
    "text",
    [
        "MRI: rim-enhancing collection in obturator externus.",
        "MRI: 3 cm abscess in the iliopsoas.",
    ],
)
def test_pus_is_an_abscess(read, text: str) -> None:
    assert read(text).get("imaging.mri.abscess") is True


# ---------------------------------------------------------------- classes 3 and 4
@pytest.mark.parametrize(
    "text",
    [
        "MRI: avascular necrosis is not favoured.",
        "MRI: the differential includes osteonecrosis.",
        "Impression: osteonecrosis less likely.",
    ],
)
def test_hedges_are_not_findings(read, text: str) -> None:
    assert "imaging.mri.necrotic_segment" not in read(text)


def test_the_other_hip_is_history_not_this_hip(read) -> None:
    found = read("MRI pelvis: the contralateral hip shows established avascular necrosis.")
    assert found.get("history.contralateral_avn") is True
    assert "imaging.mri.necrotic_segment" not in found


# ---------------------------------------------------------------- class 7: course words
@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("The pain is getting worse despite rest.", "symptoms.worsening", True),
        ("Pain steadily improving with crutches.", "symptoms.improving", True),
        ("Exam: restricted range of movement of the hip.", "exam.range_of_motion", "limited"),
        ("Exam: markedly restricted internal rotation.", "exam.range_of_motion",
         "severely_limited"),
        ("Exam: mildly restricted movements.", "exam.range_of_motion", "mildly_limited"),
    ],
)  # fmt: skip
def test_course_and_range_words(read, text: str, path: str, value: object) -> None:
    assert read(text).get(path) == value


# ---------------------------------------------------------------- class 2: MR signal grammar
@pytest.mark.parametrize(
    "text",
    [
        "MRI left hip: T1-hypointense, STIR-bright marrow through the femoral head and neck.",
        "MR right hip - reduced T1 signal and increased signal on fat-saturated T2 images in "
        "the head and neck of femur.",
        "MRI: the femoral head and neck are dark on T1 and hyperintense on PD FS.",
        "MRI: femoral head and neck show low signal on T1-weighted and high signal on "
        "fluid-sensitive sequences.",
    ],
)
def test_oedema_written_as_signal_is_marrow_oedema(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck", found
    assert set(found.get("imaging.mri.sites", [])) == {"femoral_head", "femoral_neck"}


@pytest.mark.parametrize(
    "text",
    [
        "MRI: STIR hyperintensity of the femoral head and neck as far as the intertrochanteric "
        "line, sparing the acetabulum.",
        "MRI: high T2 FS signal in the head, neck and trochanteric region; the acetabulum is "
        "spared.",
    ],
)
def test_a_spared_site_is_not_involved(read, text: str) -> None:
    found = read(text)
    assert "acetabulum" not in found.get("imaging.mri.sites", []), found
    assert "intertrochanteric" in found.get("imaging.mri.sites", [])
    assert found.get("imaging.mri.edema_pattern") != "both_sides_of_joint"


@pytest.mark.parametrize(
    "text",
    [
        "MRI hip: no abnormal marrow signal.",
        "MRI: no T2 hyperintensity in either femoral head.",
    ],
)
def test_negated_signal_is_no_oedema(read, text: str) -> None:
    assert read(text).get("imaging.mri.edema_pattern") == "none"


@pytest.mark.parametrize(
    "text",
    [
        "MRI: subchondral T1 low-signal line, irregular and convex to the joint surface, "
        "about 2 mm thick and 15 mm long.",
        "MRI: in the superior head a hypointense band (1-3 mm thick, 15 mm long) parallels "
        "the articular surface and is irregular and convex.",
    ],
)
def test_a_subchondral_low_signal_line_is_a_fracture_line_with_its_size(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.mri.subchondral_fracture_line") is True, found
    assert found.get("imaging.mri.subchondral_band_shape") == "irregular_convex"
    assert found.get("imaging.mri.subchondral_band_thickness_mm") == 2.0
    assert found.get("imaging.mri.subchondral_band_length_mm") == 15.0
    assert "imaging.mri.necrotic_segment" not in found


@pytest.mark.parametrize(
    "text",
    [
        "MRI: a serpiginous T1 hypointense band demarcates the anterosuperior femoral head.",
        "MRI: geographic area in the femoral head bounded by a band of low T1 signal.",
    ],
)
def test_a_demarcating_band_is_a_necrotic_segment(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.mri.necrotic_segment") is True, found
    assert "imaging.mri.subchondral_fracture_line" not in found


@pytest.mark.parametrize(
    "text",
    [
        "MRI: linear T1 low signal line across the femoral neck with surrounding STIR high signal.",
        "MRI: band of low T2 signal crossing the medial femoral neck.",
    ],
)
def test_a_low_signal_line_in_the_neck_is_a_neck_fracture_line(read, text: str) -> None:
    assert read(text).get("imaging.mri.neck_fracture_line") is True


@pytest.mark.parametrize(
    "text",
    [
        "MRI: STIR high signal in the lateral femoral head, sparing the medial head.",
        "MRI: marrow oedema of the femoral head; the medial femoral head is spared.",
    ],
)
def test_medial_head_sparing(read, text: str) -> None:
    assert read(text).get("imaging.mri.medial_head_spared") is True


# ---------------------------------------------------------------- follow-up studies
@pytest.mark.parametrize(
    ("text", "course"),
    [
        (
            "MRI left hip: bone marrow oedema of the femoral head and neck. Repeat MRI at "
            "10 weeks: the oedema has resolved, no collapse.",
            "resolved",
        ),
        (
            "MR hip: STIR high signal throughout the femoral head. Follow-up MRI three months "
            "later showed partial resolution of the marrow change.",
            "improving",
        ),
        (
            "MRI: diffuse marrow oedema in the right femoral neck. Interval MRI: oedema "
            "unchanged in extent.",
            "unchanged",
        ),
        (
            "MRI: marrow oedema in the femoral head. Subsequent MRI showed progression, with new "
            "oedema in the acetabulum.",
            "worse",
        ),
    ],
)
def test_a_later_mri_is_a_follow_up_with_its_course(read, text: str, course: str) -> None:
    found = read(text)
    later = found.get("imaging.followup")
    assert later and later[0]["modality"] == "mri" and later[0]["edema"] == course, found
    # the first study keeps its own reading
    assert found.get("imaging.mri.edema_pattern") not in (None, "none")


@pytest.mark.parametrize(
    "text",
    [
        "Radiograph: regional osteopenia of the femoral head. Follow-up radiographs: "
        "subchondral collapse of the head.",
        "X-ray hip showed osteopenia only. Repeat X-ray 8 weeks later demonstrated femoral "
        "head collapse.",
    ],
)
def test_a_later_xray_does_not_overwrite_the_first(read, text: str) -> None:
    found = read(text)
    assert found.get("imaging.xray.osteopenia") is True
    assert "imaging.xray.crescent_or_collapse" not in found, found
    expected = [{"modality": "xray", "collapse": True, "normal": False}]  # collapse: not normal
    assert found.get("imaging.followup") == expected


@pytest.mark.parametrize(
    "text",
    [
        "MRI: marrow oedema of the femoral head. Plan: protected weight bearing, repeat MRI "
        "in 3 months.",
        "MRI: marrow oedema of the femoral head. A follow-up MRI is suggested to confirm "
        "resolution.",
    ],
)
def test_a_planned_study_is_not_a_follow_up(read, text: str) -> None:
    assert "imaging.followup" not in read(text)


def test_a_repeat_study_with_no_earlier_one_described_is_the_study(read) -> None:
    found = read("Repeat MRI shows marrow oedema of the left femoral head and neck.")
    assert "imaging.followup" not in found
    assert found.get("imaging.mri.edema_pattern") == "diffuse_head_neck"


# ---------------------------------------------------------------- class 4: negation scope
@pytest.mark.parametrize(
    "text",
    [
        "No trauma, fever or night pain.",
        "Denies injury, fevers and pain at night.",
    ],
)
def test_a_negated_list_negates_every_item(read, text: str) -> None:
    found = read(text)
    assert found.get("history.trauma") is False, found
    assert found.get("symptoms.night_pain") is False
    assert found.get("symptoms.fever") is False
    assert "labs.temperature" not in found  # no temperature was measured


@pytest.mark.parametrize(
    "text",
    [
        "She came in without injury, limping on the right.",
        "There was no fall, and he is limping.",
        "No trauma, and now limping badly.",
    ],
)
def test_a_new_clause_ends_the_negation(read, text: str) -> None:
    found = read(text)
    assert found.get("history.trauma") is False, found
    assert found.get("symptoms.limp") is True, found


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("52M, 6/52 R groin pain, no trauma, long-term prednisolone for COPD.", "history.corticosteroids"),
        ("No fall or injury, on oral steroids for her asthma since spring.", "history.corticosteroids"),
        ("Denies trauma, known HIV on ART.", "history.hiv"),
        ("No trauma or fevers, longstanding SLE under rheumatology.", "history.sle"),
        ("No injury, and chronic kidney disease stage 4.", "history.ckd"),
    ],
)  # fmt: skip
def test_an_affirming_word_after_a_comma_ends_the_negation(read, text: str, path: str) -> None:
    """The risk factor after the comma is stated, not denied: a reader that lets 'no' run on
    loses the steroid, HIV, lupus or kidney disease that the safety rules and AVN depend on."""
    found = read(text)
    assert found.get("history.trauma") is False, found
    assert found.get(path) is True, found


@pytest.mark.parametrize(
    "text",
    [
        "No trauma, steroid use or alcohol excess.",
        "Denies steroids, HIV or lupus.",
    ],
)
def test_a_negated_list_without_an_affirming_word_still_negates(read, text: str) -> None:
    found = read(text)
    assert found.get("history.corticosteroids") is False, found


# ---------------------------------------------------------------- class 6: medicines inline
@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("PMH: hypertension, reflux. DHx: lisinopril 10 mg od, Nexium 20 mg. NKDA.",
         ["lisinopril", "esomeprazole"]),
        ("Background of RA. Meds: Medrol 4 mg daily, Fosamax 70 mg weekly, Xarelto.",
         ["methylprednisolone", "alendronate", "rivaroxaban"]),
        ("Her rheumatologist started prednisone last month and she remains on naproxen.",
         ["prednisone", "naproxen"]),
    ],
)  # fmt: skip
def test_medicines_written_inline_are_read_by_generic_name(
    read, text: str, names: list[str]
) -> None:
    assert sorted(read(text).get("patient.medications", [])) == sorted(names)


@pytest.mark.parametrize(
    "text",
    [
        "Meds: Plexamol 250 mg bd, paracetamol PRN.",
        "Discharge meds: plexamol 250mg twice daily; paracetamol 1 g qds.",
    ],
)
def test_an_unknown_listed_medicine_is_kept(read, text: str) -> None:
    assert read(text).get("patient.medications") == ["plexamol", "paracetamol"]


# ---------------------------------------------------------------- class 7: exam and history
@pytest.mark.parametrize(
    ("text", "degree"),
    [
        ("O/E: left hip IR painful and restricted.", "limited"),
        ("Exam: reduced flexion and internal rotation of the right hip.", "limited"),
        ("Hip ROM slightly reduced at end range.", "mildly_limited"),
        ("Examination: movements of the hip markedly restricted in all planes.",
         "severely_limited"),
        ("On examination: full, pain-free range of movement of both hips.", "normal"),
        ("The range of motion of the right hip is preserved.", "normal"),
    ],
)  # fmt: skip
def test_range_of_motion_is_read_from_movement_and_limit(read, text: str, degree: str) -> None:
    assert read(text).get("exam.range_of_motion") == degree


def test_reduced_fetal_movements_are_not_a_hip_examination(read) -> None:
    assert "exam.range_of_motion" not in read("38/40, reports reduced fetal movements today.")


@pytest.mark.parametrize(
    "text", ["PMH: T2DM, hypertension.", "Background: NIDDM, diet-controlled."]
)
def test_diabetes_abbreviations_in_capitals(read, text: str) -> None:
    assert read(text).get("history.infection_risk") is True


@pytest.mark.parametrize(
    "text",
    ["Drinks wine socially, ex-smoker.", "Alcohol: about 4 units a week.", "Never drinks."],
)
def test_low_alcohol_intake_is_not_excess(read, text: str) -> None:
    assert read(text).get("history.alcohol_excess") is False


@pytest.mark.parametrize(
    "text", ["Heavy alcohol intake for years.", "Known alcohol use disorder, in recovery."]
)
def test_heavy_alcohol_is_excess(read, text: str) -> None:
    assert read(text).get("history.alcohol_excess") is True


@pytest.mark.parametrize("text", ["DXA: T-score -3.1 at the hip.", "DEXA T score of -2.6."])
def test_an_osteoporotic_t_score_is_osteoporosis(read, text: str) -> None:
    assert read(text).get("history.osteoporosis") is True


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("Six weeks of progressive right groin pain.", "symptoms.worsening", True),
        ("The hip pain has escalated and she now needs a frame.", "symptoms.worsening", True),
        ("His groin pain has settled over the last month.", "symptoms.improving", True),
        ("Tried rest and analgesia without lasting improvement.", "symptoms.improving", False),
        ("Five months on, the pain is no better.", "symptoms.improving", False),
    ],
)
def test_course_words(read, text: str, path: str, value: bool) -> None:
    assert read(text).get(path) is value


@pytest.mark.parametrize(
    "text",
    [
        "MRI: marrow oedema in the femoral head. Similar oedema in the acetabular roof, on both "
        "sides of the joint.",
        "MRI: STIR high signal in the subchondral femoral head. The marrow signal change reaches "
        "the femoral neck and throughout the head and neck.",
    ],
)
def test_the_most_extensive_oedema_reading_is_the_pattern(read, text: str) -> None:
    assert read(text).get("imaging.mri.edema_pattern") in ("both_sides_of_joint",
                                                           "diffuse_head_neck")  # fmt: skip
    assert read(text).get("imaging.mri.edema_pattern") != "subchondral_head"


@pytest.mark.parametrize(
    "text", ["34/40, mild ankle swelling, BP normal.", "Bilateral leg swelling since delivery."]
)
def test_leg_swelling_is_not_a_hot_hip(read, text: str) -> None:
    assert "exam.warmth_swelling_or_redness" not in read(text)


@pytest.mark.parametrize(
    "text", ["O/E: swelling over the right hip, warm.", "Marked hip swelling and erythema."]
)
def test_hip_swelling_is_local_inflammation(read, text: str) -> None:
    assert read(text).get("exam.warmth_swelling_or_redness") is True


# ---------------------------------------------------------------- hard-wrapped lines
@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        (
            "MRI right hip: no subchondral fracture line and no double\nline sign.",
            "imaging.mri.necrotic_segment",
            False,
        ),
        (
            "MRI: there is a subchondral\nfracture line in the femoral head.",
            "imaging.mri.subchondral_fracture_line",
            True,
        ),
        (
            "Plain film shows regional\r\nosteopenia of the femoral head.",
            "imaging.xray.osteopenia",
            True,
        ),
    ],
)
def test_a_phrase_wrapped_onto_the_next_line_is_still_read(
    read, text: str, path: str, value: bool
) -> None:
    assert read(text).get(path) is value


def test_a_line_break_before_a_new_heading_still_ends_the_sentence(read) -> None:
    found = read("No trauma\nLimping for 3 weeks.")
    assert found.get("symptoms.limp") is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PMH: L THR 2019 for AVN (steroids for asthma). Now 3/12 R groin pain.", True),
        ("Her left hip was replaced last year for aseptic necrosis; now right-sided pain.", True),
        ("Risk factors: alcohol, smoking, contralateral AVN.", True),
        ("PMH: L THR for osteoarthritis 2018. Now R groin pain.", None),
        ("Right hip arthroplasty for a displaced NOF fracture in 2020.", None),
    ],
)  # fmt: skip
def test_a_hip_replaced_for_osteonecrosis_is_osteonecrosis_in_the_other_hip(
    read, text: str, expected: object
) -> None:
    """AVN is often bilateral, so the other hip's history weighs on this one; a hip replaced for
    OA or a fracture says nothing about osteonecrosis."""
    assert read(text).get("history.contralateral_avn") is expected
