"""Registry fixtures: a fresh, migrated registry per test on SQLite (a file in tmp_path) and on
PostgreSQL (a new database per test on the server named by TOHIP_TEST_DATABASE_URL, default the
local test server). PostgreSQL tests skip, with the reason, when no server answers, unless
TOHIP_REQUIRE_POSTGRES=1 (CI), where they fail instead. Tests never touch TOHIP_DATABASE_URL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tohip.registry import db
from tohip.registry.schemas import Actor

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_URL = db.database_url(os.environ.get("TOHIP_TEST_DATABASE_URL", DEFAULT_PG))
ACTOR = Actor(name="tester")


def _pg_admin() -> Engine | None:
    engine = create_engine(
        PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        engine.dispose()
        return None
    return engine


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An autocommit connection to the PostgreSQL server, for creating test databases."""
    engine = _pg_admin()
    if engine is None:
        reason = f"PostgreSQL not reachable at {db.redacted(PG_URL)} (set TOHIP_TEST_DATABASE_URL)"
        if os.environ.get("TOHIP_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    yield engine
    engine.dispose()


@pytest.fixture()
def new_pg_url(pg_admin: Engine) -> Iterator[Callable[[], str]]:
    """Makes new, empty PostgreSQL databases for one test; all dropped afterwards."""
    names: list[str] = []

    def make() -> str:
        name = f"tohip_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with pg_admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    yield make
    with pg_admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture()
def pg_url(new_pg_url: Callable[[], str]) -> str:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    return new_pg_url()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture()
def engine(url: str) -> Iterator[Engine]:
    """A migrated registry on each backend."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _no_real_registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never let a test reach the user's own registry."""
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
