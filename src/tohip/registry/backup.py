"""Full backup and restore, record by record.

A backup is gzip-compressed JSON lines: a header (format, schema revision, row counts), one
line per row in foreign-key order, and a trailer with the SHA-256 of every row line. It holds
the identifiers: it is written with owner-only permissions and must be stored like the
database. Restore goes into a new database (it creates the schema at the backup's revision)
or an empty registry at that revision, in one transaction; it checks counts and digest
before loading, and appends a ``restore`` entry to the restored audit log.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select, text
from sqlalchemy.orm import Session

from tohip.errors import InputError
from tohip.io import gunzip_bounded, read_file_bytes, write_output
from tohip.registry.crud import audit
from tohip.registry.db import current_revision, upgrade
from tohip.registry.errors import RegistryInputError
from tohip.registry.orm import Base
from tohip.registry.schemas import Actor

FORMAT = "tohip.registry-backup/1"
BACKUP_MODE = 0o600
# Uncompressed size limit: a registry of 10,000 synthetic patients backs up to far less; a
# larger file is refused before it can fill memory (a gzip "bomb" stops here too).
MAX_BACKUP_BYTES = 256_000_000
TABLES = (
    "patients",
    "patient_identities",
    "episodes",
    "assessments",
    "visits",
    "outcomes",
    "audit_log",
)
SERIAL = ("patients", "episodes", "assessments", "visits", "audit_log")


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return {"$datetime": aware.astimezone(dt.UTC).isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        if "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
    return value


def rows(session: Session, name: str) -> list[dict[str, Any]]:
    """Every row of a table in primary-key order, with values in backup form."""
    table = _table(name)
    result = session.execute(select(table).order_by(*table.primary_key.columns))
    return [{k: _encode(v) for k, v in row._mapping.items()} for row in result]


def backup(session: Session, *, actor: Actor, target: Path, engine: Engine) -> dict[str, int]:
    """Write a consistent snapshot (one read transaction) to ``target`` atomically."""
    audit(session, actor=actor, action="backup", entity="registry", detail={"file": target.name})
    session.flush()
    data = {name: rows(session, name) for name in TABLES}
    counts = {name: len(data[name]) for name in TABLES}
    header = {
        "format": FORMAT,
        "revision": current_revision(engine),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rows": counts,
    }
    digest = hashlib.sha256()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as out:
        out.write((json.dumps(header) + "\n").encode())
        for name in TABLES:
            for row in data[name]:
                line = json.dumps({"table": name, "row": row}, sort_keys=True) + "\n"
                digest.update(line.encode())
                out.write(line.encode())
        out.write((json.dumps({"sha256": digest.hexdigest()}) + "\n").encode())
    write_output(target, buffer.getvalue(), mode=BACKUP_MODE)  # holds identifiers: owner only
    return counts


def _read(source: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    try:
        raw = read_file_bytes(source, limit=MAX_BACKUP_BYTES, kind="backup")
        text = gunzip_bounded(raw, limit=MAX_BACKUP_BYTES, origin=str(source)).decode()
    except UnicodeDecodeError:
        raise RegistryInputError(f"{source}: not a tohip registry backup (not UTF-8)") from None
    except InputError as exc:
        raise RegistryInputError(str(exc)) from None
    lines = text.splitlines(keepends=True)
    try:
        header, trailer = json.loads(lines[0]), json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        raise RegistryInputError(f"{source}: not a tohip registry backup") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise RegistryInputError(f"{source}: not a tohip registry backup ({FORMAT})")
    digest = hashlib.sha256("".join(lines[1:-1]).encode()).hexdigest()
    if not isinstance(trailer, dict) or trailer.get("sha256") != digest:
        raise RegistryInputError(f"{source}: checksum mismatch; the backup is damaged")
    data: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    try:
        for line in lines[1:-1]:
            record = json.loads(line)
            data[record["table"]].append({k: _decode(v) for k, v in record["row"].items()})
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise RegistryInputError(f"{source}: a record is not in backup form; damaged") from None
    if {k: len(v) for k, v in data.items()} != header.get("rows"):
        raise RegistryInputError(f"{source}: row counts do not match the header")
    return header, data


def restore(session: Session, *, actor: Actor, source: Path, engine: Engine) -> dict[str, int]:
    """Load a backup into this empty registry (caller's transaction)."""
    header, data = _read(source)
    revision = current_revision(engine)
    if revision is None:  # a new database: create the schema the backup was taken at
        upgrade(engine, str(header["revision"]))
        revision = current_revision(engine)
    if header["revision"] != revision:
        raise RegistryInputError(
            f"{source}: backup is at schema {header['revision']}, this registry at {revision}"
        )
    for name in TABLES:
        if session.scalar(select(func.count()).select_from(_table(name))):
            raise RegistryInputError(
                f"the target registry is not empty ({name}); restore into a new database "
                "(restore creates the schema itself)"
            )
    for name in TABLES:
        if data[name]:
            session.execute(insert(_table(name)), data[name])
    if engine.dialect.name == "postgresql":
        for name in SERIAL:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {name}), 0) + 1, false)"
                )
            )
    audit(
        session,
        actor=actor,
        action="restore",
        entity="registry",
        detail={"file": source.name, "rows": header["rows"]},
    )
    return dict(header["rows"])
