"""What the patient handout says, personalised from the case and its care plan. Every sentence
comes from plain-language fields of the knowledge base (handout.yaml, patient_text of items,
rules and phases); nothing clinical is written here."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tohip.case.schema import Case, PregnancyStatus
from tohip.handout.readability import ReadingScores, reading_scores
from tohip.handout.timeline import timeline_svg
from tohip.plan.course import course_for
from tohip.plan.rules import PlanRules, load_plan_rules
from tohip.plan.types import CarePlan


class Section(BaseModel):
    model_config = ConfigDict(frozen=True)

    heading: str
    paragraphs: list[str] = []
    bullets: list[str] = []
    urgent: bool = False


class Handout(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: str | None
    title: str
    condition: str
    certain: bool
    sections: list[Section]
    timeline_svg: str | None
    disclaimer: str
    reading: ReadingScores

    def plain_text(self) -> str:
        return handout_text(self.title, self.sections, self.disclaimer)


def handout_text(title: str, sections: list[Section], disclaimer: str) -> str:
    """The words a patient reads, one sentence-ending line per paragraph or bullet."""
    lines = [title + "."]
    for s in sections:
        lines.append(s.heading.rstrip(":") + ".")
        lines += s.paragraphs
        lines += [b[0].upper() + b[1:] + ("" if b.endswith(".") else ".") for b in s.bullets]
    lines.append(disclaimer)
    return "\n".join(" ".join(line.split()) for line in lines)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pregnancy_related(case: Case) -> bool:
    preg = case.patient.pregnancy
    return preg is not None and preg.status != PregnancyStatus.NOT_PREGNANT


def _to_do(plan: CarePlan, rules: PlanRules) -> list[str]:
    by_id = {i.id: i for i in rules.items}
    steps = [by_id[p.id].patient_text for p in plan.immediate + plan.items]
    return [_flat(s) for s in steps if s]


def _avoid(plan: CarePlan, rules: PlanRules) -> list[str]:
    """Medicines left out for safety, in the rule's own plain words where it has them."""
    by_rule = {r.id: r for r in rules.safety}
    by_item = {i.id: i for i in rules.items}
    out: list[str] = []
    for omission in plan.left_out:
        if omission.kind != "contraindicated" or omission.id not in by_item:
            continue
        said = [by_rule[r].patient_text for r in omission.rules if by_rule[r].patient_text]
        if said:
            out += [_flat(s) for s in said if s]
            continue
        for drug in by_item[omission.id].drug_classes:
            out.append(
                f"Do not take {rules.drug(drug).patient_label} unless a doctor tells you to."
            )
    return list(dict.fromkeys(out))


def _tell_your_doctor(plan: CarePlan, rules: PlanRules, pregnancy: bool) -> list[str]:
    """The non-emergency follow-up warnings of the leading condition (the emergency ones are
    already the condition's warning signs)."""
    out: list[str] = []
    for rule in rules.followup:
        if plan.leading_condition not in rule.conditions or rule.severity == "emergency":
            continue
        if "visit.past_postpartum_window" in set(rule.when.facts()) and not pregnancy:
            continue
        out.append(_flat(rule.patient_text))
    return out


def build_handout(case: Case, plan: CarePlan, rules: PlanRules | None = None) -> Handout:
    rules = rules or load_plan_rules()
    text = rules.handout
    info = text["conditions"][plan.leading_condition]
    side = case.symptoms.side
    where = text["sides"].get(side, text["unknown_side"]) if side else text["unknown_side"]
    certain = plan.mode == "confident"
    pregnancy = _pregnancy_related(case)
    title = f"{text['title']} {where}"
    what = [_flat(info["what"])]
    if pregnancy and "pregnancy" in info:
        what.append(_flat(info["pregnancy"]))
    if not certain:
        what = [_flat(text["uncertain"]), f"One possible cause is {info['name']}.", *what]
    sections = [Section(heading=f"What we think: {info['name']}", paragraphs=what)]
    sections.append(Section(heading="What to do now", bullets=_to_do(plan, rules)))
    avoid = _avoid(plan, rules)
    if avoid:
        sections.append(Section(heading="Medicines to avoid", bullets=avoid))
    svg = None
    course = course_for(plan.leading_condition, rules)
    if certain and plan.course is not None and course is not None:
        phases = [_flat(p.patient_text) for p in course.phases]
        phases.append(_flat(text["timeline_caption"]))
        sections.append(Section(heading="What to expect", paragraphs=phases))
        svg = timeline_svg(plan.course, course.expected_peak_weeks)
        visits = [
            f"{v.due:%d %B %Y}: check-up ({v.label.lower()})"
            if v.due
            else f"{v.timing}: check-up ({v.label.lower()})"
            for v in plan.course.schedule
        ]
        sections.append(Section(heading="Your check-ups", bullets=visits))
    else:
        sections.append(Section(heading="What to expect", paragraphs=[_flat(info["recovery"])]))
    later = _tell_your_doctor(plan, rules, pregnancy)
    sections.append(
        Section(heading=_flat(text["emergency_intro"]), bullets=info["warning_signs"], urgent=True)
    )
    if later:
        sections.append(Section(heading="Tell your doctor", bullets=later))
    disclaimer = _flat(text["disclaimer"])
    return Handout(
        case_id=case.id,
        title=title,
        condition=plan.leading_condition,
        certain=certain,
        sections=sections,
        timeline_svg=svg,
        disclaimer=disclaimer,
        reading=reading_scores(handout_text(title, sections, disclaimer)),
    )
