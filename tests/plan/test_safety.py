"""Every safety rule both ways: it fires for the patient it is written for and stays silent for
a similar one, and a plan never holds an option a rule excludes for its patient."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.plan.conftest import patched, plan_for
from tohip.case.schema import Case
from tohip.engine.assess import assess_case
from tohip.plan.facts import case_facts, holds, plan_facts
from tohip.plan.rules import PlanRules, SafetyRule, load_plan_rules

CASES: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "safety_cases.yaml").read_text()
)
RULES = {r.id: r for r in load_plan_rules().safety}


def test_every_rule_has_cases_both_ways() -> None:
    assert set(CASES) == set(RULES)
    assert all(set(c) == {"fires", "silent"} for c in CASES.values())


@pytest.mark.parametrize("rule_id", sorted(RULES))
@pytest.mark.parametrize("expected", ["fires", "silent"])
def test_rule_fires_only_when_it_must(rule_id: str, expected: str, rules: PlanRules) -> None:
    case = patched(CASES[rule_id][expected])
    facts = plan_facts(case, _probabilities(case), rules)
    assert holds(RULES[rule_id].when, facts) is (expected == "fires")


def _probabilities(case: Case) -> dict[str, float]:
    return {r.condition: r.probability for r in assess_case(case).differential}


def _items_for(rule: SafetyRule, rules: PlanRules) -> set[str]:
    hit = set(rule.applies_to)
    return {i.id for i in rules.items if hit & set(i.drug_classes + i.tags)}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_plan_obeys_rule(rule_id: str, rules: PlanRules) -> None:
    """End to end on a TOH plan: an exclusion removes the item and says why; a caution rides
    with the item; the silent patient's plan carries neither."""
    rule = RULES[rule_id]
    targets = _items_for(rule, rules)
    if not targets:
        pytest.skip("applies to investigations or visits only (tested in test_plan)")
    fired = plan_for(patched(CASES[rule_id]["fires"]))
    silent = plan_for(patched(CASES[rule_id]["silent"]))
    for plan, should in ((fired, True), (silent, False)):
        kept = {p.id: p for p in plan.immediate + plan.items}
        left = {o.id: o for o in plan.left_out}
        for target in targets & (set(kept) | set(left)):
            if rule.effect == "exclude" and should:
                assert target not in kept
                assert rule_id in left[target].rules and left[target].kind == "contraindicated"
            elif rule.effect == "caution" and should:
                assert rule_id in [c.rule for c in kept[target].cautions]
            else:
                assert (
                    rule_id not in [c.rule for c in kept[target].cautions]
                    if target in kept
                    else rule_id not in left[target].rules
                )
        if should:
            mentioned = {c.rule for p in kept.values() for c in p.cautions}
            mentioned |= {r for o in left.values() for r in o.rules}
            assert rule_id in mentioned


def test_unknown_gestation_counts_as_late_for_nsaids(rules: PlanRules) -> None:
    case = patched({"patient": {"age": 30, "sex": "female", "pregnancy": {"status": "pregnant"}}})
    assert holds(RULES["nsaid_pregnancy_from_20_weeks"].when, case_facts(case, rules))


def test_unknown_lab_is_a_check_not_a_silent_pass() -> None:
    plan = plan_for(patched({}))
    checks = {c.fact: c for c in plan.checks}
    assert "toh_bisphosphonate" in checks["egfr"].for_items
    assert {"vitamin_d", "calcium", "allergies_recorded"} <= set(checks)


def test_recorded_facts_remove_their_checks() -> None:
    plan = plan_for(
        patched(
            {
                "patient": {"age": 44, "sex": "male", "allergies": [], "medications": []},
                "labs": {"egfr": 90, "calcium": 2.4, "vitamin_d": 80, "alp": 80},
            }
        )
    )
    assert plan.checks == []


def test_unmatched_medicines_and_allergies_are_reported() -> None:
    plan = plan_for(
        patched(
            {
                "patient": {
                    "age": 44,
                    "sex": "male",
                    "medications": ["zzzumab"],
                    "allergies": ["qqqcillin"],
                }
            }
        )
    )
    assert plan.unrecognised_medicines == ["zzzumab"]
    assert any("qqqcillin" in w for w in plan.warnings)
