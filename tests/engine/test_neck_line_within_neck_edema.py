"""Session 9 reasoning probe: a femoral neck fracture line inside neck-dominant marrow edema.

The marrow edema along a femoral neck fracture is the fracture's own, whatever weakened the
neck. An MRI whose dominant edema lies in the femoral neck already counts about 25-fold for a
stress fracture; the fracture line that such edema surrounds counted a further 70-fold, as if
the two were independent, so an osteonecrotic head with a neck fracture (demarcated necrotic
segment, a neck fracture line and neck edema) was ranked a stress fracture. Given neck-dominant
edema, P(neck fracture line) is now 0.75 for the stress fracture and 0.05-0.30 for the others
(editors' estimate, kept within each condition's own line rate; Robertson 2017: MRI grades of
femoral neck stress injury run from edema alone to edema with a fracture line).

The first and third tests fail on the knowledge base this round started from (e2c4d8c); the
second and fourth guard what must not change.
"""

from __future__ import annotations

from typing import Any

from tests.engine.probes import likelihood_ratio, probs

SF, AVN, TOH = "stress_fracture", "osteonecrosis", "transient_osteoporosis"


def ratio(top: str, bottom: str, **seen: str) -> float:
    """P(mri_neck_fracture_line present | top) / (... | bottom), given ``seen``."""
    return likelihood_ratio("mri_neck_fracture_line", "present", top, bottom, **seen)


def test_line_within_neck_edema_counts_little_beyond_the_edema() -> None:
    assert ratio(SF, AVN, mri_edema_pattern="femoral_neck") < 5.0
    assert ratio(SF, TOH, mri_edema_pattern="femoral_neck") < 5.0


def test_line_without_a_known_edema_pattern_still_points_to_a_stress_fracture() -> None:
    assert ratio(SF, AVN) > 20.0
    assert ratio(SF, TOH) > 20.0
    # with diffuse or subchondral edema the line is not the edema's own: unchanged
    assert ratio(SF, AVN, mri_edema_pattern="subchondral_head") > 20.0


def necrotic_head_with_neck_fracture() -> dict[str, Any]:
    """Man of 44 on long-term prednisolone for asthma; six weeks of groin pain, worse over
    days. MRI (no contrast): demarcated subchondral segment with a low-signal rim, and a
    fracture line across the femoral neck in neck-dominant edema."""
    return {
        "patient": {"age": 44, "sex": "male"},
        "history": {"corticosteroids": True, "trauma": False},
        "symptoms": {"duration_weeks": 6, "weight_bearing_pain": True},
        "imaging": {
            "mri": {
                "necrotic_segment": True,
                "neck_fracture_line": True,
                "edema_pattern": "femoral_neck",
            }
        },
    }


def test_necrotic_segment_with_a_neck_fracture_ranks_osteonecrosis_first() -> None:
    # A knowledge base that counts the edema and its fracture line twice ranks the stress fracture.
    p = probs(necrotic_head_with_neck_fracture())
    assert max(p, key=p.__getitem__) == AVN
    assert p[AVN] > 3 * p[SF]


def runner_with_neck_fracture() -> dict[str, Any]:
    """Woman of 24 training for a marathon; four weeks of groin pain on running. MRI: femoral
    neck edema around a compression-side fracture line; no necrotic segment."""
    return {
        "patient": {"age": 24, "sex": "female"},
        "history": {"running_or_military_training": True},
        "symptoms": {"duration_weeks": 4, "weight_bearing_pain": True},
        "imaging": {
            "mri": {
                "necrotic_segment": False,
                "neck_fracture_line": True,
                "edema_pattern": "femoral_neck",
            }
        },
    }


def test_runner_with_a_neck_line_in_neck_edema_stays_a_confident_stress_fracture() -> None:
    p = probs(runner_with_neck_fracture())
    assert max(p, key=p.__getitem__) == SF
    assert p[SF] > 0.9
