"""Where feedback is stored and how identifiers are pseudonymised."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

from knowledge.settings import REPO_ROOT

DEFAULT_URL = f"sqlite:///{REPO_ROOT / 'var' / 'feedback.db'}"


@dataclass(frozen=True)
class FeedbackSettings:
    database_url: str
    hash_salt: str
    spool_path: Path

    @staticmethod
    def default_spool() -> Path:
        return REPO_ROOT / "var" / "feedback-spool.jsonl"

    @classmethod
    def from_env(cls) -> FeedbackSettings:
        load_dotenv(REPO_ROOT / ".env", override=False)
        return cls(
            database_url=os.environ.get("FEEDBACK_DATABASE_URL", DEFAULT_URL),
            hash_salt=os.environ.get("FEEDBACK_HASH_SALT", "tro-ly-cchc"),
            spool_path=Path(os.environ.get("FEEDBACK_SPOOL", str(cls.default_spool()))),
        )
