"""Engine and session factory, and the schema migrations. Nothing connects at import time.

The registry lives in SQLite by default, in a file in the user's data directory (no set-up), or
in PostgreSQL when ``TOHIP_DATABASE_URL`` (or ``--db``) names one, e.g.
``postgresql+psycopg://tohip@db.clinic.local/tohip``. SQLite runs in WAL mode with
``synchronous=FULL`` and foreign keys on, so a killed process never leaves a half-written
transaction and every committed one survives.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from tohip.registry.errors import RegistryInputError, SchemaError

DATABASE_URL_ENV = "TOHIP_DATABASE_URL"
SQLITE_FILE = "registry.sqlite3"
SQLITE_BUSY_MS = 30_000


def default_sqlite_path() -> Path:
    """``registry.sqlite3`` in the platform's user data directory (e.g. ~/.local/share/tohip)."""
    import platformdirs

    return platformdirs.user_data_path("tohip", appauthor=False) / SQLITE_FILE


def database_url(explicit: str | None = None) -> str:
    """The URL to use: ``explicit``, else ``$TOHIP_DATABASE_URL``, else the default SQLite file."""
    url = explicit or os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{default_sqlite_path()}"
    # plain postgres URLs get the psycopg 3 driver pinned in pyproject.toml
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redacted(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # take over transaction control from pysqlite so BEGIN is emitted by SQLAlchemy (below)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str | None = None) -> Engine:
    """A new engine for ``url`` (see ``database_url``); creates the SQLite file's folder."""
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a long message
        raise RegistryInputError(f"not a database URL: {redacted_safe(resolved)}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise RegistryInputError(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
        )
    return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def redacted_safe(url: str) -> str:
    """Best effort at hiding a password in a string that may not parse as a URL."""
    head, sep, tail = url.partition("@")
    if not sep or "//" not in head:
        return url
    scheme, _, auth = head.partition("//")
    user = auth.split(":", 1)[0]
    return f"{scheme}//{user}:***@{tail}" if ":" in auth else url


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (the CLI prints them afterwards)."""
    return sessionmaker(engine, expire_on_commit=False)


# ---------------------------------------------------------------------------- migrations


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "tohip.registry:migrations")
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (default: the newest), in one transaction."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema down to ``revision`` (``base`` drops every registry table)."""
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), revision)


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    if head is None:  # pragma: no cover - the package ships its migrations
        raise SchemaError("the registry migrations are missing from this installation")
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an uninitialised one."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def require_current(engine: Engine) -> None:
    """Refuse to work on a database whose schema is missing or at another revision."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    where = redacted(engine.url.render_as_string(hide_password=False))
    if current is None:
        raise SchemaError(f"no registry at {where}; run 'tohip registry init' first")
    raise SchemaError(
        f"registry at {where} is at schema {current}, this tohip needs {head}; "
        "run 'tohip registry init' to upgrade"
    )


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
