"""The long-lived objects the actions share, created once per process.

Loading the embedding model and the index at import time means the action
server answers its health check only when it can really answer questions.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

from core.settings import contact
from dialogue.replier import Replier
from feedback.store import FeedbackStore
from knowledge.embedder import Embedder
from knowledge.live import LiveIndex
from knowledge.search import SearchIndex
from knowledge.settings import KnowledgeSettings

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def settings() -> KnowledgeSettings:
    return KnowledgeSettings.from_env()


@lru_cache(maxsize=1)
def live_index() -> LiveIndex:
    config = settings()
    index = LiveIndex(config.index_dir, Embedder(config.embedding_model))
    log.info("serving knowledge index %s", index.version)
    return index


class ReplierForIndex:
    """One replier per index object: a publish swaps the index, and the next
    call gets a replier built on that very object (never a cached replier of
    another version paired with a newer index)."""

    def __init__(self, min_confidence: float) -> None:
        self.min_confidence = min_confidence
        self._lock = threading.Lock()
        self._replier: Replier | None = None

    def __call__(self, index: SearchIndex) -> Replier:
        with self._lock:
            if self._replier is None or self._replier.index is not index:
                self._replier = Replier(index, self.min_confidence, contact())
            return self._replier


@lru_cache(maxsize=1)
def _repliers() -> ReplierForIndex:
    return ReplierForIndex(settings().min_confidence)


def replier() -> Replier:
    """The replier of the index being served; a new one after a publish."""
    return _repliers()(live_index().current())


@lru_cache(maxsize=1)
def feedback_store() -> FeedbackStore:
    return FeedbackStore.from_settings()
