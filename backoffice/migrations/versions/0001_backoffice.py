"""Back office: users, server-side sessions, audit log, index versions, review queue.

Revision ID: bo0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "bo0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "backoffice_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "backoffice_sessions",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_table(
        "backoffice_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False, index=True),
        sa.Column("target", sa.String(256), nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
        sa.Column("detail", sa.Text),
    )
    op.create_table(
        "backoffice_index_versions",
        sa.Column("version", sa.String(64), primary_key=True),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("built_by", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("published_by", sa.String(64)),
        sa.Column("recall5", sa.Float),
        sa.Column("mrr5", sa.Float),
        sa.Column("baseline_version", sa.String(64)),
        sa.Column("baseline_recall5", sa.Float),
        sa.Column("baseline_mrr5", sa.Float),
        sa.Column("broken", sa.JSON),
        sa.Column("override_reason", sa.Text),
    )
    op.create_table(
        "backoffice_review_handled",
        sa.Column("item", sa.String(64), primary_key=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "backoffice_review_handled",
        "backoffice_index_versions",
        "backoffice_audit",
        "backoffice_sessions",
        "backoffice_users",
    ):
        op.drop_table(table)
