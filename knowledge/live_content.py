"""What the live knowledge base is: the curated content plus the imported national catalogue.

The catalogue is generated (``python -m knowledge import-catalogue``) into
``var/catalogue/procedures`` from the records kept in the repository; this module
re-imports it when what it is made of changed, loads both folders as one list of
entries, and builds the index of them. Every build of the live index goes through
here: ``make index``/``make run``, the test suite's index and the back office's
publish, so they all hold the same knowledge.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from knowledge.embedder import Embedder, embedding_space
from knowledge.entries import ContentError, Entry, load_entries
from knowledge.index import BuildReport, build_entries
from knowledge.lexicon import load_synonyms
from knowledge.settings import REPO_ROOT, KnowledgeSettings
from knowledge.vector_store import VectorStore

log = logging.getLogger(__name__)

IMPORT_STAMP = ".import-stamp"
# What an import is made of: the records, the reviewed rules and the code.
IMPORT_INPUTS = (
    "knowledge/sources/procedures/national-all.jsonl.gz",
    "knowledge/sources/procedures/selection.yml",
    "knowledge/sources/procedures/overrides.yml",
    "knowledge/sources/procedures/alias_rules.yml",
    "knowledge/legal/registry.yml",
    "knowledge/entries.py",
    "knowledge/ingest",
    "knowledge/legal",
)


def import_digest(content_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in IMPORT_INPUTS:
        path = REPO_ROOT / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    # the curated entries' ids are reserved and their codes skipped
    for entry in load_entries(content_dir):
        digest.update(f"{entry.id}|{entry.procedure_code}".encode())
    return digest.hexdigest()[:16]


def ensure_catalogue(settings: KnowledgeSettings) -> bool:
    """Import the catalogue when its inputs changed since the last import; True if it ran."""
    target = settings.catalogue_dir
    if target is None:
        return False
    stamp = target / IMPORT_STAMP
    digest = import_digest(settings.content_dir)
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == digest:
        return False
    from knowledge.ingest.catalogue import import_catalogue, summary_lines

    report = import_catalogue(target=target, content_dir=settings.content_dir)
    for line in summary_lines(report):
        log.info(line)
    stamp.write_text(digest + "\n", encoding="utf-8")
    return True


def load_live_entries(settings: KnowledgeSettings, content_dir: Path | None = None) -> list[Entry]:
    """The curated content (or a draft of it) and the imported catalogue, ids unique across both."""
    entries = load_entries(content_dir or settings.content_dir)
    catalogue = settings.catalogue_dir
    if catalogue is None or not catalogue.exists():
        return entries
    curated = {entry.id: entry.path for entry in entries}
    imported = load_entries(catalogue)
    clashes = [
        f"{entry.id} ({curated[entry.id]} and {catalogue / entry.path})" for entry in imported if entry.id in curated
    ]
    if clashes:
        raise ContentError("ids used by both the content and the catalogue: " + ", ".join(clashes))
    return entries + imported


def check_citations(entries: list[Entry]) -> None:
    """Refuse entries that cite a document our sources say was replaced without
    saying so; count the citations of documents the legal registry does not hold."""
    from knowledge.legal.citations import check_entries
    from knowledge.legal.registry import load_registry

    warnings, errors = check_entries(entries, load_registry())
    if warnings:
        numbers = sorted({finding.number for finding in warnings})
        log.warning(
            "%d citations of %d documents not in the legal registry (%s): `python -m knowledge legal-registry`",
            len(warnings),
            len(numbers),
            ", ".join(numbers[:8]) + (" …" if len(numbers) > 8 else ""),
        )
    if errors:
        raise ContentError("\n".join(str(finding) for finding in errors))


def build_live(
    settings: KnowledgeSettings,
    load_embedder: Callable[[], Embedder] | None = None,
    force: bool = False,
    index_dir: Path | None = None,
    content_dir: Path | None = None,
) -> BuildReport:
    """Import the catalogue if stale, then build (and publish) the index of everything live."""
    ensure_catalogue(settings)
    entries = load_live_entries(settings, content_dir)
    check_citations(entries)
    synonyms = load_synonyms(content_dir or settings.content_dir)
    store = None
    if settings.vector_store is not None:
        store = VectorStore(settings.vector_store, embedding_space(settings.embedding_model))
    try:
        return build_entries(
            entries, synonyms, index_dir or settings.index_dir, settings.embedding_model, load_embedder, force, store
        )
    finally:
        if store is not None:
            store.close()
