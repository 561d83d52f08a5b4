"""Shared fixtures: the real embedding model, a test index, a trained Rasa model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.embedder import Embedder
from knowledge.index import build
from knowledge.settings import REPO_ROOT, KnowledgeSettings
from stack.training import ensure_trained

TEST_VAR = REPO_ROOT / "var" / "test"
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
    """The index of the shipped content (a no-op build when `make` already built it)."""
    build(CONTENT_DIR, settings.index_dir, settings.embedding_model, load_embedder=lambda: embedder)
    return settings.index_dir


@pytest.fixture()
def scratch(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.fixture(scope="session")
def rasa_model() -> Path:
    """A Rasa model trained by the suite with the fast test config (cached by input hash)."""
    return ensure_trained(REPO_ROOT / "tests" / "rasa" / "config.fast.yml", TEST_VAR / "models")
