"""The audit log: who did what, when, with the state before and after."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from backoffice.db import Database
from backoffice.models import AuditEvent

CSV_FIELDS = ("id", "at", "actor", "action", "target", "before", "after", "detail")


def record(
    db: Database,
    actor: str,
    action: str,
    target: str,
    before: str | None = None,
    after: str | None = None,
    detail: str | None = None,
) -> None:
    with db.session() as session, session.begin():
        session.add(AuditEvent(actor=actor, action=action, target=target, before=before, after=after, detail=detail))


def events(db: Database, action: str | None = None, limit: int | None = None) -> list[AuditEvent]:
    with db.session() as session:
        query = select(AuditEvent).order_by(AuditEvent.id.desc())
        if action:
            query = query.where(AuditEvent.action == action)
        if limit:
            query = query.limit(limit)
        return list(session.scalars(query))


def to_csv(rows: list[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for row in rows:
        writer.writerow(
            [
                row.id,
                row.at.isoformat(),
                row.actor,
                row.action,
                row.target,
                row.before or "",
                row.after or "",
                row.detail or "",
            ]
        )
    return out.getvalue()
