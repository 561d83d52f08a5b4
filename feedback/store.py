"""The feedback store: SQLite under var/ by default, PostgreSQL by URL.

One code path for both through SQLAlchemy; the schema is brought to the
latest Alembic revision when the store opens, so a new release migrates an
existing database in place.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from feedback.masking import hash_identifier, mask_personal_data
from feedback.models import HandoffRequest, UnansweredQuestion
from feedback.settings import FeedbackSettings

MIGRATIONS = Path(__file__).with_name("migrations")


def migrate(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class FeedbackStore:
    def __init__(self, database_url: str, hash_salt: str) -> None:
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, pool_pre_ping=True)
        self.hash_salt = hash_salt
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: FeedbackSettings | None = None) -> FeedbackStore:
        settings = settings or FeedbackSettings.from_env()
        return cls(settings.database_url, settings.hash_salt)

    def session(self) -> Session:
        return self._sessions()

    def conversation_hash(self, sender_id: str) -> str:
        return hash_identifier(sender_id, self.hash_salt)

    def record_unanswered(
        self, sender_id: str, channel: str, question: str, best_confidence: float, index_version: str
    ) -> UnansweredQuestion:
        row = UnansweredQuestion(
            conversation=self.conversation_hash(sender_id),
            channel=channel,
            question=mask_personal_data(question),
            best_confidence=best_confidence,
            index_version=index_version,
        )
        with self.session() as session, session.begin():
            session.add(row)
        return row

    def record_handoff(self, sender_id: str, channel: str, transcript: list[dict[str, str]]) -> HandoffRequest:
        masked = [{"who": line["who"], "text": mask_personal_data(line["text"])} for line in transcript]
        row = HandoffRequest(
            reference="HT-" + secrets.token_hex(3).upper(),
            conversation=self.conversation_hash(sender_id),
            channel=channel,
            transcript=masked,
        )
        with self.session() as session, session.begin():
            session.add(row)
        return row

    def unanswered_counts(self) -> list[tuple[str, int]]:
        """Unanswered questions, most frequent first."""
        with self.session() as session:
            rows = session.execute(
                select(UnansweredQuestion.question, func.count())
                .group_by(UnansweredQuestion.question)
                .order_by(func.count().desc(), UnansweredQuestion.question)
            )
            return [(question, count) for question, count in rows]

    def handoffs(self, status: str = "open") -> list[HandoffRequest]:
        with self.session() as session:
            return list(session.scalars(select(HandoffRequest).where(HandoffRequest.status == status)))
