"""Index builds: no-op when unchanged, incremental, versioned, hot-swapped."""

import json
import shutil
from pathlib import Path

import pytest

from knowledge.embedder import Embedder, embedding_space
from knowledge.entries import load_entries
from knowledge.index import (
    INDEX_TEXT_CODE,
    build,
    build_entries,
    build_fingerprint,
    code_digest,
    current_version,
    publish,
)
from knowledge.live import LiveIndex
from knowledge.search import load_calibration
from knowledge.settings import KnowledgeSettings
from knowledge.vector_store import VectorStore
from tests.conftest import CONTENT_DIR

pytestmark = pytest.mark.index


class CountingEmbedder:
    """The real embedder, counting how many texts it was asked to embed."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.dimension = embedder.dimension
        self.name = embedder.name
        self.embedded = 0

    def passages(self, texts: list[str]):
        self.embedded += len(texts)
        return self.embedder.passages(texts)

    def queries(self, texts: list[str]):
        return self.embedder.queries(texts)


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    """The programme entries of the shipped content: small enough to embed quickly."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR / "programme", target / "programme")
    shutil.copy(CONTENT_DIR / "synonyms.yml", target)
    return target


def test_unchanged_content_is_a_no_op_and_a_change_embeds_only_what_changed(
    content: Path, tmp_path: Path, embedder: Embedder, settings: KnowledgeSettings
) -> None:
    counting = CountingEmbedder(embedder)
    index_dir = tmp_path / "index"
    first = build(content, index_dir, settings.embedding_model, load_embedder=lambda: counting)
    # each passage and each entry title is embedded as written and accent-folded
    assert first.changed and first.embedded == counting.embedded == 2 * (first.passages + first.entries)

    again = build(content, index_dir, settings.embedding_model, load_embedder=lambda: counting)
    assert not again.changed and again.version == first.version and counting.embedded == first.embedded

    entry = content / "programme" / "nq76-muc-tieu-chung.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\n## Ghi chú\nMột đoạn mới được thêm vào mục này.\n")
    third = build(content, index_dir, settings.embedding_model, load_embedder=lambda: counting)
    assert third.changed and third.version != first.version
    assert third.embedded == 2, "only the new passage, as written and folded"
    assert counting.embedded == first.embedded + 2
    assert current_version(index_dir) == third.version
    assert (index_dir / first.version).exists(), "the previous version stays for rollback"


def test_live_index_swaps_to_a_published_version_and_rolls_back(
    content: Path, tmp_path: Path, embedder: Embedder, settings: KnowledgeSettings
) -> None:

    index_dir = tmp_path / "index"
    old = build(content, index_dir, settings.embedding_model, load_embedder=lambda: embedder)
    live = LiveIndex(index_dir, embedder, check_interval=0)
    held = live.current()

    (content / "faq-moi.md").write_text(
        "---\nid: faq-moi\ntitle: Giờ làm việc của Bộ phận Một cửa thử nghiệm\ntype: faq\naudience: citizen\n"
        "source:\n  document: Tài liệu thử nghiệm\nlast_reviewed: 2026-11-27\n---\n"
        "## Giờ làm việc\nBộ phận Một cửa thử nghiệm làm việc từ thứ Hai đến thứ Sáu.\n",
        encoding="utf-8",
    )
    new = build(content, index_dir, settings.embedding_model, load_embedder=lambda: embedder)
    assert live.current().version == new.version
    assert held is not live.current() and held.version == old.version
    assert all(r.entry_id != "faq-moi" for r in held.search("giờ làm việc bộ phận một cửa thử nghiệm")), (
        "a search holding the old index keeps it intact"
    )
    assert live.search("giờ làm việc bộ phận một cửa thử nghiệm")[0].entry_id == "faq-moi"

    publish(index_dir, old.version)
    assert live.current().version == old.version
    assert all(r.entry_id != "faq-moi" for r in live.search("giờ làm việc bộ phận một cửa thử nghiệm"))


def test_a_new_index_takes_its_vectors_from_the_machine_s_vector_store(
    content: Path, tmp_path: Path, embedder: Embedder, settings: KnowledgeSettings
) -> None:
    """A fresh clone or CI run embeds only what no build on the machine embedded."""
    counting = CountingEmbedder(embedder)
    entries = load_entries(content)
    store = VectorStore(tmp_path / "vectors.sqlite3", embedding_space(settings.embedding_model))
    model = settings.embedding_model
    first = build_entries(entries, {}, tmp_path / "one", model, lambda: counting, store=store)
    second = build_entries(entries, {}, tmp_path / "two", model, lambda: counting, store=store)
    assert first.embedded > 0 and second.embedded == 0 and second.reused == first.embedded
    assert counting.embedded == first.embedded
    store.close()


def test_the_calibration_was_fitted_on_the_index_in_use(index_dir: Path) -> None:
    """Fusion weights and confidence are fitted per index; a stale fit goes unnoticed otherwise."""
    manifest = json.loads((index_dir / current_version(index_dir) / "manifest.json").read_text("utf-8"))
    assert load_calibration()["fingerprint"] == manifest["fingerprint"], "refit: .venv/bin/python -m bench.calibrate"


def test_the_fingerprint_follows_the_code_that_builds_index_texts(content: Path, tmp_path: Path) -> None:
    from knowledge.passages import split_entry

    passages = [p for entry in load_entries(content) for p in split_entry(entry)]
    copies = []
    for path in INDEX_TEXT_CODE:
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    before = build_fingerprint(passages, "model", {}, code_digest(tuple(copies)))
    assert before == build_fingerprint(passages, "model", {}, code_digest(tuple(copies)))
    copies[1].write_text(copies[1].read_text("utf-8") + "\n# a change to how passages are cut\n", "utf-8")
    assert build_fingerprint(passages, "model", {}, code_digest(tuple(copies))) != before
