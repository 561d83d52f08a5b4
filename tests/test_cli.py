"""The knowledge command line, run as a user would."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CONTENT_DIR

pytestmark = pytest.mark.index

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "knowledge", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_search_json_prints_results_with_citations(index_dir: Path) -> None:
    done = run("search", "--json", "Chính phủ số là gì?", env={"KNOWLEDGE_INDEX_DIR": str(index_dir)})
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results[0]["entry_id"] == "nq76-chinh-phu-so"
    assert {"title", "heading_path", "text", "citation", "score", "confidence"} <= results[0].keys()


def test_search_reads_queries_from_stdin_as_json_lines(index_dir: Path) -> None:
    done = run("search", stdin="làm căn cước\nhkd\n", env={"KNOWLEDGE_INDEX_DIR": str(index_dir)})
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and len(lines) == 2
    assert all(isinstance(json.loads(line), list) for line in lines)


def test_build_names_the_broken_file_and_field(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR / "programme", content / "programme")
    broken = content / "programme" / "nq76-muc-tieu-chung.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("type: programme", "type: tin-tuc"), "utf-8")
    done = run("build", env={"KNOWLEDGE_CONTENT_DIR": str(content), "KNOWLEDGE_INDEX_DIR": str(tmp_path / "i")})
    assert done.returncode == 2
    assert "nq76-muc-tieu-chung.md" in done.stderr and "field 'type'" in done.stderr
