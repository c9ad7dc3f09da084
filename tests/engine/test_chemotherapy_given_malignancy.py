"""Session 10 reasoning probe: chemotherapy is the treatment of a known cancer, not a second clue.

Chemotherapy is given for a cancer, so a case with both a malignancy history and chemotherapy
counted the same cancer twice: the malignancy row (0.55 against 0.06) and again the
chemotherapy row (0.20 against 0.02), about 90-fold for a bone tumour together. Given a known
malignancy, P(chemotherapy) is now about the share of cancer survivors so treated, whatever then
hurts in the hip (0.30; Miller 2019, treatment patterns by stage), a little more for a tumour
(0.36: metastases come more often from advanced, treated cancer) and for osteonecrosis (0.70:
chemotherapy and its corticosteroids cause it). Editors' estimate.

The first and third tests fail on the knowledge base this round started from (9d2a535); the
second and fourth guard what must not change.
"""

from __future__ import annotations

from typing import Any

from tests.engine.probes import likelihood_ratio, probs

NEO, OTHER, AVN, OA = "neoplasm", "other", "osteonecrosis", "osteoarthritis"


def ratio(top: str, bottom: str, **seen: str) -> float:
    """P(chemotherapy present | top) / (... | bottom), given ``seen``."""
    return likelihood_ratio("chemotherapy", "present", top, bottom, **seen)


def test_chemotherapy_after_a_known_cancer_adds_little_for_a_tumour() -> None:
    assert ratio(NEO, OTHER, malignancy_history="present") < 1.5
    assert ratio(NEO, OA, malignancy_history="present") < 1.5
    # chemotherapy still points to osteonecrosis over a tumour (its regimens cause it)
    assert ratio(AVN, NEO, malignancy_history="present") > 1.5


def test_chemotherapy_alone_still_counts_as_a_cancer_clue() -> None:
    # When no malignancy history was recorded, chemotherapy stands for the cancer itself.
    assert ratio(NEO, OTHER) > 5.0
    assert ratio(NEO, OTHER, malignancy_history="absent") > 5.0


def survivor_with_a_bursal_haematoma() -> dict[str, Any]:
    """Woman of 71, breast cancer treated with surgery and adjuvant chemotherapy six years ago,
    no recurrence known; ten days of lateral hip pain after a fall onto the side. Ultrasound: a
    haematoma in the trochanteric bursa, offered as the cause; hip joint normal."""
    return {
        "patient": {"age": 71, "sex": "female"},
        "history": {"malignancy": True, "chemotherapy": True, "trauma": True},
        "symptoms": {"duration_weeks": 1.5, "weight_bearing_pain": True},
        "imaging": {"ultrasound": {"other_cause": True, "joint_effusion": False}},
    }


def test_a_treated_cancer_with_another_cause_on_imaging_ranks_the_other_cause_first() -> None:
    # A knowledge base that counts the cancer and its chemotherapy twice ranks the tumour first.
    p = probs(survivor_with_a_bursal_haematoma())
    assert max(p, key=p.__getitem__) == OTHER
    assert p[OTHER] > 1.3 * p[NEO]


def myeloma_patient_with_a_lytic_femur() -> dict[str, Any]:
    """Man of 66 with myeloma on chemotherapy; three months of thigh and groin pain at night.
    X-ray: a lytic lesion of the proximal femur with cortical destruction."""
    return {
        "patient": {"age": 66, "sex": "male"},
        "history": {"malignancy": True, "chemotherapy": True},
        "symptoms": {"duration_weeks": 12, "night_pain": True},
        "imaging": {"xray": {"lytic_lesion": True, "cortical_destruction": True}},
    }


def test_a_treated_cancer_with_a_lytic_lesion_stays_a_tumour() -> None:
    p = probs(myeloma_patient_with_a_lytic_femur())
    assert max(p, key=p.__getitem__) == NEO
    assert p[NEO] > 0.8
