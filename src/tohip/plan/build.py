"""From an assessment to a care plan: choose the management items, run every safety rule over
them, and say what was left out and why. Pure: the only clock is the case's assessment date."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, get_args

from tohip._version import __version__
from tohip.case.derive import reference_date
from tohip.case.schema import Case
from tohip.engine.citations import cite
from tohip.engine.types import Assessment
from tohip.kb.loader import KnowledgeBase, load_knowledge_base
from tohip.plan.course import expected_course
from tohip.plan.facts import drug_classes_of, firing_safety_rules, holds, plan_facts
from tohip.plan.rules import Category, ManagementItem, PlanRules, SafetyRule, load_plan_rules
from tohip.plan.types import (
    CarePlan,
    Caution,
    Check,
    NextTest,
    Omission,
    PlanItem,
)

CATEGORY_ORDER: tuple[str, ...] = get_args(Category)  # immediate first
UNKNOWN_WHEN_FALSE = {"allergies_recorded", "medications_recorded"}
LABEL_CHARS = 60


def _select(
    rules: PlanRules, leading: str, confident: bool, flagged: Iterable[str]
) -> list[tuple[ManagementItem, str]]:
    """Items for the leading condition (all when confident, else the safe-while-uncertain
    ones) and the urgent ones for every condition a red flag points to; each item once."""
    chosen: dict[str, tuple[ManagementItem, str]] = {}
    for item in rules.items:
        if leading in item.conditions and (confident or item.while_uncertain):
            chosen[item.id] = (item, leading)
    for condition in flagged:
        for item in rules.items:
            urgent = item.category == "immediate" or item.while_uncertain
            if condition in item.conditions and urgent and item.id not in chosen:
                chosen[item.id] = (item, condition)
    return list(chosen.values())


def _judge(
    tags: Iterable[str], rules: PlanRules, facts: dict[str, Any]
) -> tuple[list[SafetyRule], list[SafetyRule]]:
    """The exclusions and cautions that fire for something carrying these tags."""
    fired = firing_safety_rules(tags, rules, facts)
    return [r for r in fired if r.effect == "exclude"], [r for r in fired if r.effect == "caution"]


def _cautions(kb: KnowledgeBase, fired: list[SafetyRule]) -> list[Caution]:
    return [
        Caution(rule=r.id, reason=_flat(r.reason), citations=cite(kb, r.sources)) for r in fired
    ]


def _addenda(item: ManagementItem, facts: dict[str, Any]) -> list[str]:
    """The item's added sentences whose condition holds for this patient."""
    return [a.text for a in item.addenda if holds(a.when, facts)]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _label(item: ManagementItem, rules: PlanRules) -> str:
    if item.drug_classes:
        return ", ".join(rules.drug(c).label for c in item.drug_classes)
    first = _flat(item.text).split(":")[0].split(" - ")[0].split(";")[0].rstrip(".")
    if len(first) <= LABEL_CHARS:
        return first
    return first[:LABEL_CHARS].rsplit(" ", 1)[0].rstrip(",") + "..."


def _contraindicated(
    kb: KnowledgeBase, option_id: str, label: str, fired: list[SafetyRule]
) -> Omission:
    """An option a safety rule excludes, with the rules' reasons and sources."""
    return Omission(
        id=option_id,
        label=label,
        kind="contraindicated",
        reason=" ".join(_flat(r.reason) for r in fired),
        rules=[r.id for r in fired],
        citations=cite(kb, [s for r in fired for s in r.sources]),
    )


def _omit(
    kb: KnowledgeBase, item: ManagementItem, rules: PlanRules, kind: Any, reason: str
) -> Omission:
    """An item left out for a reason of its own (not recommended, superseded, not yet)."""
    return Omission(
        id=item.id,
        label=_label(item, rules),
        kind=kind,
        reason=reason,
        rules=[],
        citations=cite(kb, item.sources),
    )


def _missing(fact: str, facts: dict[str, Any]) -> bool:
    value = facts.get(fact)
    return value is None or (fact in UNKNOWN_WHEN_FALSE and value is False)


def _checks(
    items: list[PlanItem], chosen: dict[str, ManagementItem], facts: dict[str, Any]
) -> list[Check]:
    found: dict[str, Check] = {}
    for out in items:
        for need in chosen[out.id].prerequisites:
            if not _missing(need.fact, facts):
                continue
            old = found.get(need.fact)
            uses = (old.for_items if old else []) + [out.id]
            text = old.check if old else need.check
            found[need.fact] = Check(fact=need.fact, check=text, for_items=uses)
    return list(found.values())


def _next_tests(
    kb: KnowledgeBase, assessment: Assessment, rules: PlanRules, facts: dict[str, Any]
) -> tuple[list[NextTest], list[Omission]]:
    tests: list[NextTest] = []
    left: list[Omission] = []
    for test in assessment.next_investigations:
        excluded, cautions = _judge(rules.investigation_tags.get(test.id, []), rules, facts)
        if excluded:
            left.append(_contraindicated(kb, test.id, test.label, excluded))
            continue
        tests.append(
            NextTest(
                id=test.id, label=test.label, reason=test.reason, cautions=_cautions(kb, cautions)
            )
        )
    for avoided in assessment.avoided_investigations:
        left.append(
            Omission(
                id=avoided.id,
                label=avoided.label,
                kind="contraindicated",
                reason=avoided.reason,
                rules=["engine.investigations"],
                citations=[],
            )
        )
    return tests, left


def _summary(assessment: Assessment, confident: bool, label: str, probability: float) -> str:
    pct = f"{probability * 100:.0f}%"
    if confident:
        text = f"{label} is the leading diagnosis ({pct}); plan for it."
    else:
        text = (
            f"The diagnosis is not settled (leading: {label}, {pct}). Working plan: steps that "
            "are safe whatever the cause, until the investigations below settle it."
        )
    if assessment.red_flags:
        text += " Red flags: " + "; ".join(f.label for f in assessment.red_flags) + "."
    return text


def _confident(rules: PlanRules, lead: str, probability: float, facts: dict[str, Any]) -> bool:
    """Confident when the leading condition is probable enough and what its diagnosis rests on
    is known (``settings.confident_requires``)."""
    if probability < rules.settings.confident_at:
        return False
    required = rules.settings.confident_requires.get(lead)
    return required is None or holds(required, facts)


def make_plan(
    case: Case,
    assessment: Assessment,
    kb: KnowledgeBase | None = None,
    rules: PlanRules | None = None,
) -> CarePlan:
    """The care plan for an assessed case; never contains an item a safety rule excludes."""
    kb = kb or load_knowledge_base()
    rules = rules or load_plan_rules()
    facts = plan_facts(case, {r.condition: r.probability for r in assessment.differential}, rules)
    lead = assessment.differential[0]
    confident = _confident(rules, lead.condition, lead.probability, facts)
    flagged = list(dict.fromkeys(f.condition for f in assessment.red_flags))
    chosen: dict[str, ManagementItem] = {}
    kept: list[PlanItem] = []
    left: list[Omission] = []
    selected = _select(rules, lead.condition, confident, flagged)
    present = {item.id for item, _ in selected}
    superseded = {old for item, _ in selected for old in item.supersedes if old in present}
    for item, condition in selected:
        if item.when is not None and not holds(item.when, facts):
            if item.not_yet_reason:
                left.append(_omit(kb, item, rules, "not_needed_yet", _flat(item.not_yet_reason)))
            continue
        if item.recommendation == "not_recommended":
            left.append(_omit(kb, item, rules, "not_recommended", _flat(item.text)))
            continue
        if item.id in superseded:
            by = next(i.id for i, _ in selected if item.id in i.supersedes)
            left.append(_omit(kb, item, rules, "superseded", f"Replaced by {by}."))
            continue
        excluded, cautions = _judge([*item.drug_classes, *item.tags], rules, facts)
        if excluded:
            left.append(_contraindicated(kb, item.id, _label(item, rules), excluded))
            continue
        chosen[item.id] = item
        kept.append(
            PlanItem(
                id=item.id,
                condition=condition,
                category=item.category,
                recommendation=item.recommendation,
                text=_flat(" ".join([item.text, *_addenda(item, facts)])),
                evidence=item.evidence,
                evidence_note=item.evidence_note,
                cautions=_cautions(kb, cautions),
                citations=cite(kb, item.sources),
            )
        )
    if not confident:
        waiting = [
            i
            for i in rules.items
            if lead.condition in i.conditions
            and not i.while_uncertain
            and i.category in ("medication", "procedure")
            and i.recommendation != "not_recommended"
        ]
        for item in waiting:
            excluded, _ = _judge([*item.drug_classes, *item.tags], rules, facts)
            if excluded:
                left.append(_contraindicated(kb, item.id, _label(item, rules), excluded))
                continue
            note = "Wait until the diagnosis is settled."
            left.append(_omit(kb, item, rules, "not_needed_yet", note))
    kept.sort(key=lambda p: CATEGORY_ORDER.index(p.category))
    tests, left_tests = _next_tests(kb, assessment, rules, facts)
    _, unknown_meds = drug_classes_of(case.patient.medications or [], rules.drugs)
    _, unknown_allergies = drug_classes_of(case.patient.allergies or [], rules.drugs)
    warnings = list(assessment.warnings)
    if unknown_allergies:
        warnings.append(
            "allergies not matched to any drug class the plan uses (check them yourself): "
            + ", ".join(unknown_allergies)
        )
    course = expected_course(case, lead.condition, kb, rules) if confident else None
    return CarePlan(
        tool="tohip",
        tool_version=__version__,
        knowledge_base_version=kb.version,
        disclaimer=assessment.disclaimer,
        case_id=case.id,
        plan_date=reference_date(case),
        mode="confident" if confident else "working",
        leading_condition=lead.condition,
        leading_probability=lead.probability,
        summary=_summary(assessment, confident, lead.label, lead.probability),
        immediate=[p for p in kept if p.category == "immediate"],
        items=[p for p in kept if p.category != "immediate"],
        next_investigations=tests,
        left_out=left + left_tests,
        checks=_checks(kept, chosen, facts),
        unrecognised_medicines=unknown_meds,
        course=course,
        warnings=warnings,
    )
