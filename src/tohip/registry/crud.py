"""Registry operations. Every function takes the session first and keyword-only arguments,
validates against the stored record, writes its audit entry and flushes, so database errors
surface here as ``RegistryInputError`` / ``ConflictError``. The caller owns the transaction:
wrap a whole operation in ``with session.begin():`` and nothing is stored half-way.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, defer, selectinload
from sqlalchemy.orm.exc import StaleDataError

from tohip.registry.assessing import AssessmentRecord
from tohip.registry.errors import ConflictError, NotFoundError, RegistryInputError
from tohip.registry.orm import (
    Assessment,
    AuditEntry,
    Episode,
    Outcome,
    Patient,
    PatientIdentity,
    Visit,
)
from tohip.registry.schemas import (
    Actor,
    EpisodeCreate,
    EpisodeUpdate,
    IdentityPublic,
    OutcomeCreate,
    PatientCreate,
    PatientList,
    PatientPublic,
    PatientSummary,
    VisitCreate,
)

PSEUDONYM_PREFIX = "TH-"
_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
MAX_DATE_SHIFT_DAYS = 365


def new_pseudonym() -> str:
    """A random pseudonym such as ``TH-7KQ2-M9XD`` (40 bits), unrelated to any identifier."""
    chars = "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(8))
    return f"{PSEUDONYM_PREFIX}{chars[:4]}-{chars[4:]}"


def new_date_shift() -> int:
    """A secret per-patient offset in days, never zero, within a year either way."""
    shift = 0
    while shift == 0:
        shift = secrets.randbelow(2 * MAX_DATE_SHIFT_DAYS + 1) - MAX_DATE_SHIFT_DAYS
    return shift


def audit(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one audit entry. ``detail`` must not hold identifiers (names, MRNs, dates)."""
    session.add(
        AuditEntry(
            actor=actor.name,
            role=actor.role.value,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            detail=detail or {},
        )
    )


@contextmanager
def _flushing(session: Session, what: str) -> Iterator[None]:
    """Flush, turning constraint violations and lost races into the registry's errors."""
    try:
        yield
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"{what} was changed by someone else since you loaded it; reload and try again"
        ) from None
    except OperationalError as exc:
        # SQLite refuses a write from a read snapshot another writer has since overtaken
        if "locked" not in str(exc.orig):
            raise
        raise ConflictError(
            f"{what} is being changed by someone else (database locked); reload and try again"
        ) from None
    except IntegrityError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else "constraint violated"
        raise RegistryInputError(f"{what} rejected by the database: {reason}") from None


def _get_patient(session: Session, pseudonym: str) -> Patient:
    patient = session.scalar(select(Patient).where(Patient.pseudonym == pseudonym))
    if patient is None:
        raise NotFoundError(f"no patient with pseudonym {pseudonym!r}")
    return patient


def get_episode(session: Session, *, episode_id: int, lock: bool = False) -> Episode:
    query = select(Episode).where(Episode.id == episode_id)
    episode = session.scalar(query.with_for_update() if lock else query)
    if episode is None:
        raise NotFoundError(f"no episode {episode_id}")
    return episode


def create_patient(session: Session, *, actor: Actor, patient: PatientCreate) -> Patient:
    """A new pseudonymous patient; identifiers go to their own table."""
    ident = patient.identity
    if ident.mrn is not None:
        taken = session.scalar(
            select(Patient.pseudonym).join(PatientIdentity).where(PatientIdentity.mrn == ident.mrn)
        )
        if taken is not None:
            raise RegistryInputError(
                f"that record number is already registered as patient {taken}; "
                "add the episode with --patient"
            )
    record = Patient(
        pseudonym=new_pseudonym(),
        sex=None if patient.sex is None else patient.sex.value,
        synthetic=patient.synthetic,
    )
    record.identity = PatientIdentity(
        full_name=ident.full_name,
        mrn=ident.mrn,
        date_of_birth=ident.date_of_birth,
        research_id=secrets.token_hex(8),
        date_shift_days=new_date_shift(),
    )
    with _flushing(session, "patient"):
        session.add(record)
    audit(session, actor=actor, action="create", entity="patient", entity_id=record.pseudonym)
    return record


def add_episode(
    session: Session, *, actor: Actor, pseudonym: str, episode: EpisodeCreate
) -> Episode:
    patient = _get_patient(session, pseudonym)
    dob = patient.identity.date_of_birth
    if dob is not None and episode.onset_date < dob:
        raise RegistryInputError(f"onset {episode.onset_date} is before the date of birth")
    if episode.pregnancy_associated and patient.sex == "male":
        raise RegistryInputError("a pregnancy-associated episode for a male patient")
    record = Episode(
        patient=patient,
        joint=episode.joint.value,
        side=episode.side.value,
        onset_date=episode.onset_date,
        age_at_onset=episode.age_at_onset,
        pregnancy_associated=episode.pregnancy_associated,
        treatment=episode.treatment.value,
    )
    with _flushing(session, "episode"):
        session.add(record)
    audit(session, actor=actor, action="create", entity="episode", entity_id=record.id)
    return record


def add_assessment(
    session: Session, *, actor: Actor, episode_id: int, record: AssessmentRecord
) -> Assessment:
    """Store an immutable snapshot of one assessment under an episode."""
    get_episode(session, episode_id=episode_id)
    top, top_p = record.top
    row = Assessment(
        episode_id=episode_id,
        input_kind=record.input_kind.value,
        input_snapshot=record.input_snapshot,
        input_sha256=record.input_sha256,
        output=record.output,
        probabilities=record.probabilities,
        top_condition=top,
        top_probability=min(max(top_p, 0.0), 1.0),
        kb_version=record.kb_version,
        tool_version=record.tool_version,
    )
    with _flushing(session, "assessment"):
        session.add(row)
    audit(
        session,
        actor=actor,
        action="create",
        entity="assessment",
        entity_id=row.id,
        detail={"episode": episode_id, "kb_version": record.kb_version},
    )
    return row


def add_visit(session: Session, *, actor: Actor, episode_id: int, visit: VisitCreate) -> Visit:
    episode = get_episode(session, episode_id=episode_id)
    if visit.visit_date < episode.onset_date:
        raise RegistryInputError(
            f"visit date {visit.visit_date} is before the episode's onset {episode.onset_date}"
        )
    row = Visit(
        episode_id=episode_id,
        visit_date=visit.visit_date,
        pain_score=visit.pain_score,
        weight_bearing=visit.weight_bearing.value,
        imaging_modality=visit.imaging_modality.value,
        imaging_result=visit.imaging_result.value,
    )
    with _flushing(session, "visit"):
        session.add(row)
    audit(
        session,
        actor=actor,
        action="create",
        entity="visit",
        entity_id=row.id,
        detail={"episode": episode_id},
    )
    return row


def _check_version(episode: Episode, expected: int | None) -> None:
    if expected is not None and expected != episode.version:
        raise ConflictError(
            f"episode {episode.id} is at version {episode.version}, you edited version "
            f"{expected}; reload it and apply your change again"
        )


def record_outcome(
    session: Session,
    *,
    actor: Actor,
    episode_id: int,
    outcome: OutcomeCreate,
    expected_version: int | None = None,
) -> Outcome:
    """Record (or correct) how the episode ended. Bumps the episode's version, so two clients
    editing the same episode cannot both win."""
    episode = get_episode(session, episode_id=episode_id)
    _check_version(episode, expected_version)
    for label, day in (
        ("resolution", outcome.resolution_date),
        ("recurrence", outcome.recurrence_date),
    ):
        if day is not None and day < episode.onset_date:
            raise RegistryInputError(
                f"{label} date {day} is before the episode's onset {episode.onset_date}"
            )
    values = {
        "final_diagnosis": outcome.final_diagnosis,
        "confirmed_by": outcome.confirmed_by.value,
        "resolution_date": outcome.resolution_date,
        "recurrence_date": outcome.recurrence_date,
        "recurrence_site": None if outcome.recurrence_site is None else outcome.recurrence_site,
    }
    action = "update" if episode.outcome is not None else "create"
    with _flushing(session, f"episode {episode_id}"):
        if episode.outcome is None:
            episode.outcome = Outcome(**values)
        else:
            for key, value in values.items():
                setattr(episode.outcome, key, value)
        episode.updated_at = dt.datetime.now(dt.UTC)  # bumps the episode's version
    audit(
        session,
        actor=actor,
        action=action,
        entity="outcome",
        entity_id=episode_id,
        detail={"final_diagnosis": outcome.final_diagnosis, "episode_version": episode.version},
    )
    return episode.outcome


def update_episode(
    session: Session, *, actor: Actor, episode_id: int, update: EpisodeUpdate
) -> Episode:
    episode = get_episode(session, episode_id=episode_id)
    _check_version(episode, update.expected_version)
    changed = update.model_dump(exclude={"expected_version"}, exclude_none=True, mode="json")
    if changed.get("pregnancy_associated") and episode.patient.sex == "male":
        raise RegistryInputError("a pregnancy-associated episode for a male patient")
    with _flushing(session, f"episode {episode_id}"):
        for key, value in changed.items():
            setattr(episode, key, value)
        episode.updated_at = dt.datetime.now(dt.UTC)
    audit(
        session,
        actor=actor,
        action="update",
        entity="episode",
        entity_id=episode_id,
        detail={"fields": sorted(changed), "version": episode.version},
    )
    return episode


def patient_record(
    session: Session, *, actor: Actor, pseudonym: str, identifiers: bool = False
) -> PatientPublic:
    """Everything about one patient (one query per level); reading is audited.

    ``identifiers=True`` adds the direct identifiers and is audited as such.
    """
    query = (
        select(Patient)
        .where(Patient.pseudonym == pseudonym)
        .options(
            selectinload(Patient.episodes).options(
                selectinload(Episode.assessments).options(
                    defer(Assessment.output), defer(Assessment.input_snapshot)
                ),
                selectinload(Episode.visits),
                selectinload(Episode.outcome),
            )
        )
    )
    patient = session.scalar(query)
    if patient is None:
        raise NotFoundError(f"no patient with pseudonym {pseudonym!r}")
    public = PatientPublic.model_validate(patient)
    if identifiers:
        public = public.model_copy(
            update={"identifiers": IdentityPublic.model_validate(patient.identity)}
        )
    audit(
        session,
        actor=actor,
        action="read_identifiers" if identifiers else "read",
        entity="patient",
        entity_id=pseudonym,
    )
    return public


def list_patients(
    session: Session, *, actor: Actor, limit: int = 50, offset: int = 0
) -> PatientList:
    """Patients newest first, with episode counts (an episode is open until its outcome)."""
    episodes = (
        select(
            Episode.patient_id,
            func.count(Episode.id).label("episodes"),
            func.max(Episode.onset_date).label("last_onset"),
            func.sum(func.coalesce(Outcome.episode_id * 0, 1)).label("open_episodes"),
        )
        .outerjoin(Outcome, Outcome.episode_id == Episode.id)
        .group_by(Episode.patient_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Patient.pseudonym,
            Patient.sex,
            Patient.synthetic,
            func.coalesce(episodes.c.episodes, 0),
            episodes.c.last_onset,
            func.coalesce(episodes.c.open_episodes, 0),
        )
        .outerjoin(episodes, episodes.c.patient_id == Patient.id)
        .order_by(Patient.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.scalar(select(func.count(Patient.id))) or 0
    audit(
        session,
        actor=actor,
        action="list",
        entity="patient",
        detail={"limit": limit, "offset": offset, "returned": len(rows)},
    )
    return PatientList(
        data=[
            PatientSummary(
                pseudonym=p,
                sex=s,
                synthetic=bool(syn),
                episodes=int(n),
                last_onset=last,
                open_episodes=int(o),
            )
            for p, s, syn, n, last, o in rows
        ],
        count=total,
    )
