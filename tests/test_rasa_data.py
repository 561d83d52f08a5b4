"""`rasa data validate` must stay clean."""

import subprocess

import pytest

from stack.settings import RASA_VENV, REPO_ROOT

pytestmark = pytest.mark.stack


def test_rasa_data_validate_is_clean() -> None:
    completed = subprocess.run(
        [
            str(RASA_VENV / "bin" / "rasa"),
            "data",
            "validate",
            "--fail-on-warnings",
            "--config",
            "config.yml",
            "--domain",
            "bot/domain.yml",
            "--data",
            "bot/data",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
