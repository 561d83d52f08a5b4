"""The feedback store: SQLite under var/ by default, PostgreSQL by URL.

One code path for both through SQLAlchemy; the schema is brought to the
latest Alembic revision when the store opens, so a new release migrates an
existing database in place. Writes that fail because the database is
unreachable go to a local spool and are replayed later (spool.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from feedback.masking import hash_identifier, mask_personal_data
from feedback.models import (
    AnswerRecord,
    AppliedWrite,
    ConversationRating,
    HandoffRequest,
    Rating,
    UnansweredQuestion,
    utc_now,
)
from feedback.settings import FeedbackSettings
from feedback.spool import Operation, Spool

MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)

# Why a bad rating: the codes stored (their labels are in dialogue/texts.yml).
REASON_CODES = ("wrong_info", "hard_to_understand", "off_topic", "other")
MAX_COMMENT_CHARS = 1000


class Outcome(str, Enum):
    stored = "stored"
    updated = "updated"
    unchanged = "unchanged"  # the same rating again (a double click)
    queued = "queued"  # the database is unreachable; kept in the spool
    unknown_answer = "unknown_answer"
    invalid = "invalid"


def migrate(engine: Engine, script_location: Path = MIGRATIONS) -> None:
    """Bring a database up to the newest revision of one Alembic history."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Reply(NamedTuple):
    """One recorded reply, as the dashboard counts it."""

    conversation: str
    channel: str
    created_at: dt.datetime
    status: str
    question: str


class FeedbackStore:
    def __init__(self, database_url: str, hash_salt: str, spool_path: Path | None = None) -> None:
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, pool_pre_ping=True)
        self.hash_salt = hash_salt
        self.spool = Spool(spool_path or FeedbackSettings.default_spool())
        self._migrated = False
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        try:
            self._migrate()
        except OperationalError:
            log.warning("feedback database unreachable at start; writes are spooled until it is back")

    @classmethod
    def from_settings(cls, settings: FeedbackSettings | None = None) -> FeedbackStore:
        settings = settings or FeedbackSettings.from_env()
        return cls(settings.database_url, settings.hash_salt, settings.spool_path)

    def _migrate(self) -> None:
        if not self._migrated:
            migrate(self.engine)
            self._migrated = True

    def session(self) -> Session:
        return self._sessions()

    def conversation_hash(self, sender_id: str) -> str:
        return hash_identifier(sender_id, self.hash_salt)

    # -- writing, with the spool as the safety net -----------------------------

    def _submit(self, operation: Operation) -> Any:
        """Apply one write; queue it when the database cannot be reached. The
        time of the event and the write's id are fixed now, so a replayed write
        keeps its time and is recognised if it had in fact been applied."""
        operation = {**operation, "at": utc_now().isoformat(), "write_id": secrets.token_hex(16)}
        try:
            self._migrate()
            self.flush_spool()
            return self._apply(operation)
        except OperationalError:
            log.warning("feedback database unreachable; queued %s", operation["op"])
            self.spool.append(operation)
            return Outcome.queued

    def flush_spool(self) -> int:
        """Replay queued writes; only an unreachable database stops it (and the
        caller then queues its own write behind them)."""
        if not self.spool.path.exists():
            return 0
        replayed = self.spool.replay(self._apply, retry_later=(OperationalError,))
        if replayed:
            log.info("replayed %d queued feedback writes", replayed)
        return replayed

    def _apply(self, operation: Operation) -> Any:
        """One write in one transaction, recorded by its id: applying the same
        write twice changes nothing the second time."""
        handler: Callable[..., Any] = getattr(self, "_apply_" + operation["op"])
        write_id = operation.get("write_id")
        fields = {k: v for k, v in operation.items() if k not in ("op", "write_id")}
        with self.session() as session, session.begin():
            if write_id is not None:
                if session.get(AppliedWrite, write_id) is not None:
                    return Outcome.unchanged
                session.add(AppliedWrite(id=write_id, applied_at=self._now(fields.get("at"))))
            return handler(session, **fields)

    @staticmethod
    def _now(at: str | None) -> dt.datetime:
        return dt.datetime.fromisoformat(at) if at else utc_now()

    # -- what the assistant records --------------------------------------------

    def record_unanswered(
        self, sender_id: str, channel: str, question: str, best_confidence: float, index_version: str
    ) -> None:
        self._submit(
            {
                "op": "unanswered",
                "conversation": self.conversation_hash(sender_id),
                "channel": channel,
                "question": mask_personal_data(question),
                "best_confidence": best_confidence,
                "index_version": index_version,
            }
        )

    def _apply_unanswered(self, session: Session, at: str, **fields: Any) -> None:
        session.add(UnansweredQuestion(created_at=self._now(at), **fields))

    def record_handoff(self, sender_id: str, channel: str, transcript: list[dict[str, str]]) -> str:
        """Store the request with the conversation so far; the reference for the user."""
        reference = "HT-" + secrets.token_hex(3).upper()
        masked = [{"who": line["who"], "text": mask_personal_data(line["text"])} for line in transcript]
        self._submit(
            {
                "op": "handoff",
                "reference": reference,
                "conversation": self.conversation_hash(sender_id),
                "channel": channel,
                "transcript": masked,
            }
        )
        return reference

    def _apply_handoff(self, session: Session, at: str, **fields: Any) -> None:
        session.add(HandoffRequest(created_at=self._now(at), status="open", **fields))

    def record_answer(
        self,
        sender_id: str,
        channel: str,
        question: str,
        entry_ids: list[str],
        topic: str,
        index_version: str,
        status: str = "answered",
    ) -> str:
        """Store a reply before it is sent, with its status (answered,
        clarification, declined …); an answer's id goes into its rating buttons."""
        answer_id = secrets.token_hex(8)
        self._submit(
            {
                "op": "answer",
                "id": answer_id,
                "conversation": self.conversation_hash(sender_id),
                "channel": channel,
                "question": mask_personal_data(question),
                "entry_ids": entry_ids,
                "topic": topic,
                "index_version": index_version,
                "status": status,
            }
        )
        return answer_id

    def _apply_answer(self, session: Session, at: str, **fields: Any) -> None:
        session.add(AnswerRecord(created_at=self._now(at), **fields))

    def answer_exists(self, answer_id: str) -> bool | None:
        """Whether the answer was recorded (a reply that answered, not a
        clarification or a decline); None when the database cannot say."""
        if any(o["op"] == "answer" and o["id"] == answer_id for o in self.spool.pending()):
            return True
        try:
            with self.session() as session:
                answer = session.get(AnswerRecord, answer_id)
                return answer is not None and answer.status == "answered"
        except OperationalError:
            return None

    def rate(self, answer_id: str, satisfied: bool) -> Outcome:
        """Rate an answer (👍 = satisfied); a repeat changes nothing."""
        if self.answer_exists(answer_id) is False:
            return Outcome.unknown_answer
        return self._submit({"op": "rating", "answer_id": answer_id, "satisfied": satisfied})

    def _apply_rating(self, session: Session, at: str, answer_id: str, satisfied: bool) -> Outcome:
        if session.get(AnswerRecord, answer_id) is None:  # queued blind while the database was down
            return Outcome.unknown_answer
        rating = session.scalar(select(Rating).where(Rating.answer_id == answer_id))
        if rating is None:
            try:
                with session.begin_nested():
                    session.add(
                        Rating(
                            answer_id=answer_id, satisfied=satisfied, created_at=self._now(at), updated_at=self._now(at)
                        )
                    )
                return Outcome.stored
            except IntegrityError:  # a concurrent double click stored it first
                rating = session.scalar(select(Rating).where(Rating.answer_id == answer_id))
        if rating.satisfied == satisfied:
            return Outcome.unchanged
        rating.satisfied, rating.updated_at = satisfied, self._now(at)
        return Outcome.updated

    def explain(self, answer_id: str, reason: str | None = None, comment: str | None = None) -> Outcome:
        """The reason for a bad rating and/or a free comment on an answer."""
        if reason is not None and reason not in REASON_CODES:
            return Outcome.invalid
        if self.answer_exists(answer_id) is False:
            return Outcome.unknown_answer
        if comment is not None:
            comment = mask_personal_data(comment.strip())[:MAX_COMMENT_CHARS]
        return self._submit(
            {
                "op": "explanation",
                "answer_id": answer_id,
                "reason": reason,
                "comment": comment,
            }
        )

    def _apply_explanation(
        self, session: Session, at: str, answer_id: str, reason: str | None, comment: str | None
    ) -> Outcome:
        if session.get(AnswerRecord, answer_id) is None:
            return Outcome.unknown_answer
        rating = session.scalar(select(Rating).where(Rating.answer_id == answer_id))
        if rating is None:  # a reason implies 👎; a bare comment is not a rating
            satisfied = False if reason is not None else None
            rating = Rating(
                answer_id=answer_id, satisfied=satisfied, created_at=self._now(at), updated_at=self._now(at)
            )
            session.add(rating)
        if reason is not None:
            rating.reason = reason
        if comment:
            rating.comment = f"{rating.comment}\n{comment}" if rating.comment else comment
        rating.updated_at = self._now(at)
        return Outcome.stored

    def rate_conversation(self, sender_id: str, session_id: str, channel: str, stars: int) -> Outcome:
        if not 1 <= stars <= 5:
            return Outcome.invalid
        return self._submit(
            {
                "op": "csat",
                "conversation": self.conversation_hash(sender_id),
                "rasa_session": session_id,
                "channel": channel,
                "stars": stars,
            }
        )

    def _apply_csat(
        self, session: Session, at: str, conversation: str, rasa_session: str, channel: str, stars: int
    ) -> Outcome:
        existing = session.scalar(
            select(ConversationRating).where(
                ConversationRating.conversation == conversation, ConversationRating.session == rasa_session
            )
        )
        if existing is not None:
            if existing.stars == stars:
                return Outcome.unchanged
            existing.stars = stars
            return Outcome.updated
        session.add(
            ConversationRating(
                created_at=self._now(at), conversation=conversation, session=rasa_session, channel=channel, stars=stars
            )
        )
        return Outcome.stored

    # -- reading ------------------------------------------------------------------

    def unanswered_counts(self, since: dt.datetime | None = None) -> list[tuple[str, int]]:
        """Unanswered questions, most frequent first."""
        with self.session() as session:
            query = (
                select(UnansweredQuestion.question, func.count())
                .group_by(UnansweredQuestion.question)
                .order_by(func.count().desc(), UnansweredQuestion.question)
            )
            if since is not None:
                query = query.where(UnansweredQuestion.created_at >= since)
            return [(question, count) for question, count in session.execute(query)]

    def replies(self, since: dt.datetime | None = None) -> list[Reply]:
        """Every recorded reply (answers, clarifications, declines …), oldest first."""
        with self.session() as session:
            query = select(
                AnswerRecord.conversation,
                AnswerRecord.channel,
                AnswerRecord.created_at,
                AnswerRecord.status,
                AnswerRecord.question,
            ).order_by(AnswerRecord.created_at)
            if since is not None:
                query = query.where(AnswerRecord.created_at >= since)
            return [Reply(*row) for row in session.execute(query)]

    def handoff_conversations(self, since: dt.datetime | None = None) -> set[str]:
        """Conversations in which someone asked for a person."""
        with self.session() as session:
            query = select(HandoffRequest.conversation)
            if since is not None:
                query = query.where(HandoffRequest.created_at >= since)
            return set(session.scalars(query))

    def handoffs(self, status: str = "open") -> list[HandoffRequest]:
        with self.session() as session:
            return list(session.scalars(select(HandoffRequest).where(HandoffRequest.status == status)))

    def rated_answers(self, since: dt.datetime | None = None) -> list[tuple[AnswerRecord, Rating]]:
        with self.session() as session:
            query = select(AnswerRecord, Rating).join(Rating, Rating.answer_id == AnswerRecord.id)
            if since is not None:
                query = query.where(AnswerRecord.created_at >= since)
            return [(answer, rating) for answer, rating in session.execute(query)]

    def answers_count(self, since: dt.datetime | None = None) -> int:
        """Replies that answered (the ones that can be rated)."""
        return self.status_counts(since).get("answered", 0)

    def status_counts(self, since: dt.datetime | None = None) -> dict[str, int]:
        """Replies by status: how often the assistant answered, asked back, declined …"""
        with self.session() as session:
            query = select(AnswerRecord.status, func.count()).group_by(AnswerRecord.status)
            if since is not None:
                query = query.where(AnswerRecord.created_at >= since)
            return {status: int(count) for status, count in session.execute(query)}

    def conversation_ratings(self, since: dt.datetime | None = None) -> list[ConversationRating]:
        with self.session() as session:
            query = select(ConversationRating)
            if since is not None:
                query = query.where(ConversationRating.created_at >= since)
            return list(session.scalars(query))
