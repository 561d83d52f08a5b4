"""Alembic environment of the back office tables (their own version table)."""

from alembic import context

from backoffice.models import Base

VERSION_TABLE = "backoffice_alembic_version"
connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=True, version_table=VERSION_TABLE
)
with context.begin_transaction():
    context.run_migrations()
