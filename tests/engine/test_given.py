"""Findings that travel together within a condition (``given`` tables, the chain rule) and the
rapidly progressive osteoarthritis they let the knowledge base describe (session 4, issue 10).

Osteoarthritis here includes its rapidly progressive form (RPOA): once the femoral head has
collapsed or flattened on a narrowed joint, OA means RPOA, whose onset is abrupt and whose
course is months (Oprisan 2024; Nelson 2017; Zazgyva 2017). Multiplying OA's ordinary rows
(insidious onset, years of pain, rare collapse) as if independent left such a patient at 2%.
"""

from __future__ import annotations

from typing import Any

import pytest

from tohip.case.io import case_from_data
from tohip.engine.assess import assess_case
from tohip.engine.inference import log_likelihood
from tohip.engine.model import compile_model
from tohip.engine.observe import Observation
from tohip.kb.checks import check_knowledge_base
from tohip.kb.loader import load_knowledge_base
from tohip.kb.schema import Given, Source

KB = load_knowledge_base()
MODEL = compile_model(KB)
OA, SIF, AVN = "osteoarthritis", "subchondral_insufficiency_fracture", "osteonecrosis"


def probs(data: dict[str, Any]) -> dict[str, float]:
    return {r.condition: r.probability for r in assess_case(case_from_data(data), KB).differential}


def elderly_woman(onset: str, weeks: float, xray: dict[str, Any]) -> dict[str, Any]:
    return {
        "patient": {"age": 74, "sex": "female"},
        "symptoms": {"side": "right", "onset": onset, "duration_weeks": weeks},
        "imaging": {"xray": xray},
    }


def test_a_given_table_applies_only_when_its_condition_was_observed() -> None:
    onset = Observation("pain_onset", frozenset({"sudden"}), "symptoms.onset", None)
    oa = MODEL.conditions.index(OA)
    alone = log_likelihood(MODEL, onset)
    collapsed = log_likelihood(MODEL, onset, seen={"xray_head_collapse": frozenset({"present"})})
    intact = log_likelihood(MODEL, onset, seen={"xray_head_collapse": frozenset({"absent"})})
    assert collapsed[oa] > alone[oa] + 1.0  # RPOA: abrupt onset is common
    assert intact[oa] == alone[oa]
    # conditions the table does not name keep their own row
    sif = MODEL.conditions.index(SIF)
    assert collapsed[sif] == alone[sif]


def test_an_uncertain_conditioning_state_selects_no_table() -> None:
    compiled = MODEL.findings["xray_head_collapse"]
    either = frozenset({"preserved", "narrowed"})
    assert compiled.table_for(None, {"xray_joint_space": either}) == compiled.table


def test_the_knowledge_base_rejects_a_cycle_and_an_unknown_finding() -> None:
    onset = KB.findings["pain_onset"]
    collapse = KB.findings["xray_head_collapse"]
    src = [Source(ref="tohip_editors")]
    back = Given(finding="pain_onset", states=["sudden"], likelihood={}, note="x", sources=src)
    ghost = Given(
        finding="no_such_finding", states=["present"], likelihood={}, note="x", sources=src
    )
    findings = [
        f.model_copy(update={"given": [*f.given, back]}) if f.id == collapse.id else f
        for f in KB.findings.values()
    ]
    messages = [p.message for p in check_knowledge_base(KB, findings)]
    assert any("cycle" in m for m in messages)
    findings = [
        f.model_copy(update={"given": [ghost]}) if f.id == onset.id else f
        for f in KB.findings.values()
    ]
    messages = [p.message for p in check_knowledge_base(KB, findings)]
    assert any("not another finding" in m for m in messages)


def test_the_shipped_knowledge_base_has_given_tables_and_no_errors() -> None:
    assert any(f.given for f in KB.findings.values())
    assert not [
        p for p in check_knowledge_base(KB, list(KB.findings.values())) if p.severity == "error"
    ]


def test_sudden_pain_with_a_narrowed_collapsed_joint_keeps_rapid_oa_in_contention() -> None:
    """The RPOA picture (elderly woman, abrupt pain for weeks, joint-space loss and a collapsed
    head on the same film) is genuinely close to an insufficiency fracture (Yamamoto & Bullough
    2000); OA must be a leading candidate, not 2%."""
    p = probs(elderly_woman("sudden", 6, {"joint_space": "narrowed", "crescent_or_collapse": True}))
    ranked = sorted(p, key=p.__getitem__, reverse=True)
    assert OA in ranked[:2]
    assert p[OA] > 0.2


def test_joint_space_loss_beside_collapse_favours_oa_over_sif_and_kept_space_the_reverse() -> None:
    """A guard (it held before the change too): the collapse rows read beside the joint
    space must keep this direction."""
    narrowed = probs(
        elderly_woman("sudden", 6, {"joint_space": "narrowed", "crescent_or_collapse": True})
    )
    kept = probs(
        elderly_woman("sudden", 6, {"joint_space": "preserved", "crescent_or_collapse": True})
    )
    assert narrowed[OA] / narrowed[SIF] > 5 * kept[OA] / kept[SIF]
    # OA does not flatten a head whose cartilage is kept
    assert kept[OA] < 0.05
    assert max(kept, key=kept.__getitem__) in (SIF, AVN)


def test_ordinary_oa_is_unchanged_without_collapse() -> None:
    """A guard: without collapse, OA keeps its ordinary rows: insidious pain over years still
    points to OA far more than sudden pain of a few weeks."""
    slow = probs(elderly_woman("insidious", 80, {"joint_space": "narrowed"}))
    fast = probs(elderly_woman("sudden", 3, {"joint_space": "narrowed"}))
    assert slow[OA] > 0.6
    assert fast[OA] < slow[OA] / 2


@pytest.mark.parametrize("weeks", [3, 6])
def test_young_man_with_collapse_and_kept_joint_space_is_not_oa(weeks: float) -> None:
    """A guard: RPOA's rows must not reach a young man's collapsed head."""
    p = probs(
        {
            "patient": {"age": 38, "sex": "male"},
            "history": {"corticosteroids": True},
            "symptoms": {"side": "left", "onset": "sudden", "duration_weeks": weeks},
            "imaging": {"xray": {"joint_space": "preserved", "crescent_or_collapse": True}},
        }
    )
    assert max(p, key=p.__getitem__) == AVN
    assert p[OA] < 0.02


def test_early_joint_space_loss_argues_against_an_insufficiency_fracture_more_than_late() -> None:
    """The joint space of an SIF is normal when the pain starts and narrows over months
    (Yamamoto & Bullough 2000): a narrowed joint on a film taken in the first weeks is mostly
    narrowing that was there before, so it counts against SIF more than the same film later."""

    def case(xray_week: float) -> dict[str, Any]:
        data = elderly_woman("sudden", 20, {"joint_space": "narrowed"})
        data["imaging"]["xray"]["weeks_after_onset"] = xray_week
        data["imaging"]["mri"] = {"subchondral_fracture_line": True}
        return data

    early, late = probs(case(3)), probs(case(20))
    assert early[SIF] / early[OA] < late[SIF] / late[OA] / 1.4


def test_a_ct_fracture_line_without_femoral_marrow_edema_on_mri_points_away_from_the_femur() -> (
    None
):
    """MRI shows a femoral neck or subchondral fracture's edema before and around the line
    (Robertson 2017; Yamamoto 2012): with no femoral edema, a CT line is mostly in the pelvis
    (sacrum, pubic rami: `other`). With neck edema, the same line stays a stress fracture."""
    base: dict[str, Any] = {
        "patient": {"age": 70, "sex": "female"},
        "history": {"osteoporosis": True},
        "symptoms": {"side": "left", "duration_weeks": 3, "unable_to_bear_weight": True},
    }
    no_edema = probs(
        {**base, "imaging": {"ct": {"fracture_line": True}, "mri": {"edema_pattern": "none"}}}
    )
    line_only = probs({**base, "imaging": {"mri": {"edema_pattern": "none"}}})
    neck = probs(
        {
            **base,
            "imaging": {"ct": {"fracture_line": True}, "mri": {"edema_pattern": "femoral_neck"}},
        }
    )
    sf, other = "stress_fracture", "other"
    # the CT line adds little for a femoral fracture once the MRI shows no femoral edema
    assert no_edema[sf] / no_edema[other] < 1.5 * line_only[sf] / line_only[other]
    assert max(neck, key=neck.__getitem__) == sf


def test_training_load_points_to_a_subchondral_fatigue_fracture_in_the_young_only() -> None:
    """Subchondral fractures of the femoral head in young adults are mostly fatigue fractures
    of recruits and athletes (Song 2004); in older adults they are insufficiency fractures, for
    which training says little."""

    def case(age: int, training: bool) -> dict[str, Any]:
        return {
            "patient": {"age": age, "sex": "male"},
            "history": {"running_or_military_training": training},
            "symptoms": {"side": "right", "duration_weeks": 4},
            "imaging": {
                "mri": {"edema_pattern": "diffuse_head_neck", "subchondral_fracture_line": True}
            },
        }

    young_rise = probs(case(21, True))[SIF] / probs(case(21, False))[SIF]
    old_rise = probs(case(72, True))[SIF] / probs(case(72, False))[SIF]
    assert young_rise > 2
    assert old_rise < 1.2
