"""Deterministic registry records for tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tohip.registry import crud
from tohip.registry.backup import TABLES
from tohip.registry.orm import Base
from tohip.registry.schemas import (
    Actor,
    EpisodeCreate,
    IdentityCreate,
    PatientCreate,
    VisitCreate,
)

ONSET = dt.date(2025, 3, 1)


def add_patient(session: Session, actor: Actor, *, mrn: str = "MRN-1", age: int = 44) -> int:
    """A patient (man, 44, with identifiers) and one left-hip episode; returns the episode id."""
    patient = crud.create_patient(
        session,
        actor=actor,
        patient=PatientCreate(
            sex="male",
            identity=IdentityCreate(
                full_name="John Example", mrn=mrn, date_of_birth=dt.date(1981, 1, 2)
            ),
        ),
    )
    episode = crud.add_episode(
        session,
        actor=actor,
        pseudonym=patient.pseudonym,
        episode=EpisodeCreate(side="left", onset_date=ONSET, age_at_onset=age),
    )
    crud.add_visit(
        session,
        actor=actor,
        episode_id=episode.id,
        visit=VisitCreate(
            visit_date=ONSET + dt.timedelta(days=30), pain_score=6, weight_bearing="partial"
        ),
    )
    return episode.id


def counts(session: Session) -> dict[str, int]:
    return {
        name: session.scalar(select(func.count()).select_from(Base.metadata.tables[name])) or 0
        for name in TABLES
    }
