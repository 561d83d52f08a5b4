"""Settings of the back office, read from the environment (core.settings)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from core.settings import VAR_DIR, endpoints, env, env_path
from feedback.settings import FeedbackSettings
from knowledge.settings import KnowledgeSettings

SECRET_FILE = VAR_DIR / "backoffice-secret"


def signing_secret(secret_file: Path = SECRET_FILE) -> str:
    """``BACKOFFICE_SECRET`` if set, else one generated into ``var/`` on first use."""
    configured = env("BACKOFFICE_SECRET", "").strip()
    if configured:
        return configured
    if secret_file.exists():
        return secret_file.read_text(encoding="utf-8").strip()
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return secret_file.read_text(encoding="utf-8").strip()
    generated = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(generated + "\n")
    return generated


@dataclass(frozen=True)
class BackofficeSettings:
    host: str
    port: int
    database_url: str
    knowledge: KnowledgeSettings
    work_dir: Path  # staging builds and content snapshots of published versions
    cookie_secure: bool
    session_minutes: int
    max_failed_logins: int
    gate_margin: float  # the largest allowed drop of Recall@5 or MRR@5 (absolute)
    stale_months: int
    group_similarity: float  # cosine at which two review-queue questions are one group
    nlu_file: Path  # where the review queue adds NLU examples (in git, like the content)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @classmethod
    def from_env(cls) -> BackofficeSettings:
        return cls(
            host=endpoints().host,
            port=int(env("BACKOFFICE_PORT", "5090")),
            database_url=FeedbackSettings.from_env().database_url,
            knowledge=KnowledgeSettings.from_env(),
            work_dir=env_path("BACKOFFICE_WORK_DIR", "var/backoffice"),
            cookie_secure=env("BACKOFFICE_COOKIE_SECURE", "true").strip().lower() not in ("0", "false", "no"),
            session_minutes=int(env("BACKOFFICE_SESSION_MINUTES", "480")),
            max_failed_logins=int(env("BACKOFFICE_MAX_FAILED_LOGINS", "5")),
            gate_margin=float(env("BACKOFFICE_GATE_MARGIN", "0.01")),
            stale_months=int(env("BACKOFFICE_STALE_MONTHS", "12")),
            group_similarity=float(env("BACKOFFICE_GROUP_SIMILARITY", "0.9")),
            nlu_file=env_path("BACKOFFICE_NLU_FILE", "bot/data/nlu.yml"),
        )
