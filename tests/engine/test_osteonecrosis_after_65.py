"""Session 10 reasoning probe: osteonecrosis of the femoral head is not rare from 65.

Non-traumatic osteonecrosis peaks in the 40s in men but later in women (mean age 56 in
Yamaguchi 2011; a peak in the 60s in women in the Japanese registry, Ando 2021), so about one
in seven patients is 65 or over. The age row gave osteonecrosis 0.10 from 65 (0.03 at 65-69),
which made an age of 65-69 count 5.5-fold for a subchondral insufficiency fracture over
osteonecrosis before any imaging was seen; it is now 0.15 (editors' estimate from those means).

The first test fails on the knowledge base this round started from (9d2a535); the second guards
what must not change.
"""

from __future__ import annotations

from tests.engine.probes import likelihood_ratio, p_state

SIF, AVN, TOH = "subchondral_insufficiency_fracture", "osteonecrosis", "transient_osteoporosis"


def test_sixty_five_to_sixty_nine_counts_under_fourfold_for_sif_over_osteonecrosis() -> None:
    assert likelihood_ratio("age_band", "age_65_69", SIF, AVN) < 4.0
    assert likelihood_ratio("age_band", "age_70_plus", SIF, AVN) < 4.0
    assert p_state("age_band", "age_65_69", AVN) + p_state("age_band", "age_70_plus", AVN) > 0.12


def test_osteonecrosis_is_still_mostly_a_disease_of_younger_adults() -> None:
    # Most osteonecrosis is still diagnosed under 50, and SIF still dominates from 70.
    assert p_state("age_band", "age_18_34", AVN) + p_state("age_band", "age_35_49", AVN) > 0.55
    assert likelihood_ratio("age_band", "age_35_49", AVN, SIF) > 3.0
    assert likelihood_ratio("age_band", "age_70_plus", SIF, AVN) > 3.0
    # TOH stays rare from 65 (its row is unchanged)
    assert likelihood_ratio("age_band", "age_65_69", AVN, TOH) > 1.5
