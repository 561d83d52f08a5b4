"""`rasa test core` on the test stories: every predicted action must match."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from stack.settings import RASA_VENV, REPO_ROOT

pytestmark = pytest.mark.stack

STORIES = REPO_ROOT / "tests" / "rasa" / "test_stories.yml"


def test_there_are_at_least_30_test_stories() -> None:
    assert len(yaml.safe_load(STORIES.read_text(encoding="utf-8"))["stories"]) >= 30


def test_all_test_stories_pass(rasa_model: Path, tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            str(RASA_VENV / "bin" / "rasa"),
            "test",
            "core",
            "--model",
            str(rasa_model),
            "--stories",
            str(STORIES),
            "--out",
            str(tmp_path),
            "--fail-on-prediction-errors",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    failed = (tmp_path / "failed_test_stories.yml").read_text(encoding="utf-8")
    assert completed.returncode == 0, failed + completed.stderr[-3000:]
    assert "None of the test stories failed" in failed
