"""Settings that protect users' data: the pseudonymisation salt and the report token."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from actions.server import report_token
from core.settings import APP_VENV, REPO_ROOT, UnsafeSettings, hash_salt, is_loopback

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("salt", ["tro-ly-cchc", "change-me"])
def test_a_published_salt_is_refused_outside_development(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, salt: str
) -> None:
    monkeypatch.setenv("FEEDBACK_HASH_SALT", salt)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(UnsafeSettings):
        hash_salt(tmp_path / "hash-salt")
    monkeypatch.setenv("APP_ENV", "development")
    assert hash_salt(tmp_path / "hash-salt") == salt


def test_without_a_salt_one_is_generated_once_and_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FEEDBACK_HASH_SALT", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    first = hash_salt(tmp_path / "hash-salt")
    assert len(first) == 64 and first == hash_salt(tmp_path / "hash-salt")
    assert (tmp_path / "hash-salt").stat().st_mode & 0o077 == 0, "readable by its owner only"
    assert first != hash_salt(tmp_path / "other-machine"), "each installation has its own"


def test_the_feedback_report_needs_a_token_when_reachable_from_other_machines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FEEDBACK_REPORT_TOKEN", raising=False)
    assert report_token("127.0.0.1") is None and is_loopback("localhost") and is_loopback("::1")
    with pytest.raises(UnsafeSettings):
        report_token("0.0.0.0")
    monkeypatch.setenv("FEEDBACK_REPORT_TOKEN", "bi-mat")
    assert report_token("0.0.0.0") == "bi-mat"


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"FEEDBACK_HASH_SALT": "tro-ly-cchc"}, "FEEDBACK_HASH_SALT"),
        ({"FEEDBACK_HASH_SALT": "a-real-secret-for-this-test"}, "FEEDBACK_REPORT_TOKEN"),
    ],
)
def test_the_action_server_refuses_to_start_with_unsafe_settings(
    tmp_path: Path, env: dict[str, str], words: str
) -> None:
    host = "127.0.0.1" if "tro-ly" in env["FEEDBACK_HASH_SALT"] else "0.0.0.0"
    done = subprocess.run(
        [str(APP_VENV / "bin" / "python"), "-m", "actions.server", "--host", host, "--port", "1"],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "APP_ENV": "production", "PYTHONPATH": str(REPO_ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "Refusing to start" in done.stderr and words in done.stderr, done.stderr[-2000:]


def test_the_catalogue_and_the_vector_store_can_be_turned_off_and_live_under_home(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from knowledge.settings import REPO_ROOT, KnowledgeSettings

    monkeypatch.setenv("EMBEDDING_CACHE", "~/.cache/tro-ly-cchc/v.sqlite3")
    monkeypatch.delenv("KNOWLEDGE_CATALOGUE_DIR", raising=False)
    settings = KnowledgeSettings.from_env()
    assert settings.vector_store == Path.home() / ".cache" / "tro-ly-cchc" / "v.sqlite3"
    assert settings.catalogue_dir == REPO_ROOT / "var" / "catalogue" / "procedures"
    monkeypatch.setenv("EMBEDDING_CACHE", "off")
    monkeypatch.setenv("KNOWLEDGE_CATALOGUE_DIR", "")
    settings = KnowledgeSettings.from_env()
    assert settings.vector_store is None and settings.catalogue_dir is None
