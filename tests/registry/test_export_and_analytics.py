"""De-identified export and the analytics, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import ProgrammingError

from tests.registry.conftest import ACTOR
from tests.registry.helpers import add_patient
from tohip.conditions import CONDITION_IDS
from tohip.registry import analytics, crud, db
from tohip.registry.export import export_research
from tohip.registry.orm import PatientIdentity
from tohip.registry.schemas import OutcomeCreate, VisitCreate
from tohip.registry.synthetic import draw_cohort, load_cohort


def test_export_removes_identifiers_shifts_dates_and_groups_old_ages(
    engine: Engine, tmp_path: Path
) -> None:
    factory = db.session_factory(engine)
    with factory.begin() as s:
        young = add_patient(s, ACTOR, mrn="MRN-young", age=44)
        old = add_patient(s, ACTOR, mrn="MRN-old", age=93)
        crud.add_visit(
            s,
            actor=ACTOR,
            episode_id=young,
            visit=VisitCreate(visit_date=dt.date(2025, 5, 1), pain_score=2, weight_bearing="full"),
        )
        crud.record_outcome(
            s,
            actor=ACTOR,
            episode_id=young,
            outcome=OutcomeCreate(
                final_diagnosis="transient_osteoporosis",
                confirmed_by="clinical_course",
                resolution_date=dt.date(2025, 8, 29),
            ),
        )
        shifts = dict(
            s.execute(select(PatientIdentity.research_id, PatientIdentity.date_shift_days)).all()
        )
    with factory.begin() as s:
        manifest = export_research(s, actor=ACTOR, directory=tmp_path)
    assert manifest["rows"] == {"research_episodes": 2, "research_visits": 3}
    for name in ("research_episodes.csv", "research_visits.csv"):
        content = (tmp_path / name).read_text()
        for secret in ("John Example", "MRN-", "1981-01-02", "TH-"):
            assert secret not in content
    episodes = pd.read_parquet(tmp_path / "research_episodes.parquet")
    assert sorted(episodes["age_at_onset"]) == ["44", "90+"]
    row = episodes[episodes["age_at_onset"] == "44"].iloc[0]
    shift = dt.timedelta(days=shifts[row["research_id"]])
    assert shift.days != 0
    assert row["onset_date"] == dt.date(2025, 3, 1) + shift
    assert row["resolution_date"] == dt.date(2025, 8, 29) + shift
    assert row["days_to_resolution"] == 181
    visits = pd.read_csv(tmp_path / "research_visits.csv")
    mine = visits[visits["research_id"] == row["research_id"]].sort_values("days_since_onset")
    assert list(mine["days_since_onset"]) == [30, 61]
    assert old  # the 93-year-old is exported only as 90+


@pytest.mark.postgres
def test_researcher_role_reads_only_the_export(pg_url: str, tmp_path: Path) -> None:
    engine = db.make_engine(pg_url)
    db.upgrade(engine)
    factory = db.session_factory(engine)
    with factory.begin() as s:
        add_patient(s, ACTOR)
    with factory.begin() as s:
        s.execute(text("SET LOCAL ROLE tohip_researcher"))
        manifest = export_research(s, actor=ACTOR, directory=tmp_path)
        assert manifest["rows"]["research_episodes"] == 1
    for table in ("patients", "patient_identities", "episodes", "assessments", "audit_log"):
        with pytest.raises(ProgrammingError, match="permission denied"), factory.begin() as s:
            s.execute(text("SET LOCAL ROLE tohip_researcher"))
            s.execute(text(f"SELECT * FROM {table}"))
    engine.dispose()


def test_analytics_on_a_synthetic_cohort(engine: Engine, tmp_path: Path) -> None:
    with db.session_factory(engine).begin() as s:
        load_cohort(s, actor=ACTOR, cohort=draw_cohort(400, seed=7), kb_version="2026.11.0")
    with db.session_factory(engine)() as s:
        km = analytics.kaplan_meier(s)
        rec = analytics.recurrence(s)
        cal = analytics.calibration(s)
    assert km["synthetic"] and km["episodes"] > 20
    assert set(km["comparisons"]) == {"pregnancy", "sex", "treatment"}
    assert km["comparisons"]["sex"]["logrank_p"] is not None
    assert 0 <= rec["recurrence"]["rate"] <= 1
    assert rec["migration"]["k"] <= rec["recurrence"]["k"]
    assert cal["episodes"] == 400 and cal["caveat"]
    assert set(cal["brier_by_kb_version"]) == {"2026.11.0"}
    assert sum(b["n"] for b in cal["reliability"]) == 400 * len(CONDITION_IDS)
    png = analytics.plot_kaplan_meier(km, tmp_path / "km.png")
    assert png.read_bytes()[:4] == b"\x89PNG"
    svg = analytics.plot_reliability(cal, tmp_path / "reliability.svg").read_text()
    assert "SYNTHETIC" in svg


def test_the_synthetic_cohort_is_reproducible_and_drawn_from_the_kb() -> None:
    a, b = draw_cohort(50, seed=9), draw_cohort(50, seed=9)
    assert [e.findings for e in a] == [e.findings for e in b]
    for e in a:
        assert abs(sum(e.probabilities.values()) - 1) < 1e-6
        if e.resolution is not None:
            assert e.final_diagnosis == "transient_osteoporosis"
            assert 4 <= (e.resolution - e.onset).days / 7 <= 60
