"""The feedback tables. Schema changes go through Alembic (migrations/)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class UnansweredQuestion(Base):
    """A question the assistant declined to answer (confidence too low)."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    conversation: Mapped[str] = mapped_column(String(64), index=True)  # hashed sender id
    channel: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)  # personal data masked
    best_confidence: Mapped[float] = mapped_column(Float)
    index_version: Mapped[str] = mapped_column(String(64))


class HandoffRequest(Base):
    """A user asked for a person; the transcript lets staff pick up the thread."""

    __tablename__ = "handoff_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)  # told to the user
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    conversation: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    transcript: Mapped[list] = mapped_column(JSON)  # [{"who": "user"|"bot", "text": ...}], masked
    status: Mapped[str] = mapped_column(String(16), default="open")


class AnswerRecord(Base):
    """A reply to a question: an answer (what a rating is about), or a
    clarification, a decline, a handoff … as its status says."""

    __tablename__ = "answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the id in the rating buttons
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    conversation: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)  # personal data masked
    entry_ids: Mapped[list] = mapped_column(JSON)
    topic: Mapped[str] = mapped_column(String(32))  # programme | procedure | faq | none
    index_version: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), default="answered", index=True)  # dialogue ReplyStatus


class Rating(Base):
    """The user's rating of one answer: one row per answer (a double click or a
    changed mind updates it), with the reason and comment of a bad rating."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[str] = mapped_column(ForeignKey("answers.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    satisfied: Mapped[bool | None]  # None: a comment without a tap, not counted in CSAT
    reason: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)  # personal data masked


class ConversationRating(Base):
    """The optional end-of-conversation CSAT, 1 to 5 stars."""

    __tablename__ = "conversation_ratings"
    __table_args__ = (UniqueConstraint("conversation", "session"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    conversation: Mapped[str] = mapped_column(String(64))
    session: Mapped[str] = mapped_column(String(64))  # Rasa session start, so each session rates once
    channel: Mapped[str] = mapped_column(String(32))
    stars: Mapped[int] = mapped_column(Integer)


class AppliedWrite(Base):
    """The id of every write applied, so a write replayed from the spool after
    it had in fact succeeded is a no-op instead of a duplicate or an error."""

    __tablename__ = "applied_writes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
