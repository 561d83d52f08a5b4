"""Versioned, incremental index builds.

Each build writes a new directory ``<index_dir>/<version>/`` and only then
points ``<index_dir>/CURRENT`` at it with an atomic rename, so a reader never
sees a half-built index and the previous versions stay for rollback.
Passages whose text did not change reuse their stored embeddings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bm25s
import faiss
import numpy as np

from knowledge.embedder import Embedder
from knowledge.entries import load_entries
from knowledge.lexicon import load_synonyms
from knowledge.passages import Passage, split_entry
from knowledge.text import fold_accents, lexical_terms

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
EMBEDDINGS = "embeddings.npy"
DENSE = "dense.faiss"
DENSE_FOLDED = "dense_folded.faiss"
LEXICAL = "lexical"
SYNONYMS = "synonyms.json"
HNSW_THRESHOLD = 20_000
KEEP_VERSIONS = 3
INDEX_FORMAT = 2


@dataclass(frozen=True)
class BuildReport:
    version: str
    changed: bool
    passages: int
    entries: int
    embedded: int
    reused: int


def current_version(index_dir: Path) -> str | None:
    pointer = index_dir / CURRENT
    if not pointer.exists():
        return None
    version = pointer.read_text(encoding="utf-8").strip()
    return version if (index_dir / version / MANIFEST).exists() else None


def read_manifest(version_dir: Path) -> dict:
    return json.loads((version_dir / MANIFEST).read_text(encoding="utf-8"))


def read_passages(version_dir: Path) -> list[dict]:
    with (version_dir / PASSAGES).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def publish(index_dir: Path, version: str) -> None:
    """Point CURRENT at ``version`` atomically (also used for rollback)."""
    if not (index_dir / version / MANIFEST).exists():
        raise FileNotFoundError(f"no index version {version} in {index_dir}")
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    tmp.write_text(version + "\n", encoding="utf-8")
    os.replace(tmp, index_dir / CURRENT)


def build_fingerprint(passages: list[Passage], model_name: str, synonyms: dict[str, str]) -> str:
    digest = hashlib.sha256(f"{INDEX_FORMAT}|{Path(model_name).name}".encode())
    digest.update(json.dumps(synonyms, sort_keys=True).encode())
    for passage in passages:
        digest.update(json.dumps(passage.to_dict(), sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def _previous_embeddings(index_dir: Path, model_name: str) -> dict[str, np.ndarray]:
    """Embeddings (accented and folded) of the current version by passage hash, for reuse."""
    version = current_version(index_dir)
    if version is None:
        return {}
    version_dir = index_dir / version
    manifest = read_manifest(version_dir)
    if manifest.get("model") != Path(model_name).name or manifest.get("format") != INDEX_FORMAT:
        return {}
    vectors = np.load(version_dir / EMBEDDINGS, mmap_mode="r")
    hashes = manifest.get("passage_hashes", [])
    return {digest: np.array(vectors[row]) for row, digest in enumerate(hashes)}


def dense_index(vectors: np.ndarray) -> faiss.Index:
    """Exact inner product for small KBs; HNSW once exact search gets slow."""
    dimension = vectors.shape[1]
    if len(vectors) >= HNSW_THRESHOLD:
        index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
    else:
        index = faiss.IndexFlatIP(dimension)
    index.add(vectors)
    return index


def lexical_index(passages: list[Passage], synonyms: dict[str, str]) -> bm25s.BM25:
    corpus = [lexical_terms(passage.lexical_text(), synonyms) for passage in passages]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return retriever


def write_version(
    version_dir: Path,
    passages: list[Passage],
    vectors: np.ndarray,
    manifest: dict,
    synonyms: dict[str, str],
) -> None:
    version_dir.mkdir(parents=True)
    with (version_dir / PASSAGES).open("w", encoding="utf-8") as handle:
        for passage in passages:
            handle.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
    np.save(version_dir / EMBEDDINGS, vectors)
    faiss.write_index(dense_index(np.ascontiguousarray(vectors[:, 0])), str(version_dir / DENSE))
    faiss.write_index(dense_index(np.ascontiguousarray(vectors[:, 1])), str(version_dir / DENSE_FOLDED))
    retriever = lexical_index(passages, synonyms)
    retriever.save(str(version_dir / LEXICAL), corpus=None)
    (version_dir / SYNONYMS).write_text(json.dumps(synonyms, ensure_ascii=False), encoding="utf-8")
    (version_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def prune(index_dir: Path, keep: int = KEEP_VERSIONS) -> None:
    current = current_version(index_dir)
    versions = sorted(p for p in index_dir.iterdir() if p.is_dir() and (p / MANIFEST).exists())
    for old in versions[:-keep]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)


def build(
    content_dir: Path,
    index_dir: Path,
    model_name: str,
    load_embedder: Callable[[], Embedder] | None = None,
    force: bool = False,
) -> BuildReport:
    """Build a new index version if the content changed; publish it.

    The embedding model is loaded only when some passage needs embedding, so
    an unchanged knowledge base costs no model load.
    """
    entries = load_entries(content_dir)
    synonyms = load_synonyms(content_dir)
    passages = [passage for entry in entries for passage in split_entry(entry)]
    index_dir.mkdir(parents=True, exist_ok=True)
    embedder_name = model_name
    fingerprint = build_fingerprint(passages, embedder_name, synonyms)
    current = current_version(index_dir)
    if current and not force and read_manifest(index_dir / current).get("fingerprint") == fingerprint:
        return BuildReport(current, False, len(passages), len(entries), 0, len(passages))

    hashes = [passage.content_hash() for passage in passages]
    reusable = _previous_embeddings(index_dir, embedder_name)
    missing = sorted({digest for digest in hashes if digest not in reusable})
    fresh: dict[str, np.ndarray] = {}
    if missing:
        embedder = load_embedder() if load_embedder else Embedder(model_name)
        by_hash = {passage.content_hash(): passage for passage in passages}
        texts = [by_hash[digest].embedding_text() for digest in missing]
        # A second vector of the accent-folded text serves queries typed without diacritics.
        embedded = embedder.passages(texts + [fold_accents(text) for text in texts])
        pairs = np.stack([embedded[: len(texts)], embedded[len(texts) :]], axis=1)
        fresh = dict(zip(missing, pairs, strict=True))
    # shape (passages, 2, dimension): [:, 0] the text as written, [:, 1] accent-folded
    vectors = np.stack([fresh.get(digest, reusable.get(digest)) for digest in hashes]).astype(np.float32)

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    version = f"v{stamp}-{fingerprint[:8]}"
    manifest = {
        "version": version,
        "format": INDEX_FORMAT,
        "fingerprint": fingerprint,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "model": Path(embedder_name).name,
        "dimension": int(vectors.shape[2]),
        "entries": len(entries),
        "passages": len(passages),
        "dense_index": "hnsw" if len(passages) >= HNSW_THRESHOLD else "flat",
        "passage_hashes": hashes,
    }
    staging = index_dir / f".build-{version}"
    write_version(staging, passages, vectors, manifest, synonyms)
    staging.rename(index_dir / version)
    publish(index_dir, version)
    prune(index_dir)
    log.info("published index %s: %d passages, %d embedded", version, len(passages), len(fresh))
    return BuildReport(version, True, len(passages), len(entries), len(fresh), len(passages) - len(fresh))
