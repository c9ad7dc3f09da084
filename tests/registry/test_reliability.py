"""Reliability on both backends: migrations up and down, optimistic concurrency, append-only
guards, backup/restore record by record, crash safety under SIGKILL."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import REPO
from tests.registry.conftest import ACTOR
from tests.registry.helpers import add_patient, counts
from tohip.registry import backup, crud, db
from tohip.registry.errors import ConflictError
from tohip.registry.orm import Episode, Patient, Visit
from tohip.registry.schemas import EpisodeUpdate, OutcomeCreate
from tohip.registry.synthetic import draw_cohort, load_cohort


def test_migrations_up_and_down(url: str) -> None:
    """Every revision applies and reverts; base leaves only Alembic's own table."""
    engine = db.make_engine(url)
    try:
        db.upgrade(engine, "0001")
        assert db.current_revision(engine) == "0001"
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision() == "0002"
        db.downgrade(engine, "0001")
        assert db.current_revision(engine) == "0001"
        db.downgrade(engine, "base")
        assert db.current_revision(engine) is None
        assert db.table_names(engine) == ["alembic_version"]
        db.upgrade(engine)
        db.require_current(engine)
    finally:
        engine.dispose()


def test_two_clients_editing_one_episode_no_lost_update(engine: Engine) -> None:
    """Both load version 1; the first commit wins, the second gets a clear conflict."""
    factory = db.session_factory(engine)
    with factory.begin() as s:
        episode_id = add_patient(s, ACTOR)
    first, second = factory(), factory()
    try:
        first.begin()
        second.begin()
        one = crud.get_episode(first, episode_id=episode_id)
        two = crud.get_episode(second, episode_id=episode_id)
        assert one.version == two.version == 1
        crud.update_episode(
            first,
            actor=ACTOR,
            episode_id=episode_id,
            update=EpisodeUpdate(expected_version=1, treatment="bisphosphonate"),
        )
        first.commit()
        with pytest.raises(ConflictError, match="changed by someone else"):
            crud.record_outcome(
                second,
                actor=ACTOR,
                episode_id=episode_id,
                outcome=OutcomeCreate(final_diagnosis="osteonecrosis", confirmed_by="imaging"),
            )
        second.rollback()
    finally:
        first.close()
        second.close()
    with factory() as s:
        episode = s.get(Episode, episode_id)
        assert episode is not None
        assert (episode.treatment, episode.version, episode.outcome) == ("bisphosphonate", 2, None)
    with factory.begin() as s, pytest.raises(ConflictError, match="at version 2"):
        crud.record_outcome(
            s,
            actor=ACTOR,
            episode_id=episode_id,
            expected_version=1,
            outcome=OutcomeCreate(final_diagnosis="other", confirmed_by="other"),
        )


@pytest.mark.parametrize(
    "statement", ["UPDATE assessments SET top_condition = 'neoplasm'", "DELETE FROM audit_log"]
)
def test_assessments_and_audit_log_are_append_only_in_the_database(
    engine: Engine, statement: str
) -> None:
    factory = db.session_factory(engine)
    with factory.begin() as s:
        load_cohort(s, actor=ACTOR, cohort=draw_cohort(3, seed=1), kb_version="test")
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))


def test_backup_and_restore_round_trip_record_by_record(
    engine: Engine, url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    factory = db.session_factory(engine)
    with factory.begin() as s:
        episode_id = add_patient(s, ACTOR)
        crud.record_outcome(
            s,
            actor=ACTOR,
            episode_id=episode_id,
            outcome=OutcomeCreate(
                final_diagnosis="transient_osteoporosis",
                confirmed_by="mri_resolution",
                resolution_date=dt.date(2025, 9, 1),
                recurrence_date=dt.date(2026, 1, 5),
                recurrence_site="contralateral_hip",
            ),
        )
        load_cohort(s, actor=ACTOR, cohort=draw_cohort(40, seed=3), kb_version="test")
    file = tmp_path / "registry.jsonl.gz"
    with factory.begin() as s:
        backup.backup(s, actor=ACTOR, target=file, engine=engine)
    assert file.stat().st_mode & 0o777 == 0o600
    with factory() as s:
        original = {name: backup.rows(s, name) for name in backup.TABLES}
    if url.startswith("sqlite"):
        target_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    else:
        target_url = str(request.getfixturevalue("new_pg_url")())
    target = db.make_engine(target_url)
    try:
        with db.session_factory(target).begin() as s:
            backup.restore(s, actor=ACTOR, source=file, engine=target)
        with db.session_factory(target)() as s:
            restored = {name: backup.rows(s, name) for name in backup.TABLES}
        for name in backup.TABLES:
            extra = restored[name][len(original[name]) :]
            assert restored[name][: len(original[name])] == original[name], name
            assert [r["action"] for r in extra] == (["restore"] if name == "audit_log" else [])
        with db.session_factory(target).begin() as s:  # sequences continue after restored ids
            add_patient(s, ACTOR, mrn="MRN-after-restore")
    finally:
        target.dispose()


def test_restore_refuses_a_damaged_backup(engine: Engine, tmp_path: Path) -> None:
    import gzip

    file = tmp_path / "b.jsonl.gz"
    with db.session_factory(engine).begin() as s:
        add_patient(s, ACTOR)
        backup.backup(s, actor=ACTOR, target=file, engine=engine)
    with gzip.open(file, "rt") as stream:
        lines = stream.read().splitlines(keepends=True)
    lines[1] = lines[1].replace("male", "female")
    with gzip.open(file, "wt") as out:
        out.write("".join(lines))
    fresh = db.make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    with (
        pytest.raises(Exception, match="checksum mismatch"),
        db.session_factory(fresh).begin() as s,
    ):
        backup.restore(s, actor=ACTOR, source=file, engine=fresh)
    fresh.dispose()


@pytest.mark.slow
def test_sigkill_mid_write_leaves_every_committed_record(engine: Engine, url: str) -> None:
    """A real writer process is killed while writing; everything it reported committed is
    there, nothing half-written is, and the database is intact."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.registry.crash_writer", url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    committed: list[int] = []
    for line in proc.stdout:
        committed.append(int(line))
        if len(committed) >= 30:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    reopened = db.make_engine(url)
    try:
        with reopened.connect() as conn:
            if reopened.dialect.name == "sqlite":
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        with db.session_factory(reopened)() as s:
            episodes = {e.id: e for e in s.scalars(select(Episode))}
            assert set(committed) <= set(episodes)
            for episode in episodes.values():  # every transaction complete or absent
                assert len(episode.visits) == 3
                assert len(episode.assessments) == 0
                assert episode.patient.identity is not None
            assert len(s.scalars(select(Visit)).all()) == 3 * len(episodes)
            assert len(s.scalars(select(Patient)).all()) == len(episodes)
            c = counts(s)
            assert c["patient_identities"] == c["patients"]
    finally:
        reopened.dispose()
