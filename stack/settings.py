"""Settings of the running stack (core.settings holds the shared ones)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.settings import APP_VENV, RASA_VENV, REPO_ROOT, Endpoints, endpoints, env, env_path

__all__ = ["APP_VENV", "RASA_VENV", "REPO_ROOT", "StackSettings"]


@dataclass(frozen=True)
class StackSettings:
    endpoints: Endpoints
    tracker_store_url: str
    model_dir: Path
    log_level: str
    backoffice_port: int

    @classmethod
    def from_env(cls) -> StackSettings:
        return cls(
            endpoints=endpoints(),
            tracker_store_url=env("TRACKER_STORE_URL", "sqlite:///var/tracker.db"),
            model_dir=env_path("RASA_MODEL_DIR", "models"),
            log_level=env("LOG_LEVEL", "INFO").upper(),
            backoffice_port=int(env("BACKOFFICE_PORT", "5090")),
        )
