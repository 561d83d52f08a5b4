"""The back office's database: the feedback store's, migrated to the latest revision on open."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from feedback.store import migrate as migrate_feedback
from feedback.store import migrate as migrate_history

MIGRATIONS = Path(__file__).with_name("migrations")


def migrate(engine: Engine) -> None:
    """The back office's own Alembic history (its own version table)."""
    migrate_history(engine, MIGRATIONS)


class Database:
    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        self.url = database_url
        self.engine = create_engine(url, pool_pre_ping=True)
        migrate_feedback(self.engine)  # the review queue and the dashboard read its tables
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()
