"""Patient, history, symptoms and labs as clinicians write them (issue 9, session 6).

Each case below is written for the test, in the shapes clinic letters, ED notes and referral
lines use; each asserts something the reader of session 5 got wrong."""

from __future__ import annotations

import pytest

from tohip.text.extract import extract_text

# ---------------------------------------------------------------- labs written in words


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("O/E: apyrexial, HR 84, antalgic gait.", "labs.temperature"),
        ("Exam: afebrile, looks well.", "labs.temperature"),
        ("No fevers, sweats or weight loss.", "labs.temperature"),
        ("Bloods: normal inflammatory markers, FBC unremarkable.", "labs.crp"),
        ("Inflammatory markers normal; ALP normal.", "labs.esr"),
    ],
)
def test_a_reassuring_result_in_words_is_shown_not_used(read, text: str, path: str) -> None:
    """'Afebrile' and 'normal markers' are not numbers: an unknown value never lowers septic
    arthritis, so the words stay in the evidence with the reason and set no value."""
    assert path not in read(text)
    x = extract_text(text)
    kept = [e for e in x.evidence if e.path == path]
    assert kept and not any(e.used for e in kept)
    assert all(e.reason for e in kept)


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("Exam: febrile, looks unwell, hip held flexed.", "labs.temperature", 38.5),
        ("Raised inflammatory markers.", "labs.crp", 30),
        ("Afebrile on the ward, T 37.2 this morning.", "labs.temperature", 37.2),
        ("Markers normal (CRP 4, ESR 12).", "labs.crp", 4),
    ],
)
def test_alarming_words_and_written_numbers_are_still_values(
    read, text: str, path: str, value: float
) -> None:
    assert read(text)[path] == pytest.approx(value)


# ---------------------------------------------------------------- age and sex


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        # a duration in years written before or after the age is not the age
        ("47M. HIV positive for 10 yrs, on ART, adherent. Bilateral hip pain.", 47, "male"),
        ("Known RA for 12 years. 52 year old woman with new groin pain.", 52, "female"),
        ("Indication: adolescent, L hip pain > 1 yr. Prior biopsy: chronic inflammation.", None, None),
        ("Pain began 3 years ago in the right hip; she is 61 years old.", 61, "female"),
        # titles written with an initial and a full stop
        ("Dear Dr Shah, I saw Mr T., 62, today with right groin pain.", 62, "male"),
        # a letter that gives the age now and the age at an earlier episode
        ("Mrs D., 40, attended for review. Aged 38 she had right hip pain.", 40, "female"),
        ("I reviewed your patient today, now aged 20. Earlier this year he had L hip pain.", 20, "male"),
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
