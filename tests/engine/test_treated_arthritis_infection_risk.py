"""Session 6 round 2 probes: immunosuppression in a patient with known inflammatory arthritis.

The case model's infection risk includes immunosuppression. Once a rheumatoid arthritis or
spondyloarthritis is known, most patients are on its treatment (DMARDs from diagnosis and
methotrexate in the first strategy, EULAR 2022; corticosteroids in 81-91% of rheumatoid
patients with septic arthritis, Dubost 2017), whatever then hurts in the hip. Counting that
treatment as a fresh 2.75-fold clue to infection made a destructive flare of a treated
arthritis read as a septic hip. Given known inflammatory arthritis, infection risk is 0.65 for
the non-infective conditions and 0.85 for septic arthritis; fever, inflammatory markers and
the joint fluid still decide.

The first and third tests fail on the knowledge base this round started from (bdff964); the
second and the last guard what must not change (the default rows, and the safe side).
"""

from __future__ import annotations

from typing import Any

from tests.engine.probes import likelihood_ratio, probs

SEP, INF, OA = "septic_arthritis", "inflammatory_arthritis", "osteoarthritis"


def ratio(state: str, top: str, bottom: str, **seen: str) -> float:
    """P(infection_risk = state | top) / P(infection_risk = state | bottom), given ``seen``."""
    return likelihood_ratio("infection_risk", state, top, bottom, **seen)


def treated_arthritis(**labs: float) -> dict[str, Any]:
    """Seronegative polyarthritis on methotrexate and a biologic; a hip failing over months."""
    return {
        "patient": {"age": 61, "sex": "female", "medications": ["methotrexate", "etanercept"]},
        "history": {
            "inflammatory_arthritis": True,
            "polyarthralgia": True,
            "infection_risk": True,
            "corticosteroids": False,
            "trauma": False,
        },
        "symptoms": {
            "side": "left",
            "duration_weeks": 28,
            "groin_buttock_or_thigh_pain": True,
            "worsening": True,
            "unable_to_bear_weight": True,
        },
        "labs": {"autoantibodies_positive": False, **labs},
        "imaging": {"xray": {"side": "left", "erosions": True, "cortical_destruction": True}},
    }


def test_treatment_of_a_known_arthritis_barely_separates_septic_from_flare() -> None:
    assert ratio("present", SEP, INF, known_inflammatory_arthritis="present") < 1.5
    assert ratio("present", SEP, OA, known_inflammatory_arthritis="present") < 1.5


def test_without_known_arthritis_immunosuppression_still_points_to_infection() -> None:
    # The default rows stand: a diabetic or a transplant patient's risk still counts.
    assert ratio("present", SEP, INF) > 2.5
    assert ratio("present", SEP, OA) > 2.0


def test_afebrile_destructive_flare_with_modest_crp_ranks_inflammatory_first() -> None:
    # A wrong knowledge base counts the arthritis's own treatment as a clue to infection and
    # leaves the two tied; the flare should lead clearly, infection still well in view.
    p = probs(treated_arthritis(crp=30))
    assert max(p, key=p.__getitem__) == INF
    assert p[INF] > 1.5 * p[SEP]
    assert p[SEP] > 0.05  # infection is still to be excluded, and still shown


def test_febrile_treated_arthritis_with_purulent_fluid_still_ranks_septic_first() -> None:
    # The safe side: fever, a high CRP and a septic-range fluid count still make it septic.
    p = probs(treated_arthritis(temperature=38.5, crp=170, synovial_wbc=85000))
    assert max(p, key=p.__getitem__) == SEP
    assert p[SEP] > 0.6
