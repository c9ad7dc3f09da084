"""Registry tables: patients, identities kept apart, episodes, assessments, visits, outcomes,
audit log.

Revision ID: 0001
Revises: -
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("detail", JSON_TYPE, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_entity", "audit_log", ["entity", "entity_id"])

    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=32), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("sex IN ('male', 'female')", name="ck_patients_sex"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pseudonym"),
    )
    op.create_table(
        "episodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("joint", sa.String(length=16), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("onset_date", sa.Date(), nullable=False),
        sa.Column("age_at_onset", sa.Integer(), nullable=True),
        sa.Column("pregnancy_associated", sa.Boolean(), nullable=False),
        sa.Column("treatment", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "joint IN ('hip', 'knee', 'ankle', 'foot', 'other')", name="ck_episodes_joint"
        ),
        sa.CheckConstraint("side IN ('left', 'right', 'bilateral')", name="ck_episodes_side"),
        sa.CheckConstraint(
            "treatment IN ('conservative', 'bisphosphonate', 'denosumab', 'teriparatide', 'iloprost', 'core_decompression', 'surgery_other', 'other')",
            name="ck_episodes_treatment",
        ),
        sa.CheckConstraint("age_at_onset BETWEEN 0 AND 120", name="ck_episodes_age"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_episodes_patient", "episodes", ["patient_id"])

    op.create_table(
        "patient_identities",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=True),
        sa.Column("mrn", sa.String(length=64), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("research_id", sa.String(length=32), nullable=False),
        sa.Column("date_shift_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("patient_id"),
        sa.UniqueConstraint("mrn"),
        sa.UniqueConstraint("research_id"),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("input_kind", sa.String(length=16), nullable=False),
        sa.Column("input_snapshot", sa.Text(), nullable=False),
        sa.Column("input_sha256", sa.String(length=64), nullable=False),
        sa.Column("output", JSON_TYPE, nullable=False),
        sa.Column("probabilities", JSON_TYPE, nullable=False),
        sa.Column("top_condition", sa.String(length=48), nullable=False),
        sa.Column("top_probability", sa.Float(), nullable=False),
        sa.Column("kb_version", sa.String(length=32), nullable=False),
        sa.Column("tool_version", sa.String(length=32), nullable=False),
        sa.CheckConstraint(
            "input_kind IN ('case', 'note', 'synthetic')", name="ck_assessments_kind"
        ),
        sa.CheckConstraint("top_probability BETWEEN 0 AND 1", name="ck_assessments_top_p"),
        sa.ForeignKeyConstraint(["episode_id"], ["episodes.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_assessments_episode", "assessments", ["episode_id"])

    op.create_table(
        "outcomes",
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("final_diagnosis", sa.String(length=48), nullable=False),
        sa.Column("confirmed_by", sa.String(length=24), nullable=False),
        sa.Column("resolution_date", sa.Date(), nullable=True),
        sa.Column("recurrence_date", sa.Date(), nullable=True),
        sa.Column("recurrence_site", sa.String(length=24), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "confirmed_by IN ('mri_resolution', 'clinical_course', 'imaging', 'histology', 'microbiology', 'surgery', 'other')",
            name="ck_outcomes_confirmed_by",
        ),
        sa.CheckConstraint(
            "final_diagnosis IN ('transient_osteoporosis', 'osteonecrosis', 'stress_fracture', 'subchondral_insufficiency_fracture', 'osteoarthritis', 'septic_arthritis', 'inflammatory_arthritis', 'neoplasm', 'other')",
            name="ck_outcomes_diagnosis",
        ),
        sa.CheckConstraint(
            "recurrence_site IN ('same_hip', 'contralateral_hip', 'other_joint')",
            name="ck_outcomes_recurrence_site",
        ),
        sa.CheckConstraint(
            "(recurrence_date IS NULL) = (recurrence_site IS NULL)", name="ck_outcomes_recurrence"
        ),
        sa.ForeignKeyConstraint(["episode_id"], ["episodes.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("episode_id"),
    )
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("pain_score", sa.Integer(), nullable=False),
        sa.Column("weight_bearing", sa.String(length=16), nullable=False),
        sa.Column("imaging_modality", sa.String(length=16), nullable=False),
        sa.Column("imaging_result", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "imaging_modality IN ('none', 'xray', 'mri', 'bone_scan', 'ct')",
            name="ck_visits_modality",
        ),
        sa.CheckConstraint(
            "imaging_result IN ('not_done', 'normal', 'marrow_edema', 'edema_improving', 'edema_resolved', 'osteopenia', 'fracture', 'collapse', 'other')",
            name="ck_visits_result",
        ),
        sa.CheckConstraint(
            "weight_bearing IN ('full', 'partial', 'none')", name="ck_visits_weight_bearing"
        ),
        sa.CheckConstraint("pain_score BETWEEN 0 AND 10", name="ck_visits_pain"),
        sa.ForeignKeyConstraint(["episode_id"], ["episodes.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_visits_episode", "visits", ["episode_id"])


def downgrade() -> None:
    op.drop_index("ix_visits_episode", table_name="visits")

    op.drop_table("visits")
    op.drop_table("outcomes")
    op.drop_index("ix_assessments_episode", table_name="assessments")

    op.drop_table("assessments")
    op.drop_table("patient_identities")
    op.drop_index("ix_episodes_patient", table_name="episodes")

    op.drop_table("episodes")
    op.drop_table("patients")
    op.drop_index("ix_audit_entity", table_name="audit_log")

    op.drop_table("audit_log")
