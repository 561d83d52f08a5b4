"""Settings of the knowledge service, read from the environment (core.settings).

Defaults keep everything inside the repository (``var/``) so ``make run``
works with no configuration; ``.env.example`` documents each variable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.settings import REPO_ROOT, env, env_path

__all__ = ["DEFAULT_MIN_CONFIDENCE", "REPO_ROOT", "KnowledgeSettings"]

# The answer bar (calibrated confidence); chosen on the tuning sets, see README.
DEFAULT_MIN_CONFIDENCE = 0.6


@dataclass(frozen=True)
class KnowledgeSettings:
    content_dir: Path
    index_dir: Path
    embedding_model: str
    min_confidence: float
    catalogue_dir: Path | None  # the imported national catalogue (None: the curated content alone)
    vector_store: Path | None  # embeddings kept across builds and clones (None: no store)

    @classmethod
    def from_env(cls) -> KnowledgeSettings:
        model = env("EMBEDDING_MODEL", "var/models/multilingual-e5-small")
        looks_like_path = model.startswith((".", "/", "var/"))
        return cls(
            content_dir=env_path("KNOWLEDGE_CONTENT_DIR", "knowledge/content"),
            index_dir=env_path("KNOWLEDGE_INDEX_DIR", "var/index"),
            embedding_model=str(env_path("EMBEDDING_MODEL", model)) if looks_like_path else model,
            min_confidence=float(env("ANSWER_MIN_CONFIDENCE", str(DEFAULT_MIN_CONFIDENCE))),
            catalogue_dir=_optional_path("KNOWLEDGE_CATALOGUE_DIR", "var/catalogue/procedures"),
            vector_store=_optional_path("EMBEDDING_CACHE", str(_user_cache() / "embeddings.sqlite3")),
        )


def _user_cache() -> Path:
    """Outside the clone, so a fresh clone and CI reuse what this machine embedded."""
    base = env("XDG_CACHE_HOME", "") or str(Path.home() / ".cache")
    return Path(base) / "tro-ly-cchc"


def _optional_path(name: str, default: str) -> Path | None:
    """A path setting that an empty value or "off" turns off; "~" is the user's home."""
    value = env(name, default).strip()
    if value in ("", "off"):
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path
