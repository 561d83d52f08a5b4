"""starsessions' store interface on the back office database: sessions survive
restarts and the browser holds only a random id."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from starlette.concurrency import run_in_threadpool
from starsessions import SessionStore
from starsessions.session import generate_session_id

from backoffice.db import Database
from backoffice.models import WebSession, utc_now

IDLE_DEFAULT = 8 * 3600


class DatabaseSessionStore(SessionStore):
    def __init__(self, db: Database) -> None:
        self.db = db

    def _read(self, session_id: str) -> bytes:
        with self.db.session() as session:
            row = session.get(WebSession, session_id)
            if row is None or _aware(row.expires_at) < utc_now():
                return b""
            return row.data.encode("utf-8")

    def _write(self, session_id: str, data: bytes, ttl: int) -> str:
        session_id = session_id or generate_session_id()
        expires = utc_now() + dt.timedelta(seconds=ttl or IDLE_DEFAULT)
        with self.db.session() as session, session.begin():
            row = session.get(WebSession, session_id)
            if row is None:
                session.add(WebSession(id=session_id, data=data.decode("utf-8"), expires_at=expires))
            else:
                row.data, row.expires_at = data.decode("utf-8"), expires
            session.execute(delete(WebSession).where(WebSession.expires_at < utc_now()))
        return session_id

    def _remove(self, session_id: str) -> None:
        with self.db.session() as session, session.begin():
            session.execute(delete(WebSession).where(WebSession.id == session_id))

    async def read(self, session_id: str, lifetime: int) -> bytes:
        return await run_in_threadpool(self._read, session_id)

    async def write(self, session_id: str, data: bytes, lifetime: int, ttl: int) -> str:
        return await run_in_threadpool(self._write, session_id, data, ttl)

    async def remove(self, session_id: str) -> None:
        await run_in_threadpool(self._remove, session_id)

    async def exists(self, session_id: str) -> bool:
        return bool(await self.read(session_id, 0))


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
