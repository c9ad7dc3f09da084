"""Cross-reference checks of the care-plan knowledge, run by ``tohip kb check``: every source,
condition, drug class, tag and fact a rule names must exist."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from tohip.kb.loader import KnowledgeBase
from tohip.kb.schema import Source
from tohip.plan.facts import KNOWN_FACTS
from tohip.plan.rules import PlanRules, When


def _sources(where: str, sources: Iterable[Source], kb: KnowledgeBase) -> Iterator[str]:
    for source in sources:
        if source.ref not in kb.references:
            yield f"plan: {where}: unknown reference {source.ref!r}"


def _facts(where: str, when: When | None) -> Iterator[str]:
    for fact in when.facts() if when else []:
        if fact not in KNOWN_FACTS:
            yield f"plan: {where}: unknown fact {fact!r}"


def _duplicates(where: str, ids: Iterable[str]) -> Iterator[str]:
    for name, count in Counter(ids).items():
        if count > 1:
            yield f"plan: {where}: id {name!r} is used {count} times"


def check_plan_rules(rules: PlanRules, kb: KnowledgeBase) -> list[str]:
    conditions = set(kb.condition_ids)
    drugs = {d.id for d in rules.drugs}
    item_ids = {i.id for i in rules.items}
    tags = {t for i in rules.items for t in i.tags}
    tags |= {t for ts in rules.investigation_tags.values() for t in ts}
    tags |= {t for c in rules.courses for v in c.schedule for t in v.imaging_tags}
    problems = [*_duplicates("items", [i.id for i in rules.items])]
    problems += _duplicates("safety", [r.id for r in rules.safety])
    problems += _duplicates("followup", [r.id for r in rules.followup])
    problems += _duplicates("drugs", [d.id for d in rules.drugs])
    problems += _sources("settings", rules.settings.sources, kb)
    for condition, when in rules.settings.confident_requires.items():
        problems += _facts(f"settings.confident_requires.{condition}", when)
        if condition not in conditions:
            problems.append(f"plan: settings.confident_requires: unknown condition {condition!r}")
    for item in rules.items:
        where = f"items.{item.id}"
        problems += _sources(where, item.sources, kb)
        problems += _facts(where, item.when)
        for a, addendum in enumerate(item.addenda):
            problems += _facts(f"{where}.addenda.{a}", addendum.when)
        problems += [
            f"plan: {where}: unknown condition {c!r}"
            for c in item.conditions
            if c not in conditions
        ]
        problems += [
            f"plan: {where}: unknown drug class {d!r}" for d in item.drug_classes if d not in drugs
        ]
        problems += [
            f"plan: {where}: supersedes unknown item {s!r}"
            for s in item.supersedes
            if s not in item_ids
        ]
        problems += [
            f"plan: {where}: unknown fact {p.fact!r}"
            for p in item.prerequisites
            if p.fact not in KNOWN_FACTS
        ]
    for rule in rules.safety:
        where = f"safety.{rule.id}"
        problems += _sources(where, rule.sources, kb)
        problems += _facts(where, rule.when)
        problems += [
            f"plan: {where}: applies to unknown class or tag {a!r}"
            for a in rule.applies_to
            if a not in drugs | tags
        ]
    known_tests = {t.id for t in kb.investigations}
    problems += [
        f"plan: investigation_tags: unknown investigation {t!r}"
        for t in rules.investigation_tags
        if t not in known_tests
    ]
    for course in rules.courses:
        where = f"courses.{course.condition}"
        if course.condition not in conditions:
            problems.append(f"plan: {where}: unknown condition")
        problems += _sources(where, course.sources, kb)
        for phase in course.phases:
            problems += _sources(f"{where}.{phase.id}", phase.sources, kb)
        for visit in course.schedule:
            problems += _sources(f"{where}.{visit.label}", visit.sources, kb)
            problems += _facts(f"{where}.{visit.label}", visit.when)
    for follow in rules.followup:
        where = f"followup.{follow.id}"
        problems += _sources(where, follow.sources, kb)
        problems += _facts(where, follow.when)
        problems += [
            f"plan: {where}: unknown condition {c!r}"
            for c in follow.conditions
            if c not in conditions
        ]
    texts = rules.handout.get("conditions", {})
    problems += [
        f"plan: handout: no text for condition {c!r}" for c in kb.condition_ids if c not in texts
    ]
    for condition, text in texts.items():
        for key in ("name", "what", "recovery", "warning_signs"):
            if key not in text:
                problems.append(f"plan: handout.{condition}: missing {key!r}")
    return problems
