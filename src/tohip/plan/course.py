"""The expected course for this patient: phases and key dates from the symptom onset, the
delivery date in pregnancy, and the schedule of visits and re-imaging."""

from __future__ import annotations

import datetime as dt

from tohip.case.derive import reference_date, weeks_since_onset
from tohip.case.schema import Case, PregnancyStatus
from tohip.engine.citations import cite
from tohip.kb.loader import KnowledgeBase
from tohip.plan.facts import case_facts, firing_safety_rules, holds
from tohip.plan.rules import Course, PlanRules, Visit
from tohip.plan.types import ExpectedCourse, Phase, ScheduledVisit

TERM_WEEKS = 40
MERGE_DAYS = 14  # visits this close are one appointment


def _after(start: dt.date | None, weeks: float) -> dt.date | None:
    return None if start is None else start + dt.timedelta(days=round(weeks * 7))


def onset_date(case: Case) -> dt.date | None:
    """The onset date, given or worked back from the duration at the assessment date."""
    if case.symptoms.onset_date is not None:
        return case.symptoms.onset_date
    weeks = weeks_since_onset(case)
    return None if weeks is None else _after(reference_date(case), -weeks)


def delivery_date(case: Case) -> dt.date | None:
    """Expected (pregnant, weeks known) or actual (postpartum, weeks since known) delivery."""
    preg = case.patient.pregnancy
    if preg is None:
        return None
    today = reference_date(case)
    if preg.status == PregnancyStatus.PREGNANT and preg.gestational_weeks is not None:
        return _after(today, max(TERM_WEEKS - preg.gestational_weeks, 0))
    if preg.status == PregnancyStatus.POSTPARTUM and preg.postpartum_weeks is not None:
        return _after(today, -preg.postpartum_weeks)
    return None


def course_for(condition: str, rules: PlanRules) -> Course | None:
    return next((c for c in rules.courses if c.condition == condition), None)


def _timing(visit: Visit) -> str:
    if visit.weeks_after_onset is not None:
        return f"{visit.weeks_after_onset:g} weeks after the pain began"
    if visit.weeks_after_delivery is not None:
        return f"{visit.weeks_after_delivery:g} weeks after delivery"
    return f"{visit.weeks_after_start:g} weeks from now"


def _due(
    visit: Visit, start: dt.date, onset: dt.date | None, birth: dt.date | None
) -> dt.date | None:
    if visit.weeks_after_start is not None:
        return _after(start, visit.weeks_after_start)
    if visit.weeks_after_onset is not None:
        return _after(onset, visit.weeks_after_onset)
    assert visit.weeks_after_delivery is not None
    return _after(birth, visit.weeks_after_delivery)


def schedule(
    case: Case, course: Course, kb: KnowledgeBase, rules: PlanRules
) -> list[ScheduledVisit]:
    """Visits still ahead of the plan date, in date order (undated ones last)."""
    facts = case_facts(case, rules)
    start, onset, birth = reference_date(case), onset_date(case), delivery_date(case)
    pregnant = bool(facts.get("pregnant"))
    out: list[ScheduledVisit] = []
    for visit in course.schedule:
        if visit.when is not None and not holds(visit.when, facts):
            continue
        due = _due(visit, start, onset, birth)
        if due is not None and due < start:
            continue
        after_birth = pregnant and birth is not None and due is not None and due > birth
        # the imaging rules are pregnancy rules: they stop once the baby is born
        fired = [] if after_birth else firing_safety_rules(visit.imaging_tags, rules, facts)
        out.append(
            ScheduledVisit(
                label=visit.label,
                due=due,
                timing=_timing(visit),
                purpose=" ".join(visit.purpose.split()),
                imaging=visit.imaging,
                cautions=[" ".join(r.reason.split()) for r in fired],
                citations=cite(kb, visit.sources),
            )
        )
    return _merge_close(sorted(out, key=lambda v: (v.due is None, v.due or start)))


def _merge_close(visits: list[ScheduledVisit]) -> list[ScheduledVisit]:
    """One visit where two fall within ``MERGE_DAYS`` of each other (the earlier date)."""
    out: list[ScheduledVisit] = []
    for visit in visits:
        prev = out[-1] if out else None
        if prev and prev.due and visit.due and (visit.due - prev.due).days <= MERGE_DAYS:
            out[-1] = prev.model_copy(
                update={
                    "label": f"{prev.label} and {visit.label.lower()}",
                    "purpose": f"{prev.purpose} {visit.purpose}",
                    "imaging": " ".join(x for x in (prev.imaging, visit.imaging) if x) or None,
                    "cautions": prev.cautions + visit.cautions,
                    "citations": prev.citations + visit.citations,
                }
            )
        else:
            out.append(visit)
    return out


def expected_course(
    case: Case, condition: str, kb: KnowledgeBase, rules: PlanRules
) -> ExpectedCourse | None:
    """The course this condition is expected to take for this patient, or None if the
    knowledge base describes no course for it."""
    course = course_for(condition, rules)
    if course is None:
        return None
    onset, birth = onset_date(case), delivery_date(case)
    weeks = weeks_since_onset(case)
    phases = [
        Phase(
            id=p.id,
            label=p.label,
            from_week=p.weeks[0],
            to_week=p.weeks[1],
            start=_after(onset, p.weeks[0]),
            end=_after(onset, p.weeks[1]),
            text=" ".join(p.text.split()),
            citations=cite(kb, p.sources),
        )
        for p in course.phases
    ]
    current = None
    if weeks is not None:
        current = next((p.id for p in phases if p.from_week <= weeks < p.to_week), "beyond")
    notes = []
    if onset is None:
        notes.append("onset date unknown: dates are given as weeks after the pain began")
    preg = case.patient.pregnancy
    pregnancy_related = preg is not None and preg.status != PregnancyStatus.NOT_PREGNANT
    postpartum_by = None
    if pregnancy_related and course.postpartum_resolution_weeks is not None:
        postpartum_by = _after(birth, course.postpartum_resolution_weeks)
        if birth is None:
            notes.append("delivery date unknown: give gestational or postpartum weeks for dates")
    return ExpectedCourse(
        condition=condition,
        weeks_since_onset=weeks,
        current_phase=current,
        onset_date=onset,
        expected_peak=_after(onset, course.expected_peak_weeks),
        resolution_from=_after(onset, course.resolution_weeks[0]),
        resolution_by=_after(onset, course.resolution_weeks[1]),
        expected_delivery=birth if preg and preg.status == PregnancyStatus.PREGNANT else None,
        postpartum_resolution_by=postpartum_by,
        phases=phases,
        schedule=schedule(case, course, kb, rules),
        notes=notes,
        citations=cite(kb, course.sources),
    )
