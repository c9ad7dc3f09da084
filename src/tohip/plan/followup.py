"""A follow-up visit against the expected course: "on track", or what to do and why."""

from __future__ import annotations

from typing import Any

from tohip._version import __version__
from tohip.case.derive import reference_date, weeks_since_onset
from tohip.case.schema import Case, PregnancyStatus
from tohip.engine.citations import cite
from tohip.engine.types import Assessment
from tohip.errors import CaseValidationError
from tohip.kb.loader import KnowledgeBase, load_knowledge_base
from tohip.plan.course import course_for, delivery_date, onset_date, schedule
from tohip.plan.facts import case_facts, holds
from tohip.plan.rules import Course, PlanRules, load_plan_rules
from tohip.plan.types import FollowUpFinding, FollowUpResult, VisitRecord

SEVERITY_STATUS = {"emergency": "act_now", "urgent": "act_soon", "review": "review"}
SEVERITY_ORDER = ("emergency", "urgent", "review")


def visit_weeks(case: Case, visit: VisitRecord) -> float | None:
    """Weeks from onset to the visit: given, or from its date and the case's onset."""
    if visit.weeks_after_onset is not None:
        return visit.weeks_after_onset
    onset = onset_date(case)
    if visit.date is None or onset is None:
        return None
    return (visit.date - onset).days / 7.0


def check_visit_dates(case: Case, visits: list[VisitRecord]) -> None:
    """Refuse visits that cannot be follow-up of this case: before its onset, or out of order.

    A visit 37 weeks before onset would otherwise be read as week -37 and rated on track.
    """
    onset = onset_date(case)
    previous: VisitRecord | None = None
    for number, visit in enumerate(visits, start=1):
        where = f"visit {number}" if len(visits) > 1 else "the visit"
        if visit.date is not None and onset is not None and visit.date < onset:
            raise CaseValidationError(
                f"{where} is dated {visit.date}, before the onset of symptoms ({onset})"
            )
        if previous is not None and _before(visit, previous):
            raise CaseValidationError(
                f"{where} is earlier than the visit before it; give visits in date order"
            )
        previous = visit


def _before(later: VisitRecord, earlier: VisitRecord) -> bool:
    if later.date is not None and earlier.date is not None:
        return later.date < earlier.date
    if later.weeks_after_onset is not None and earlier.weeks_after_onset is not None:
        return later.weeks_after_onset < earlier.weeks_after_onset
    return False


def pain_trend(visits: list[VisitRecord]) -> str | None:
    """The last visit's trend: as stated, else from its pain score against the previous one."""
    last = visits[-1]
    if last.pain_trend is not None:
        return last.pain_trend
    if last.pain == 0:
        return "resolved"
    earlier = [v.pain for v in visits[:-1] if v.pain is not None]
    if last.pain is None or not earlier:
        return None
    change = last.pain - earlier[-1]
    return "worse" if change >= 1 else "better" if change <= -1 else "same"


def _postpartum_weeks(case: Case, visit: VisitRecord) -> float | None:
    if visit.postpartum_weeks is not None:
        return visit.postpartum_weeks
    birth = delivery_date(case)
    when = visit.date
    if birth is None or when is None or when < birth:
        return None
    return (when - birth).days / 7.0


def visit_facts(
    case: Case, visits: list[VisitRecord], course: Course | None, rules: PlanRules
) -> dict[str, Any]:
    visit = visits[-1]
    weeks = visit_weeks(case, visit)
    imaging = visit.imaging
    preg = case.patient.pregnancy
    pregnancy_related = preg is not None and preg.status != PregnancyStatus.NOT_PREGNANT
    after_birth = _postpartum_weeks(case, visit)
    facts = case_facts(case, rules)
    facts.update(
        {
            "visit.weeks_after_onset": weeks,
            "visit.pain": visit.pain,
            "visit.pain_trend": pain_trend(visits),
            "visit.new_joint_pain": visit.new_joint_pain,
            "visit.sudden_pain_increase": visit.sudden_pain_increase,
            "visit.unable_to_bear_weight": visit.unable_to_bear_weight,
            "visit.fever": visit.fever,
            "visit.fracture_line": imaging.fracture_line if imaging else None,
            "visit.collapse": imaging.collapse if imaging else None,
            "visit.edema_resolving": imaging.edema_resolving if imaging else None,
            "visit.delivered": visit.delivered or (after_birth is not None) or None,
            "visit.postpartum_weeks": after_birth,
            "visit.past_expected_peak": None,
            "visit.past_reconsider_point": None,
            "visit.past_postpartum_window": None,
        }
    )
    if course is not None and weeks is not None:
        facts["visit.past_expected_peak"] = weeks >= course.expected_peak_weeks
        facts["visit.past_reconsider_point"] = weeks >= course.reconsider_after_weeks
    window = course.postpartum_resolution_weeks if course is not None else None
    if window is not None and pregnancy_related and after_birth is not None:
        facts["visit.past_postpartum_window"] = after_birth >= window
    return facts


def _on_track_summary(weeks: float | None, trend: str | None, course: Course | None) -> str:
    if trend == "resolved":
        return "Pain has resolved. Confirm return to full activity; no further visits are needed."
    if course is None or weeks is None:
        return "No warning sign found; keep to the plan."
    phase = next((p for p in course.phases if p.weeks[0] <= weeks < p.weeks[1]), None)
    where = f"Week {weeks:.0f}"
    if phase is None:
        return f"{where}: no warning sign found; beyond the usual course - keep reviewing."
    expected = " ".join(phase.text.split()).split(";")[0].rstrip(".")
    said = {"worse": "pain rising", "same": "pain steady", "better": "pain easing"}
    seen = said.get(trend or "", "trend not given")
    return f"On track. {where} ({phase.label.lower()}): {seen}; expected here: {expected}."


def evaluate_visit(
    case: Case,
    visits: list[VisitRecord],
    assessment: Assessment,
    kb: KnowledgeBase | None = None,
    rules: PlanRules | None = None,
) -> FollowUpResult:
    """Check the latest visit (earlier ones give the pain trend) against the follow-up rules
    for the leading condition."""
    if not visits:
        raise ValueError("at least one visit is needed")
    check_visit_dates(case, visits)
    kb = kb or load_knowledge_base()
    rules = rules or load_plan_rules()
    condition = assessment.differential[0].condition
    course = course_for(condition, rules)
    facts = visit_facts(case, visits, course, rules)
    fired = [r for r in rules.followup if condition in r.conditions and holds(r.when, facts)]
    fired.sort(key=lambda r: SEVERITY_ORDER.index(r.severity))
    findings = [
        FollowUpFinding(
            rule=r.id,
            severity=r.severity,
            finding=" ".join(r.finding.split()),
            action=" ".join(r.action.split()),
            citations=cite(kb, r.sources),
        )
        for r in fired
    ]
    weeks = facts["visit.weeks_after_onset"]
    trend = facts["visit.pain_trend"]
    warnings = []
    if weeks is None:
        warnings.append("visit time unknown: give weeks_after_onset, or a date and an onset date")
    if trend is None:
        warnings.append("pain trend unknown: give pain_trend, or pain scores at two visits")
    if findings:
        status = SEVERITY_STATUS[findings[0].severity]
        summary = " ".join(f"{f.finding} {f.action}" for f in findings)
    else:
        status = "resolved" if trend == "resolved" else "on_track"
        summary = _on_track_summary(weeks, trend, course)
    upcoming = None
    if course is not None:
        day = visits[-1].date or reference_date(case)
        upcoming = next(
            (v for v in schedule(case, course, kb, rules) if v.due and v.due > day), None
        )
    return FollowUpResult(
        tool="tohip",
        tool_version=__version__,
        disclaimer=assessment.disclaimer,
        case_id=case.id,
        condition=condition,
        visit_date=visits[-1].date,
        weeks_after_onset=weeks,
        pain_trend=trend,
        expected_phase=_phase_id(course, weeks),
        status=status,
        summary=summary,
        findings=findings,
        next_visit=upcoming,
        warnings=warnings + _consistency(case, visits),
    )


def _phase_id(course: Course | None, weeks: float | None) -> str | None:
    if course is None or weeks is None:
        return None
    return next((p.id for p in course.phases if p.weeks[0] <= weeks < p.weeks[1]), "beyond")


def _consistency(case: Case, visits: list[VisitRecord]) -> list[str]:
    out = []
    case_weeks = weeks_since_onset(case)
    last = visits[-1]
    visit_weeks_given = last.weeks_after_onset
    if visit_weeks_given is not None and case_weeks is not None and visit_weeks_given < case_weeks:
        out.append("the visit is earlier than the assessment it follows")
    dates = [v.date for v in visits if v.date is not None]
    if dates != sorted(dates):
        out.append("visits are not in date order; the last one listed was evaluated")
    if last.date is not None and case.assessment_date and last.date < case.assessment_date:
        out.append("the visit date is before the case's assessment date")
    return out
