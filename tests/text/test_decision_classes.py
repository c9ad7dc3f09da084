"""Reader errors that changed the differential on both train and dev notes (session 8, found with
benchmarks/decision_swaps.py), fixed as classes of clinical language: crystals named with their
descriptors, a qualified calcium, the serology of an infection, "hot" on a bone scan or as a
fever, and "nothing suggests" as a negation. Sentences written for these tests; each asserts what
the earlier reader got wrong, and the neighbours it must still read."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "Joint aspirate: needle-shaped negatively birefringent urate crystals seen.",
        "Synovial fluid microscopy showed strongly negatively birefringent intracellular crystals.",
        "Polarised microscopy: needle-shaped, negatively birefringent crystals present.",
        "Aspirate contained monosodium urate crystals.",
    ],
)
def test_urate_crystals_with_descriptors(read, text: str) -> None:
    assert read(text).get("labs.crystals") == "urate"


@pytest.mark.parametrize(
    "text",
    [
        "Aspirate: rhomboid, weakly positively birefringent crystals seen.",
        "Synovial fluid: rhomboid-shaped positively birefringent crystals consistent with CPPD.",
    ],
)
def test_cppd_crystals_with_descriptors(read, text: str) -> None:
    assert read(text).get("labs.crystals") == "cppd"


def test_crystals_of_no_named_kind_are_not_typed(read) -> None:
    values = read("Synovial fluid sent for cell count, crystals and culture.")
    assert "labs.crystals" not in values


@pytest.mark.parametrize(
    "text",
    [
        "Bloods: corrected Ca 2.41 mmol/L, ALP 90 U/L.",
        "Adjusted Ca 2.41 mmol/L.",
    ],
)
def test_qualified_calcium_abbreviation(read, text: str) -> None:
    assert read(text).get("labs.calcium") == pytest.approx(2.41)


@pytest.mark.parametrize(
    "text",
    [
        "Secondary screen (TSH, PTH, coeliac serology) normal.",
        "Brucella serology negative, HIV test negative.",
        "Hepatitis B serology sent.",
        "Viral serology was unremarkable.",
    ],
)
def test_serology_of_an_infection_or_coeliac_disease_is_not_autoantibodies(read, text: str) -> None:
    assert "labs.autoantibodies_positive" not in read(text)


@pytest.mark.parametrize(
    "text,value",
    [
        ("Rheumatoid factor positive, anti-CCP 240 U/mL.", True),
        ("Rheumatoid factor negative.", False),
    ],
)
def test_arthritis_autoantibodies_still_read(read, text: str, value: bool) -> None:
    assert read(text).get("labs.autoantibodies_positive") is value


@pytest.mark.parametrize(
    "text",
    [
        "Bone scan: homogeneous hot uptake in the left femoral head and neck.",
        "Bone scintigraphy shows a solitary hot spot in the right femoral neck.",
        "She feels hot and cold at night and has been sweating.",
    ],
)
def test_hot_uptake_and_feeling_hot_are_not_a_warm_hip(read, text: str) -> None:
    assert "exam.warmth_swelling_or_redness" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "Exam: the left hip is hot and tender to palpation.",
        "O/E: warm, swollen right hip with painful passive movement.",
    ],
)
def test_a_hot_or_warm_hip_is_still_read(read, text: str) -> None:
    assert read(text).get("exam.warmth_swelling_or_redness") is True


@pytest.mark.parametrize(
    "text",
    [
        "Nothing in the history points to an inflammatory arthritis.",
        "Nothing to suggest rheumatoid arthritis on the history.",
        "Clinically nothing suggests ankylosing spondylitis.",
    ],
)
def test_nothing_suggests_negates(read, text: str) -> None:
    assert read(text).get("history.inflammatory_arthritis") is not True


@pytest.mark.parametrize(
    "text",
    [
        "CT-guided left hip aspiration performed. Synovial fluid: needle-shaped negatively "
        "birefringent crystals.",
        "Ultrasound-guided aspiration of the right hip. Aspirate sent to the lab; "
        "negatively birefringent crystals seen.",
    ],
)
def test_crystals_after_a_guided_aspiration_are_the_fluids(read, text: str) -> None:
    assert read(text).get("labs.crystals") == "urate"


def test_the_guiding_study_keeps_what_it_showed(read) -> None:
    values = read(
        "Ultrasound: large left hip effusion. Ultrasound-guided aspiration; "
        "aspirate turbid, crystals not seen."
    )
    assert values.get("imaging.ultrasound.joint_effusion") is True
    assert values.get("labs.crystals") == "none"


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("81F, right groin pain since a trip on the kerb 3 days ago, managing with a frame.", 0.43),
        ("Left hip painful ever since a slip in the bath 4 weeks ago.", 4.0),
    ],
)
def test_pain_dated_from_an_event_lasts_since_it(read, text: str, weeks: float) -> None:
    assert read(text).get("symptoms.duration_weeks") == pytest.approx(weeks, abs=0.05)


@pytest.mark.parametrize(
    "text",
    [
        "Walks with a stick since a stroke 3 years ago.",
        "On alendronate since her wrist fracture 2 years ago.",
    ],
)
def test_time_since_an_event_without_the_complaint_is_not_its_duration(read, text: str) -> None:
    assert "symptoms.duration_weeks" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "Pelvic radiograph: joint space loss with destruction of the articular surfaces.",
        "X-ray left hip: marked narrowing with destructive change since the previous film.",
        "AP pelvis shows bony destruction of the acetabular roof.",
    ],
)
def test_destroyed_articular_bone_on_a_film_is_cortical_destruction(read, text: str) -> None:
    assert read(text).get("imaging.xray.cortical_destruction") is True


def test_no_destructive_change_is_no_cortical_destruction(read) -> None:
    values = read("Hip radiograph: mild joint space narrowing, no destructive change.")
    assert values.get("imaging.xray.cortical_destruction") is False


@pytest.mark.parametrize(
    "text",
    [
        "MRI left hip: diffuse marrow oedema of the femoral head and neck. Repeat imaging six "
        "weeks later showed a new subchondral fracture line.",
        "MRI: diffuse marrow oedema of the right femoral head and neck. Pain worse at review; "
        "follow-up imaging was arranged. Impression: femoral neck fracture.",
    ],
)
def test_later_imaging_of_no_named_kind_is_not_the_first_study(read, text: str) -> None:
    values = read(text)
    assert values.get("imaging.mri.edema_pattern") == "diffuse_head_neck"
    assert "imaging.mri.subchondral_fracture_line" not in values
    assert "imaging.mri.neck_fracture_line" not in values


def test_a_later_study_named_after_further_imaging_is_read(read) -> None:
    values = read("X-ray: normal. Further imaging with MRI showed a femoral neck stress fracture.")
    assert values.get("imaging.mri.neck_fracture_line") is True


@pytest.mark.parametrize(
    "text",
    [
        "O/E: antalgic gait, unable to hop on the left leg.",
        "Single-leg hop on the right reproduces her groin pain.",
        "Hopping on the left provokes groin pain.",
    ],
)
def test_a_hop_the_pain_prevents_or_brings_on(read, text: str) -> None:
    assert read(text).get("exam.pain_on_hop_or_heel_strike") is True


@pytest.mark.parametrize("text", ["Able to hop without pain.", "Hop test not attempted."])
def test_a_painless_or_untried_hop_is_not_painful(read, text: str) -> None:
    assert read(text).get("exam.pain_on_hop_or_heel_strike") is not True
