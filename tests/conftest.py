"""Shared fixtures: the real embedding model, a test index, a trained Rasa model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.embedder import Embedder
from knowledge.live_content import build_live
from knowledge.settings import REPO_ROOT, KnowledgeSettings
from stack.processes import action_server, free_port, rasa_server, serving
from stack.training import ensure_trained
from tests.e2e import Stack

TEST_VAR = REPO_ROOT / "var" / "test"
TIERS = ("unit", "index", "stack", "browser")
# What a unit test must not use: each loads the model, the index or the servers.
HEAVY_FIXTURES = {"embedder", "index_dir", "rasa_model", "stack"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test names its tier, so `make test-fast` (-m unit) is honest about what it skips."""
    problems = []
    for item in items:
        tiers = sorted({mark.name for mark in item.iter_markers() if mark.name in TIERS})
        if len(tiers) != 1:
            problems.append(f"{item.nodeid}: needs exactly one tier marker of {TIERS}, has {tiers}")
        elif tiers == ["unit"] and HEAVY_FIXTURES & set(getattr(item, "fixturenames", ())):
            problems.append(f"{item.nodeid}: a unit test uses {sorted(HEAVY_FIXTURES & set(item.fixturenames))}")
    if problems:
        raise pytest.UsageError("\n".join(problems))


CONTENT_DIR = REPO_ROOT / "knowledge" / "content"


@pytest.fixture(scope="session")
def settings() -> KnowledgeSettings:
    return KnowledgeSettings.from_env()


@pytest.fixture(scope="session")
def embedder(settings: KnowledgeSettings) -> Embedder:
    if not Path(settings.embedding_model).exists():
        pytest.fail(f"embedding model missing at {settings.embedding_model}: run `make model`")
    return Embedder(settings.embedding_model)


@pytest.fixture(scope="session")
def index_dir(embedder: Embedder, settings: KnowledgeSettings) -> Path:
    """The live index: the shipped content and the imported catalogue (a no-op build
    when `make` already built it)."""
    build_live(settings, load_embedder=lambda: embedder)
    return settings.index_dir


@pytest.fixture()
def scratch(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.fixture(scope="session")
def rasa_model() -> Path:
    """A Rasa model trained by the suite with the fast test config (cached by input hash)."""
    return ensure_trained(REPO_ROOT / "tests" / "rasa" / "config.fast.yml", TEST_VAR / "models")


@pytest.fixture(scope="session")
def stack(rasa_model: Path, index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real Rasa server and action server on free ports, with their own
    tracker and feedback databases; stopped (and checked stopped) at the end."""
    workdir = tmp_path_factory.mktemp("stack")
    rasa_port, action_port = free_port(), free_port()
    feedback_url = f"sqlite:///{workdir / 'feedback.db'}"
    env = {
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "FEEDBACK_DATABASE_URL": feedback_url,
        "FEEDBACK_SPOOL": str(workdir / "feedback-spool.jsonl"),
        "KNOWLEDGE_INDEX_DIR": str(index_dir),
        "SUPPORT_OFFICE": "Bộ phận Một cửa phường Thử Nghiệm",
        "SUPPORT_PHONE": "0240000000",
        "SUPPORT_HOURS": "sáng thứ Hai đến thứ Sáu",
        "LOG_LEVEL": "INFO",
    }
    logs = TEST_VAR / "logs"
    actions = action_server(action_port, env, logs / "e2e-actions.log")
    rasa = rasa_server(rasa_model, rasa_port, env, logs / "e2e-rasa.log")
    with serving(actions, rasa):
        yield Stack(rasa, actions, f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", feedback_url, workdir, env)
    assert not rasa.is_running() and not actions.is_running()
