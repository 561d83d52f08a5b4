"""Where feedback is stored and how identifiers are pseudonymised."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.settings import VAR_DIR, env, env_path, hash_salt

DEFAULT_URL = f"sqlite:///{VAR_DIR / 'feedback.db'}"


@dataclass(frozen=True)
class FeedbackSettings:
    database_url: str
    hash_salt: str
    spool_path: Path

    @staticmethod
    def default_spool() -> Path:
        return VAR_DIR / "feedback-spool.jsonl"

    @classmethod
    def from_env(cls) -> FeedbackSettings:
        return cls(
            database_url=env("FEEDBACK_DATABASE_URL", DEFAULT_URL),
            hash_salt=hash_salt(),
            spool_path=env_path("FEEDBACK_SPOOL", str(cls.default_spool())),
        )
