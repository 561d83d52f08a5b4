"""The status of every reply (answered, clarification, declined …) and the ids
of applied writes, so a replayed write is recognised and skipped.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.add_column("answers", sa.Column("status", sa.String(32), nullable=False, server_default="answered"))
    op.create_index("ix_answers_status", "answers", ["status"])
    op.create_table(
        "applied_writes",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("applied_writes")
    op.drop_index("ix_answers_status", "answers")
    op.drop_column("answers", "status")
