"""Settings of the running stack, from the environment with documented defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

REPO_ROOT = Path(__file__).resolve().parent.parent
RASA_VENV = REPO_ROOT / ".venv-rasa"
APP_VENV = REPO_ROOT / ".venv"


@dataclass(frozen=True)
class StackSettings:
    host: str
    rasa_port: int
    action_port: int
    tracker_store_url: str
    model_dir: Path
    log_level: str

    @property
    def action_endpoint_url(self) -> str:
        return os.environ.get("ACTION_ENDPOINT_URL") or f"http://{self.host}:{self.action_port}/webhook"

    @classmethod
    def from_env(cls) -> StackSettings:
        load_dotenv(REPO_ROOT / ".env", override=False)
        model_dir = Path(os.environ.get("RASA_MODEL_DIR", "models"))
        return cls(
            host=os.environ.get("STACK_HOST", "127.0.0.1"),
            rasa_port=int(os.environ.get("RASA_PORT", "5005")),
            action_port=int(os.environ.get("ACTION_PORT", "5055")),
            tracker_store_url=os.environ.get("TRACKER_STORE_URL", "sqlite:///var/tracker.db"),
            model_dir=model_dir if model_dir.is_absolute() else REPO_ROOT / model_dir,
            log_level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        )
