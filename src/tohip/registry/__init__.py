"""The follow-up registry (issue 12): pseudonymous patients followed from assessment to outcome.

Layers, each importable on its own and none touching a database at import time:

- ``db``: engine and session factory (SQLite in the user's data directory by default,
  PostgreSQL when ``TOHIP_DATABASE_URL`` is set) and the Alembic migrations;
- ``orm``: the tables; ``schemas``: pydantic input (``*Create``) and output (``*Public``) shapes;
- ``crud``: keyword-only operations on a session, each validated, audited and atomic;
- ``assessing``: the one place the registry calls tohip's assessment;
- ``analytics``: Kaplan-Meier, recurrence and migration, accuracy and calibration, with plots;
- ``synthetic``: a SYNTHETIC cohort drawn from the knowledge base, for demos, tests and speed;
- ``export``: the de-identified research export; ``backup``: full backup and restore.
"""
