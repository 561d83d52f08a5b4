"""The web chat widget's logic (widget-logic.js) under Node's own test runner."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from core.settings import REPO_ROOT

pytestmark = pytest.mark.unit


def test_widget_logic_passes_its_node_tests() -> None:
    node = shutil.which("node")
    assert node, "Node.js runs the widget's unit tests (it comes with the machine image; apt-get install nodejs)"
    done = subprocess.run(
        [node, "--test", "tests/webchat/"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout and "# pass 5" in done.stdout, done.stdout[-1000:]
