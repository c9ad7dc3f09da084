"""Follow-up rules on constructed courses: each visit sequence and the answer a clinician
would give."""

from __future__ import annotations

from typing import Any

import pytest

from tests.plan.conftest import patched
from tohip.engine.assess import assess_case
from tohip.plan.followup import evaluate_visit, pain_trend
from tohip.plan.types import FollowUpResult, VisitRecord


def check(visits: list[dict[str, Any]], patch: dict[str, Any] | None = None) -> FollowUpResult:
    case = patched(patch or {})
    records = [VisitRecord.model_validate(v) for v in visits]
    return evaluate_visit(case, records, assess_case(case))


@pytest.mark.parametrize(
    ("visits", "status", "rule"),
    [
        ([{"weeks_after_onset": 8, "pain_trend": "worse"}], "on_track", None),
        ([{"weeks_after_onset": 16, "pain_trend": "worse"}], "act_soon", "pain_rising_after_peak"),
        ([{"weeks_after_onset": 20, "pain_trend": "better"}], "on_track", None),
        (
            [{"weeks_after_onset": 20, "pain_trend": "better", "new_joint_pain": True}],
            "review",
            "new_joint_regional_migratory",
        ),
        (
            [{"weeks_after_onset": 56, "pain_trend": "same"}],
            "act_soon",
            "no_improvement_by_12_months",
        ),
        ([{"weeks_after_onset": 56, "pain_trend": "better"}], "on_track", None),
        (
            [{"weeks_after_onset": 10, "pain_trend": "better", "sudden_pain_increase": True}],
            "act_now",
            "fracture_or_collapse",
        ),
        (
            [{"weeks_after_onset": 10, "imaging": {"modality": "mri", "fracture_line": True}}],
            "act_now",
            "fracture_or_collapse",
        ),
        (
            [{"weeks_after_onset": 10, "pain_trend": "better", "fever": True}],
            "act_now",
            "infection_signs",
        ),
        ([{"weeks_after_onset": 30, "pain": 0}], "resolved", None),
        (
            [{"weeks_after_onset": 10, "pain": 6}, {"weeks_after_onset": 14, "pain": 8}],
            "act_soon",
            "pain_rising_after_peak",
        ),
        (
            [{"weeks_after_onset": 10, "pain": 8}, {"weeks_after_onset": 14, "pain": 5}],
            "on_track",
            None,
        ),
    ],
)
def test_constructed_courses(visits: list[dict[str, Any]], status: str, rule: str | None) -> None:
    result = check(visits)
    assert result.status == status, result.summary
    fired = [f.rule for f in result.findings]
    assert fired == ([rule] if rule else [])


def test_worst_finding_sets_the_status_and_comes_first() -> None:
    result = check(
        [
            {
                "weeks_after_onset": 16,
                "pain_trend": "worse",
                "new_joint_pain": True,
                "unable_to_bear_weight": True,
            }
        ]
    )
    assert result.status == "act_now"
    assert [f.severity for f in result.findings] == ["emergency", "urgent", "review"]


def test_on_track_says_where_the_patient_is() -> None:
    result = check([{"weeks_after_onset": 8, "pain_trend": "worse"}])
    assert "Week 8" in result.summary and "pain building up" in result.summary
    assert result.expected_phase == "rising"


def test_visit_dated_from_onset() -> None:
    result = check([{"date": "2026-01-10", "pain_trend": "worse"}])  # onset 2025-09-20
    assert result.weeks_after_onset == pytest.approx(16.0)
    assert result.status == "act_soon"
    assert result.next_visit is not None and result.next_visit.due is not None
    assert result.next_visit.due > result.visit_date  # type: ignore[operator]


PREGNANCY = {
    "patient": {
        "age": 32,
        "sex": "female",
        "pregnancy": {"status": "pregnant", "gestational_weeks": 34},
    }
}


def test_postpartum_rule_fires_late_after_delivery_only() -> None:
    late = check(
        [{"weeks_after_onset": 40, "postpartum_weeks": 30, "pain_trend": "same"}], PREGNANCY
    )
    assert "not_settling_after_delivery" in [f.rule for f in late.findings]
    early = check(
        [{"weeks_after_onset": 20, "postpartum_weeks": 10, "pain_trend": "same"}], PREGNANCY
    )
    assert "not_settling_after_delivery" not in [f.rule for f in early.findings]
    man = check([{"weeks_after_onset": 40, "postpartum_weeks": 30, "pain_trend": "same"}])
    assert "not_settling_after_delivery" not in [f.rule for f in man.findings]


def test_missing_time_and_trend_are_warned_not_guessed() -> None:
    result = check([{"note": "doing fine"}])
    assert result.status == "on_track"
    assert len(result.warnings) == 2


@pytest.mark.parametrize(
    ("pains", "trend"),
    [([5, 7], "worse"), ([7, 5], "better"), ([5, 5.5], "same"), ([4, 0], "resolved")],
)
def test_pain_trend_from_scores(pains: list[float], trend: str) -> None:
    visits = [VisitRecord(weeks_after_onset=4 * i, pain=p) for i, p in enumerate(pains)]
    assert pain_trend(visits) == trend
