"""Session 6 reasoning probes: the subchondral fatigue fracture of young recruits, and how TOH's
pain begins.

- A subchondral fracture of the femoral head under 35 is mostly the fatigue type of young male
  recruits (Song 2004; Yoon 2023: 32 recruits, mean age 22.3), not the insufficiency type of
  osteoporotic older women (Yamamoto 2012). SIF's sex row under 35 is therefore 0.70 male, and a
  rise in training raises SIF only under 35 (it was under 50).
- Descriptions of TOH divide between a sudden start and a gradual or insidious one (Vaishya
  2017; Johns Hopkins radiology rounds; the seeds' "spontaneous onset"), so TOH's onset row is
  0.45 / 0.45 / 0.10 and an insidious start no longer counts fifteen-fold for OA.

Each test fails on the knowledge base this session started from (3414107).
"""

from __future__ import annotations

from typing import Any

from tests.engine.probes import likelihood_ratio, p_state, probs

TOH, SIF, OA = "transient_osteoporosis", "subchondral_insufficiency_fracture", "osteoarthritis"


ratio = likelihood_ratio


def recruit(age: int, training: bool, sex: str = "male") -> dict[str, Any]:
    """Groin pain for a month in basic training; MRI: head-neck edema, a subchondral line."""
    return {
        "patient": {"age": age, "sex": sex},
        "history": {"running_or_military_training": training, "corticosteroids": False},
        "symptoms": {"side": "left", "duration_weeks": 4, "limp": True},
        "exam": {"range_of_motion": "limited"},
        "imaging": {
            "mri": {
                "side": "left",
                "sites": ["femoral_head"],
                "subchondral_fracture_line": True,
                "collapse": False,
            }
        },
    }


def test_young_recruit_with_a_subchondral_line_is_ranked_a_fatigue_fracture() -> None:
    """A man of 20 in training with a subchondral line under head edema: SIF before TOH."""
    p = probs(recruit(20, True))
    assert max(p, key=p.__getitem__) == SIF
    assert p[SIF] > p[TOH] + 0.05


def test_being_a_young_man_no_longer_counts_against_a_subchondral_fracture() -> None:
    """Under 35, male sex is about neutral between SIF and TOH (was 0.25 / 0.65, LR 0.38)."""
    assert ratio("sex", "male", SIF, TOH, age_band="age_18_34") > 0.9
    # from 65 SIF stays a disease of women: a woman's sex still favours it over TOH
    assert ratio("sex", "female", SIF, TOH, age_band="age_70_plus") > 2


def test_training_load_raises_a_subchondral_fracture_only_under_35() -> None:
    """A runner of 42 with the same MRI is no likelier to have SIF for his training."""
    rise_22 = probs(recruit(22, True))[SIF] / probs(recruit(22, False))[SIF]
    rise_42 = probs(recruit(42, True))[SIF] / probs(recruit(42, False))[SIF]
    assert rise_22 > 2
    assert rise_42 < 1.2


def middle_aged_man(onset: str) -> dict[str, Any]:
    """Six weeks of groin pain; MRI: diffuse head-neck edema, no line, no necrotic segment."""
    return {
        "patient": {"age": 44, "sex": "male"},
        "symptoms": {"side": "right", "onset": onset, "duration_weeks": 6},
        "imaging": {
            "mri": {
                "side": "right",
                "edema_pattern": "diffuse_head_neck",
                "necrotic_segment": False,
                "subchondral_fracture_line": False,
            }
        },
    }


def test_a_gradual_or_insidious_start_is_compatible_with_toh() -> None:
    """TOH may begin suddenly or gradually; an insidious start favours OA, but not 15-fold."""
    assert p_state("pain_onset", "gradual", TOH) / p_state("pain_onset", "sudden", TOH) > 0.9
    # in a middle-aged man with TOH's MRI, a gradual start leaves TOH clearly first
    gradual = probs(middle_aged_man("gradual"))
    assert max(gradual, key=gradual.__getitem__) == TOH
    assert gradual[TOH] > 0.6
    assert ratio("pain_onset", "insidious", OA, TOH) < 10
    # a sudden start still favours TOH over ordinary OA several-fold
    assert ratio("pain_onset", "sudden", TOH, OA) > 5
