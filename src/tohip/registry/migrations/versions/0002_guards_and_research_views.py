"""Append-only guards, the de-identified research views and the researcher role.

- Triggers refuse UPDATE and DELETE on ``assessments`` and ``audit_log`` (both backends).
- ``research_episodes`` and ``research_visits`` are the only de-identified projection: no name,
  record number, birth date, pseudonym or internal id; dates shifted by the patient's secret
  offset (intervals kept); ages over 89 grouped as ``90+`` (HIPAA Safe Harbor).
- PostgreSQL: role ``tohip_researcher`` (NOLOGIN; grant it to a login role) may SELECT the two
  views and append to the audit log (reading back only the new entry's id), nothing else.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = ("assessments", "audit_log")
RESEARCHER = "tohip_researcher"


def _shift(column: str, postgres: bool) -> str:
    if postgres:
        return f"({column} + i.date_shift_days)"
    return f"date({column}, printf('%+d days', i.date_shift_days))"


def _days(later: str, earlier: str, postgres: bool) -> str:
    if postgres:
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _episode_no(alias: str) -> str:
    """The episode's rank within its patient (1 = first), instead of the internal id."""
    return (
        "(SELECT count(*) FROM episodes e2 WHERE e2.patient_id = "
        f"{alias}.patient_id AND (e2.onset_date < {alias}.onset_date OR "
        f"(e2.onset_date = {alias}.onset_date AND e2.id <= {alias}.id)))"
    )


def _first_assessment(column: str) -> str:
    return (
        f"(SELECT a.{column} FROM assessments a WHERE a.episode_id = e.id "
        "ORDER BY a.assessed_at, a.id LIMIT 1)"
    )


def _views(postgres: bool) -> tuple[str, str]:
    episodes = f"""
CREATE VIEW research_episodes AS
SELECT i.research_id AS research_id,
       {_episode_no("e")} AS episode_no,
       p.synthetic AS synthetic,
       p.sex AS sex,
       CASE WHEN e.age_at_onset IS NULL THEN NULL
            WHEN e.age_at_onset > 89 THEN '90+'
            ELSE CAST(e.age_at_onset AS VARCHAR(3)) END AS age_at_onset,
       e.pregnancy_associated AS pregnancy_associated,
       e.joint AS joint,
       e.side AS side,
       e.treatment AS treatment,
       {_shift("e.onset_date", postgres)} AS onset_date,
       o.final_diagnosis AS final_diagnosis,
       o.confirmed_by AS confirmed_by,
       {_shift("o.resolution_date", postgres)} AS resolution_date,
       {_days("o.resolution_date", "e.onset_date", postgres)} AS days_to_resolution,
       {_shift("o.recurrence_date", postgres)} AS recurrence_date,
       o.recurrence_site AS recurrence_site,
       (SELECT count(*) FROM visits v WHERE v.episode_id = e.id) AS n_visits,
       (SELECT max(v.visit_date) FROM visits v WHERE v.episode_id = e.id) IS NOT NULL
           AS has_follow_up,
       {_first_assessment("top_condition")} AS predicted_condition,
       {_first_assessment("top_probability")} AS predicted_probability,
       {_first_assessment("kb_version")} AS kb_version,
       {_first_assessment("tool_version")} AS tool_version
FROM episodes e
JOIN patients p ON p.id = e.patient_id
JOIN patient_identities i ON i.patient_id = e.patient_id
LEFT JOIN outcomes o ON o.episode_id = e.id
"""
    visits = f"""
CREATE VIEW research_visits AS
SELECT i.research_id AS research_id,
       {_episode_no("e")} AS episode_no,
       p.synthetic AS synthetic,
       {_shift("v.visit_date", postgres)} AS visit_date,
       {_days("v.visit_date", "e.onset_date", postgres)} AS days_since_onset,
       v.pain_score AS pain_score,
       v.weight_bearing AS weight_bearing,
       v.imaging_modality AS imaging_modality,
       v.imaging_result AS imaging_result
FROM visits v
JOIN episodes e ON e.id = v.episode_id
JOIN patients p ON p.id = e.patient_id
JOIN patient_identities i ON i.patient_id = e.patient_id
"""
    return episodes, visits


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(
            """
CREATE FUNCTION tohip_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$"""
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION tohip_refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION tohip_refuse_change()"
            )
    else:
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
                )
    for view in _views(postgres):
        op.execute(view)
    if postgres:
        op.execute(
            f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{RESEARCHER}') THEN
    CREATE ROLE {RESEARCHER} NOLOGIN;
  END IF;
END $$"""
        )
        op.execute(f"GRANT SELECT ON research_episodes, research_visits TO {RESEARCHER}")
        op.execute(f"GRANT INSERT ON audit_log TO {RESEARCHER}")
        op.execute(f"GRANT SELECT (id) ON audit_log TO {RESEARCHER}")  # for INSERT .. RETURNING
        op.execute(f"GRANT USAGE ON SEQUENCE audit_log_id_seq TO {RESEARCHER}")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # the role is cluster-wide and may serve other databases: revoke here, never drop
        op.execute(f"REVOKE ALL ON research_episodes, research_visits FROM {RESEARCHER}")
        op.execute(f"REVOKE ALL ON audit_log FROM {RESEARCHER}")
        op.execute(f"REVOKE ALL ON SEQUENCE audit_log_id_seq FROM {RESEARCHER}")
    op.execute("DROP VIEW research_visits")
    op.execute("DROP VIEW research_episodes")
    if postgres:
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION tohip_refuse_change()")
    else:
        for table in APPEND_ONLY:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
