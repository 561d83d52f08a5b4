"""The back office's own tables, in the feedback store's database.

They have their own Alembic history (``backoffice/migrations``, version table
``backoffice_alembic_version``) so the feedback schema and this one evolve apart.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Role(str, Enum):
    viewer = "viewer"
    editor = "editor"
    publisher = "publisher"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "backoffice_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """Server-side session data; the cookie holds only the random id."""

    __tablename__ = "backoffice_sessions"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class AuditEvent(Base):
    __tablename__ = "backoffice_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(256))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)


class IndexVersion(Base):
    """Every index version the back office built: who, when, its evaluation."""

    __tablename__ = "backoffice_index_versions"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    built_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    built_by: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # published | refused | candidate
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(64))
    recall5: Mapped[float | None] = mapped_column(Float)
    mrr5: Mapped[float | None] = mapped_column(Float)
    baseline_version: Mapped[str | None] = mapped_column(String(64))
    baseline_recall5: Mapped[float | None] = mapped_column(Float)
    baseline_mrr5: Mapped[float | None] = mapped_column(Float)
    broken: Mapped[list | None] = mapped_column(JSON)
    override_reason: Mapped[str | None] = mapped_column(Text)


class ReviewHandled(Base):
    """A review-queue item (unanswered question, 👎 answer, handoff) dealt with."""

    __tablename__ = "backoffice_review_handled"

    item: Mapped[str] = mapped_column(String(64), primary_key=True)  # "u:12", "r:ab12…", "h:3"
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
