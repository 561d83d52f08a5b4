"""The feedback tables. Schema changes go through Alembic (migrations/)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Float, String, Text
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
