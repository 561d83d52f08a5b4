"""Answers, their ratings, and end-of-conversation CSAT.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "answers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("conversation", sa.String(64), nullable=False, index=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("entry_ids", sa.JSON, nullable=False),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("index_version", sa.String(64), nullable=False),
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("answer_id", sa.String(32), sa.ForeignKey("answers.id"), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("satisfied", sa.Boolean),
        sa.Column("reason", sa.String(32)),
        sa.Column("comment", sa.Text),
    )
    op.create_table(
        "conversation_ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("conversation", sa.String(64), nullable=False),
        sa.Column("session", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("stars", sa.Integer, nullable=False),
        sa.UniqueConstraint("conversation", "session"),
    )


def downgrade() -> None:
    op.drop_table("conversation_ratings")
    op.drop_table("ratings")
    op.drop_table("answers")
