"""The long-lived objects the actions share, created once per process.

Loading the embedding model and the index at import time means the action
server answers its health check only when it can really answer questions.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from core.settings import contact
from dialogue.replier import Replier, ReplierForIndex
from feedback.store import FeedbackStore
from knowledge.embedder import Embedder
from knowledge.live import LiveIndex
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


@lru_cache(maxsize=1)
def _repliers() -> ReplierForIndex:
    return ReplierForIndex(settings().min_confidence, contact())


def replier() -> Replier:
    """The replier of the index being served; a new one after a publish."""
    return _repliers()(live_index().current())


@lru_cache(maxsize=1)
def feedback_store() -> FeedbackStore:
    return FeedbackStore.from_settings()
