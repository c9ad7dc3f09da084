"""Patient, history, symptoms and labs as clinicians write them (issue 9, session 6).

Each case below is written for the test, in the shapes clinic letters, ED notes and referral
lines use; each asserts something the reader of session 5 got wrong."""

from __future__ import annotations

import pytest

# ---------------------------------------------------------------- age and sex


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        # a duration in years written before or after the age is not the age
        ("47M. HIV positive for 10 yrs, on ART, adherent. Bilateral hip pain.", 47, "male"),
        ("Known RA for 12 years. 52 year old woman with new groin pain.", 52, "female"),
        (
            "Indication: adolescent, L hip pain > 1 yr. Prior biopsy: chronic inflammation.",
            None,
            None,
        ),
        ("Pain began 3 years ago in the right hip; she is 61 years old.", 61, "female"),
        # titles written with an initial and a full stop
        ("Dear Dr Shah, I saw Mr T., 62, today with right groin pain.", 62, "male"),
        # a letter that gives the age now and the age at an earlier episode
        ("Mrs D., 40, attended for review. Aged 38 she had right hip pain.", 40, "female"),
        (
            "I reviewed your patient today, now aged 20. Earlier this year he had L hip pain.",
            20,
            "male",
        ),
        ("Young woman, now 19, two years after fixation at 17.", 19, "female"),
        # "37F" is found although a duration in months came first
        ("Groin pain x 12 mo. 37F, referred as ?OA.", 37, "female"),
        # a referral's clinical line: sex letter, then the decade
        ("Clinical: F, 50s. L hip pain. Not pregnant. R/o AVN.", None, "female"),
    ],
)
def test_age_and_sex_among_durations(read, text: str, age: float | None, sex: str | None) -> None:
    got = read(text)
    assert got.get("patient.age") == age
    assert got.get("patient.sex") == sex


def test_a_dose_is_not_an_age(read) -> None:
    got = read("Now 40 mg prednisolone daily; age: 58.")
    assert got["patient.age"] == 58


# ---------------------------------------------------------------- symptoms


@pytest.mark.parametrize(
    "text",
    [
        "Groin ache, worse with squatting, stairs and long walks.",
        "Pain 3/10 at rest, 7/10 when she tries to walk any distance.",
        "R groin pain 6/10 on WB, 1/10 lying still.",
        "Dull ache that becomes sharp with walking.",
        "Deep thigh pain on loading, settles with rest.",
        "Two months of activity-related left groin pain.",
        "Pain aggravated by standing and relieved by sitting.",
    ],
)
def test_pain_with_a_loading_activity_is_weight_bearing_pain(read, text: str) -> None:
    assert read(text).get("symptoms.weight_bearing_pain") is True


@pytest.mark.parametrize(
    "text",
    [
        "No pain on walking or standing.",
        "Advised protected weight bearing with crutches.",
        "Pain at night, not worse with walking.",
        "Her mother has knee pain on stairs.",
    ],
)
def test_no_weight_bearing_pain_from_negations_advice_or_relatives(read, text: str) -> None:
    assert read(text).get("symptoms.weight_bearing_pain") is not True


@pytest.mark.parametrize(
    "text",
    [
        "Her arthritis began in the shoulder and settled on NSAIDs. Now right groin pain.",
        "Each previous episode settled over about a year. Now pain in the left hip.",
        "Good improvement in her peripheral joints on DMARDs; hip pain persists.",
    ],
)
def test_the_course_of_another_joint_or_episode_is_not_this_pains(read, text: str) -> None:
    assert read(text).get("symptoms.improving") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The hip pain is gradually easing without treatment.", True),
        ("Hip pain not settling despite a month of crutches.", False),
        ("The knee pain has settled; the hip is no better.", False),
    ],
)
def test_the_course_of_this_pain_is_still_read(read, text: str, value: bool) -> None:
    assert read(text).get("symptoms.improving") is value


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        ("Sudden severe low back and L hip pain 2/52, started lifting her baby.", "sudden"),
        ("Recap: acute atraumatic R hip pain, MRI showed marrow oedema.", "sudden"),
        ("Onset: sudden, while walking the dog.", "sudden"),
        ("The pain came on suddenly on the stairs.", "sudden"),
        ("Gradual-onset right groin ache since the spring.", "gradual"),
        ("R hip pain, building up over the past few weeks, no injury.", "gradual"),
        # a referral's courtesy does not make the history a question
        (
            "I would be grateful if you could see this man, who describes a gradual onset of "
            "left hip pain.",
            "gradual",
        ),
    ],
)
def test_onset_words_with_the_pain_they_describe(read, text: str, onset: str) -> None:
    assert read(text).get("symptoms.onset") == onset


@pytest.mark.parametrize(
    "text",
    [
        "Groin pain for 4 weeks after a sudden increase in running mileage.",
        "Abdomen soft, no features of an acute abdomen.",
        "I expect gradual resolution over the next 6-12 months.",
        "Worse with sprinting and sudden changes of direction.",
    ],
)
def test_onset_words_about_something_else_set_no_onset(read, text: str) -> None:
    assert read(text).get("symptoms.onset") is None


# ---------------------------------------------------------------- medicines


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("DHx: nil regular, paracetamol + ibuprofen not helping.", "ibuprofen"),
        ("Analgesia: morphine 5 mg IV given, codeine declined.", "morphine"),
        ("Tried naproxen for a fortnight without relief.", "naproxen"),
        ("We will start oral alendronate once she has stopped breastfeeding.", "alendronate"),
        ("Sent home from ED and discharged on NSAIDs last month.", "nsaids"),
        ("Diclofenac 75 mg IM given in the department.", "diclofenac"),
    ],
)
def test_a_medicine_tried_given_once_or_planned_is_not_current(
    read, text: str, absent: str
) -> None:
    assert absent not in read(text).get("patient.medications", [])


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("Meds: naproxen 500 mg bd, omeprazole 20 mg od.", ["naproxen", "omeprazole"]),
        ("Takes ramipril 10 mg given at night by her husband.", ["ramipril"]),
        # a regimen named with its medicines in brackets: the medicines, not the regimen
        (
            "HIV for 10 years, on ART (TDF/3TC/DTG), adherent.",
            ["tenofovir disoproxil fumarate", "lamivudine", "dolutegravir"],
        ),
        ("Current meds: AZT/3TC + EFV.", ["zidovudine", "lamivudine", "efavirenz"]),
    ],
)
def test_current_medicines_are_still_read(read, text: str, present: list[str]) -> None:
    assert read(text).get("patient.medications") == present


# ---------------------------------------------------------------- history


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("PMH: hypertension, hypothyroidism, osteopenia. Meds: amlodipine.", True),
        ("Background: osteopaenia (untreated), reflux.", True),
        ("DXA last year: osteopenia at the lumbar spine and both femoral necks.", True),
        # a radiograph's regional sign and the names of diagnoses are not low bone mass
        ("Clinical details: 41M, R hip pain, mild osteopenia of the femoral head on XR.", None),
        ("Post-partum films show regional osteoporosis of both hips.", None),
        ("Seen in the osteoporosis clinic for hip pain.", None),
    ],
)
def test_known_low_bone_mass(read, text: str, value: bool | None) -> None:
    assert read(text).get("history.osteoporosis") is value


def test_an_indication_gives_the_referrers_history_but_questions_the_imaging(read) -> None:
    got = read(
        "MRI LEFT HIP\n\nIndication: 44F, left hip pain for 6 weeks, no trauma. On long-term "
        "prednisolone for asthma. ?AVN ?stress fracture.\n\nFindings: normal marrow signal."
    )
    assert got.get("history.trauma") is False
    assert got.get("history.corticosteroids") is True
    # the questions stay questions
    assert got.get("imaging.mri.neck_fracture_line") is None
    assert got.get("imaging.mri.necrotic_segment") is None


# ---------------------------------------------------------------- pregnancy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # weeks + days written over forty
        (
            "Labour ward review, 39+4/40, left groin pain.",
            {"patient.pregnancy.status": "pregnant", "patient.pregnancy.gestational_weeks": 39.6},
        ),
        (
            "28F G2P1, currently 23 wks IUP, referred for L hip pain.",
            {"patient.pregnancy.status": "pregnant", "patient.pregnancy.gestational_weeks": 23.0},
        ),
        # a time since delivery outweighs a word about the pregnancy
        (
            "~2 wks s/p emergency C-section at 35 wks; the pain began in pregnancy.",
            {"patient.pregnancy.status": "postpartum", "patient.pregnancy.postpartum_weeks": 2.0},
        ),
        (
            "Her baby is now 6 weeks old; hip pain since the birth.",
            {"patient.pregnancy.status": "postpartum", "patient.pregnancy.postpartum_weeks": 6.0},
        ),
        (
            "Hip pain from the third trimester, no better since delivery.",
            {"patient.pregnancy.status": "postpartum"},
        ),
        (
            "Breastfeeding. Low back and buttock pain.",
            {"patient.pregnancy.status": "postpartum", "patient.lactating": True},
        ),
        # weeks of a plan or since an operation are not a gestation
        ("Crutches for 6-8 wks, repeat XR at 6 wks and MRI at 3 months.", {}),
        ("TTWB for a total of 4 wks post-op, now weaning.", {}),
        ("Her daughter is 12 years old and well.", {}),
    ],
)
def test_pregnancy_and_the_weeks_since_delivery(read, text: str, expected: dict) -> None:
    got = {
        k: v for k, v in read(text).items() if k.startswith(("patient.pregnancy", "patient.lact"))
    }
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Runner with a bone stress injury of the femoral neck; no trauma.", False),
        ("Seen in Trauma & Orthopaedics clinic with atraumatic hip pain.", False),
        ("AKI on admission (acute kidney injury), CRP fell to 40. No fall.", False),
        ("Twisted her hip stepping off a bus; groin pain since.", True),
        ("Groin pain on twisting and pivoting.", None),
        ("Fell down three steps yesterday onto the left hip.", True),
    ],
)
def test_injury_words_that_name_no_injury_to_the_hip(read, text: str, value: bool | None) -> None:
    assert read(text).get("history.trauma") is value


# ---------------------------------------------------------------- duration


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("Reviewed today, now some six months into right groin pain.", 26.1),
        ("Symptom onset approx 8 months before today's consultation.", 34.8),
        ("Admitted with a 3-week febrile oligoarthritis of the left hip and right wrist.", 3.0),
        # a prognosis is not how long the pain has lasted
        ("The pain usually settles over 3-9 months.", None),
        ("I would expect her symptoms to resolve within 6 months.", None),
    ],
)
def test_how_long_the_complaint_has_lasted(read, text: str, weeks: float | None) -> None:
    got = read(text).get("symptoms.duration_weeks")
    assert got == (pytest.approx(weeks, abs=0.2) if weeks is not None else None)


# ---------------------------------------------------------------- examination


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("O/E: antalgic gait. No swelling. Hip ROM mildly reduced.", False),
        ("Exam: no leg length discrepancy, atrophy, swelling or deformity.", False),
        ("Left hip warm and swollen, held in flexion.", True),
        # another joint's or the skin's signs are not the hip's
        ("Two painful joints, of which the right wrist is swollen.", None),
        ("Diffuse blanching erythematous rash over the trunk.", None),
        ("No ankle swelling.", None),
        ("MRI: red marrow reconversion of both proximal femora.", None),
    ],
)
def test_signs_of_a_hot_hip(read, text: str, value: bool | None) -> None:
    assert read(text).get("exam.warmth_swelling_or_redness") is value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the degree is read beside the range, not anywhere in the sentence
        ("Severe groin pain on walking, hip ROM restricted.", "limited"),
        ("Very tender over the groin; reduced range of motion of the hip.", "limited"),
        ("Markedly restricted hip movements.", "severely_limited"),
        ("ROM mildly reduced, pain at end range.", "mildly_limited"),
        # a lost movement, and a stated degree over an unstated one
        (
            "Painful, reduced flexion and extension. IR almost nil on both sides.",
            "severely_limited",
        ),
    ],
)
def test_how_limited_the_range_is(read, text: str, value: str) -> None:
    assert read(text).get("exam.range_of_motion") == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # systemic use is what the finding weighs; a local route is not it
        ("Worsening right hip pain since an IA steroid injection 2 months ago.", None),
        ("Several intra-articular corticosteroid injections into both hips this year.", None),
        ("Psoriasis treated with a topical steroid cream only.", None),
        ("On prednisolone 20 mg daily for asthma.", True),
        ("Long-term oral steroids; also uses a steroid inhaler.", True),
        ("No steroid use, drinks rarely.", False),
    ],
)
def test_systemic_corticosteroids_not_local_ones(read, text: str, value: bool | None) -> None:
    assert read(text).get("history.corticosteroids") is value
