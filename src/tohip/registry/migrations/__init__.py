"""Alembic migrations of the registry schema; run through ``tohip.registry.db.upgrade``."""
