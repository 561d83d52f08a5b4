"""The long-lived objects the actions share, created once per process.

Loading the embedding model and the index at import time means the action
server answers its health check only when it can really answer questions.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache

from knowledge.answering import Answer, compose_answer
from knowledge.embedder import Embedder
from knowledge.live import LiveIndex
from knowledge.settings import KnowledgeSettings

log = logging.getLogger(__name__)
SEARCH_DEPTH = 5


@lru_cache(maxsize=1)
def settings() -> KnowledgeSettings:
    return KnowledgeSettings.from_env()


@lru_cache(maxsize=1)
def live_index() -> LiveIndex:
    config = settings()
    index = LiveIndex(config.index_dir, Embedder(config.embedding_model))
    log.info("serving knowledge index %s", index.version)
    return index


async def answer_question(question: str) -> Answer:
    """Search off the event loop (it is CPU-bound) and compose the reply."""
    results = await asyncio.to_thread(live_index().search, question, SEARCH_DEPTH)
    return compose_answer(results, settings().min_confidence)
