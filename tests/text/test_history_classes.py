"""History read from a note (issue 9, session 7): what is and is not a known inflammatory
arthritis, a diagnosis held in mind rather than found, and the other joints examined normal.
Sentences written for these tests; each asserts what the earlier reader got wrong."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "Known PsA, on methotrexate 15 mg weekly.",
        "PMH: PsA diagnosed by rheumatology in 2019.",
    ],
)
def test_psa_in_its_own_case_is_psoriatic_arthritis(read, text: str) -> None:
    assert read(text).get("history.inflammatory_arthritis") is True


@pytest.mark.parametrize(
    "text",
    [
        "Please check a PSA and refer to urology if raised.",
        "He had a normal PSA test through his GP last spring.",
        "Long-standing plaque psoriasis on the elbows, treated with emollients.",
        "PMH: psoriasis (skin only), hypertension.",
    ],
)
def test_prostate_antigen_and_skin_psoriasis_are_not_arthritis(read, text: str) -> None:
    assert "history.inflammatory_arthritis" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "We suspect rheumatoid arthritis presenting in the hip.",
        "I suspect an inflammatory arthritis.",
        "Reactive arthritis is also on the differential.",
        "Ankylosing spondylitis remains on differential for now.",
    ],
)
def test_a_diagnosis_held_in_mind_is_not_a_history(read, text: str) -> None:
    assert "history.inflammatory_arthritis" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "Inflammatory arthritis not suggested on examination or bloods.",
        "Septic or inflammatory arthritis not suggested clinically.",
    ],
)
def test_a_diagnosis_not_suggested_is_not_present(read, text: str) -> None:
    assert read(text).get("history.inflammatory_arthritis") is False


@pytest.mark.parametrize(
    "text",
    [
        "Other joints normal.",
        "Spine non-tender, remaining joints unremarkable.",
        "All other joints were clear on examination.",
        "She reports no pain in other limbs.",
    ],
)
def test_other_joints_examined_normal(read, text: str) -> None:
    assert read(text).get("history.polyarthralgia") is False


@pytest.mark.parametrize(
    "text",
    [
        "Pain in other joints too: both knees and the wrists.",
        "Other joints swollen and tender.",
    ],
)
def test_other_joints_affected_are_still_polyarthralgia(read, text: str) -> None:
    assert read(text).get("history.polyarthralgia") is True


@pytest.mark.parametrize(
    "text",
    [
        "Background of seropositive rheumatoid arthropathy.",
        "PMH: psoriatic arthropathy affecting the hands.",
        "Known inflammatory arthropathy under rheumatology.",
    ],
)
def test_an_arthropathy_named_is_inflammatory_arthritis(read, text: str) -> None:
    assert read(text).get("history.inflammatory_arthritis") is True


@pytest.mark.parametrize(
    "text",
    [
        "Rheumatoid arthritis, gout or a labral tear are possible.",
        "An inflammatory arthropathy remains possible.",
        "Bilateral avascular necrosis is the main alternative to consider.",
    ],
)
def test_a_possibility_listed_is_not_a_history(read, text: str) -> None:
    found = read(text)
    assert "history.inflammatory_arthritis" not in found
    assert "history.contralateral_avn" not in found


@pytest.mark.parametrize(
    "text",
    [
        "He describes a very similar pattern of pain in the other hip two years ago.",
        "She had the same pain before, in her last pregnancy.",
    ],
)
def test_the_same_pain_before_is_a_prior_episode(read, text: str) -> None:
    assert read(text).get("history.prior_episodes") is True


@pytest.mark.parametrize(
    "text",
    [
        "Social: retired teacher, no tobacco or alcohol.",
        "SH: works in IT; no smoking, drinks socially.",
    ],
)
def test_no_tobacco_is_a_non_smoker(read, text: str) -> None:
    assert read(text).get("history.smoking") is False


@pytest.mark.parametrize(
    "text",
    [
        "Tobacco: 15 cigarettes a day for 20 years.",
        "Smoking cessation advice given.",
    ],
)
def test_tobacco_named_is_not_a_non_smoker(read, text: str) -> None:
    assert read(text).get("history.smoking") is not False


@pytest.mark.parametrize(
    "text",
    [
        "No steroids, alcohol minimal, ex-smoker.",
        "Denies trauma; former smoker, gave up in 2015.",
    ],
)
def test_a_former_smoker_is_neither_smoker_nor_non_smoker(read, text: str) -> None:
    assert "history.smoking" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "No AVN risk factors: no steroids, no haemoglobinopathy, drinks little.",
        "Osteonecrosis risks: none (no sickle cell, no steroid courses).",
    ],
)
def test_no_haemoglobinopathy_is_no_sickle_cell_disease(read, text: str) -> None:
    assert read(text).get("history.sickle_cell_disease") is False


@pytest.mark.parametrize(
    "text",
    [
        "Her mother has sickle cell trait.",
        "He carries sickle cell trait (HbAS).",
        "Known haemoglobinopathy, thalassaemia minor.",
    ],
)
def test_a_trait_or_an_unnamed_haemoglobinopathy_is_not_sickle_cell(read, text: str) -> None:
    assert "history.sickle_cell_disease" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "Background of regional migratory osteoporosis (left knee 2015, right ankle 2018).",
        "PMH: migratory bone marrow oedema syndrome, treated conservatively.",
    ],
)
def test_migratory_osteoporosis_is_an_earlier_episode_in_another_joint(read, text: str) -> None:
    found = read(text)
    assert found.get("history.prior_episodes") is True
    assert found.get("history.other_joints_involved") is True
