"""Alembic environment: the connection comes from ``tohip.registry.db`` (no alembic.ini, no
URL here), so migrations run in the caller's transaction on SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic import context

from tohip.registry.orm import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through tohip.registry.db.upgrade / 'tohip registry init'")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
