"""Settings of the knowledge service, read from the environment (core.settings).

Defaults keep everything inside the repository (``var/``) so ``make run``
works with no configuration; ``.env.example`` documents each variable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.settings import REPO_ROOT, env, env_path

__all__ = ["REPO_ROOT", "KnowledgeSettings"]


@dataclass(frozen=True)
class KnowledgeSettings:
    content_dir: Path
    index_dir: Path
    embedding_model: str
    min_confidence: float

    @classmethod
    def from_env(cls) -> KnowledgeSettings:
        model = env("EMBEDDING_MODEL", "var/models/multilingual-e5-small")
        looks_like_path = model.startswith((".", "/", "var/"))
        return cls(
            content_dir=env_path("KNOWLEDGE_CONTENT_DIR", "knowledge/content"),
            index_dir=env_path("KNOWLEDGE_INDEX_DIR", "var/index"),
            embedding_model=str(env_path("EMBEDDING_MODEL", model)) if looks_like_path else model,
            min_confidence=float(env("ANSWER_MIN_CONFIDENCE", "0.5")),
        )
