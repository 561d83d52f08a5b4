"""The index a long-running server searches, swapped atomically on publish.

``CURRENT`` is checked at most every ``check_interval`` seconds; a new version
is loaded completely before the reference is replaced, so a search in flight
keeps using the object it started with and never sees a half-loaded index.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from knowledge.embedder import Embedder
from knowledge.index import current_version
from knowledge.search import SearchIndex, SearchResult, open_published

log = logging.getLogger(__name__)


class LiveIndex:
    def __init__(self, index_dir: Path, embedder: Embedder, check_interval: float = 2.0) -> None:
        self.index_dir = index_dir
        self.embedder = embedder
        self.check_interval = check_interval
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._index = open_published(index_dir, embedder)

    @property
    def version(self) -> str:
        return self._index.version

    def current(self) -> SearchIndex:
        now = time.monotonic()
        if now - self._checked_at >= self.check_interval and self._lock.acquire(blocking=False):
            try:
                self._checked_at = now
                self._maybe_swap()
            finally:
                self._lock.release()
        return self._index

    def _maybe_swap(self) -> None:
        version = current_version(self.index_dir)
        if version is None or version == self._index.version:
            return
        try:
            fresh = SearchIndex(self.index_dir / version, self.embedder)
        except Exception:  # a broken version must not take the service down
            log.exception("could not load index %s; keeping %s", version, self._index.version)
            return
        self._index = fresh
        log.info("now serving index %s", version)

    def search(self, query: str, k: int = 5) -> list[SearchResult]:
        return self.current().search(query, k=k)
