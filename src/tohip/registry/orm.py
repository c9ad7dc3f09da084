"""The registry's tables (SQLAlchemy 2 declarative, typed with ``Mapped``).

Identifiers are kept apart: ``patients`` holds only a pseudonym and clinical facts; names,
record numbers, birth dates and the secret research key and date shift are in
``patient_identities``, which neither the research views nor the export read directly.
Assessments and the audit log are append-only (guarded here and by database triggers).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    UOWTransaction,
    mapped_column,
    relationship,
)

from tohip.registry import vocab
from tohip.registry.errors import PermissionDenied

JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _one_of(column: str, values: type[StrEnum] | tuple[str, ...], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in (values if isinstance(values, tuple) else list(values)))
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: DateTime(timezone=True)}  # noqa: RUF012


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (_one_of("sex", vocab.Sex, "ck_patients_sex"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    sex: Mapped[str | None] = mapped_column(String(8))
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    identity: Mapped[PatientIdentity] = relationship(back_populates="patient")
    episodes: Mapped[list[Episode]] = relationship(
        back_populates="patient", order_by="Episode.onset_date, Episode.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PatientIdentity(Base):
    """Direct identifiers and the per-patient research secrets. Never exported."""

    __tablename__ = "patient_identities"

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )
    full_name: Mapped[str | None] = mapped_column(String(200))
    mrn: Mapped[str | None] = mapped_column(String(64), unique=True)
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    research_id: Mapped[str] = mapped_column(String(32), unique=True)
    date_shift_days: Mapped[int] = mapped_column(Integer)

    patient: Mapped[Patient] = relationship(back_populates="identity")


class Episode(Base):
    __tablename__ = "episodes"
    __table_args__ = (
        _one_of("joint", vocab.Joint, "ck_episodes_joint"),
        _one_of("side", vocab.Side, "ck_episodes_side"),
        _one_of("treatment", vocab.Treatment, "ck_episodes_treatment"),
        CheckConstraint("age_at_onset BETWEEN 0 AND 120", name="ck_episodes_age"),
        Index("ix_episodes_patient", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="RESTRICT"))
    joint: Mapped[str] = mapped_column(String(16), default=vocab.Joint.HIP.value)
    side: Mapped[str] = mapped_column(String(16))
    onset_date: Mapped[dt.date] = mapped_column(Date)
    age_at_onset: Mapped[int | None] = mapped_column(Integer)
    pregnancy_associated: Mapped[bool] = mapped_column(default=False)
    treatment: Mapped[str] = mapped_column(String(32), default=vocab.Treatment.CONSERVATIVE.value)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    patient: Mapped[Patient] = relationship(back_populates="episodes")
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="episode", order_by="Assessment.assessed_at, Assessment.id"
    )
    visits: Mapped[list[Visit]] = relationship(
        back_populates="episode", order_by="Visit.visit_date, Visit.id"
    )
    outcome: Mapped[Outcome | None] = relationship(back_populates="episode")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Assessment(Base):
    """An immutable snapshot: the input as given, tohip's output, and the versions behind it."""

    __tablename__ = "assessments"
    __table_args__ = (
        _one_of("input_kind", vocab.InputKind, "ck_assessments_kind"),
        CheckConstraint("top_probability BETWEEN 0 AND 1", name="ck_assessments_top_p"),
        Index("ix_assessments_episode", "episode_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id", ondelete="RESTRICT"))
    assessed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    input_kind: Mapped[str] = mapped_column(String(16))
    input_snapshot: Mapped[str] = mapped_column(Text)
    input_sha256: Mapped[str] = mapped_column(String(64))
    output: Mapped[dict[str, Any]] = mapped_column(JSONType)
    probabilities: Mapped[dict[str, float]] = mapped_column(JSONType)
    top_condition: Mapped[str] = mapped_column(String(48))
    top_probability: Mapped[float] = mapped_column(Float)
    kb_version: Mapped[str] = mapped_column(String(32))
    tool_version: Mapped[str] = mapped_column(String(32))

    episode: Mapped[Episode] = relationship(back_populates="assessments")


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (
        CheckConstraint("pain_score BETWEEN 0 AND 10", name="ck_visits_pain"),
        _one_of("weight_bearing", vocab.WeightBearing, "ck_visits_weight_bearing"),
        _one_of("imaging_modality", vocab.ImagingModality, "ck_visits_modality"),
        _one_of("imaging_result", vocab.ImagingResult, "ck_visits_result"),
        Index("ix_visits_episode", "episode_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id", ondelete="RESTRICT"))
    visit_date: Mapped[dt.date] = mapped_column(Date)
    pain_score: Mapped[int] = mapped_column(Integer)
    weight_bearing: Mapped[str] = mapped_column(String(16))
    imaging_modality: Mapped[str] = mapped_column(String(16), default="none")
    imaging_result: Mapped[str] = mapped_column(String(24), default="not_done")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    episode: Mapped[Episode] = relationship(back_populates="visits")


class Outcome(Base):
    __tablename__ = "outcomes"
    __table_args__ = (
        _one_of("final_diagnosis", vocab.DIAGNOSES, "ck_outcomes_diagnosis"),
        _one_of("confirmed_by", vocab.Confirmation, "ck_outcomes_confirmed_by"),
        _one_of("recurrence_site", vocab.RecurrenceSite, "ck_outcomes_recurrence_site"),
        CheckConstraint(
            "(recurrence_date IS NULL) = (recurrence_site IS NULL)", name="ck_outcomes_recurrence"
        ),
    )

    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episodes.id", ondelete="RESTRICT"), primary_key=True
    )
    final_diagnosis: Mapped[str] = mapped_column(String(48))
    confirmed_by: Mapped[str] = mapped_column(String(24))
    resolution_date: Mapped[dt.date | None] = mapped_column(Date)
    recurrence_date: Mapped[dt.date | None] = mapped_column(Date)
    recurrence_site: Mapped[str | None] = mapped_column(String(24))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    episode: Mapped[Episode] = relationship(back_populates="outcome")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AuditEntry(Base):
    """Who read or changed what, and when. Append-only; details never hold identifiers."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


APPEND_ONLY = (Assessment, AuditEntry)


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_append_only(
    session: Session, _context: UOWTransaction, _instances: object
) -> None:
    """Assessments and audit entries are written once; the database triggers agree."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, APPEND_ONLY) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionDenied(f"{type(obj).__tablename__} are append-only")
