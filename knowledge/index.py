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

from knowledge.embedder import Embedder, embedding_space
from knowledge.entries import Entry, load_entries
from knowledge.lexicon import load_synonyms
from knowledge.passages import Passage, split_entry
from knowledge.text import fold_accents, lexical_terms
from knowledge.vector_store import VectorStore

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
VECTORS = "vectors.npy"
VECTOR_KEYS = "vector_keys.json"
# Dense indexes: passages and entry titles (with aliases), each as written and
# accent-folded (the form searched by queries typed without diacritics).
DENSE = {
    ("passages", False): "dense.faiss",
    ("passages", True): "dense_folded.faiss",
    ("titles", False): "titles.faiss",
    ("titles", True): "titles_folded.faiss",
}
DENSE_ROWS = "dense_rows.json"  # dense index name -> the passage row of each of its vectors
LEXICAL = "lexical"
LEXICAL_TITLES = "lexical_titles"
SYNONYMS = "synonyms.json"
HNSW_THRESHOLD = 20_000
KEEP_VERSIONS = 3
INDEX_FORMAT = 6
# Which passages of a procedure entry get a vector. Its formulaic sections (agency,
# channels, time limit, fee, result, legal basis) restate the title and a few
# facts: the lexical index holds them, and the dialogue picks the section from
# what was asked (knowledge/details.py). Of the others, the steps bought no
# recall worth their cost: with them the full catalogue embeds 19,513 texts
# instead of 16,958, for +0.01 Recall@1 and -0.005 Recall@5
# (bench/results/dense_sections.md). Every entry's first passage always has a vector.
DENSE_PROCEDURE_SECTIONS = frozenset({"Tóm tắt", "Thành phần hồ sơ", "Yêu cầu, điều kiện"})


@dataclass(frozen=True)
class BuildReport:
    version: str
    changed: bool
    passages: int
    entries: int
    embedded: int  # texts embedded by this build
    reused: int  # texts whose vectors came from the previous version


def current_version(index_dir: Path) -> str | None:
    pointer = index_dir / CURRENT
    if not pointer.exists():
        return None
    version = pointer.read_text(encoding="utf-8").strip()
    return version if (index_dir / version / MANIFEST).exists() else None


def read_manifest(version_dir: Path) -> dict:
    return json.loads((version_dir / MANIFEST).read_text(encoding="utf-8"))


def publish(index_dir: Path, version: str) -> None:
    """Point CURRENT at ``version`` atomically (also used for rollback)."""
    if not (index_dir / version / MANIFEST).exists():
        raise FileNotFoundError(f"no index version {version} in {index_dir}")
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    tmp.write_text(version + "\n", encoding="utf-8")
    os.replace(tmp, index_dir / CURRENT)


# The code that turns entries into the texts an index holds: when it changes,
# the index must be rebuilt (and the calibration refitted) even if no entry did.
INDEX_TEXT_CODE = tuple(
    Path(__file__).with_name(name) for name in ("entries.py", "passages.py", "text.py", "lexicon.py", "index.py")
)


def code_digest(paths: tuple[Path, ...] = INDEX_TEXT_CODE) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_fingerprint(
    passages: list[Passage], model_name: str, synonyms: dict[str, str], code: str | None = None
) -> str:
    """What an index version is made of: its passages, synonyms, model and the
    code that builds its texts."""
    digest = hashlib.sha256(f"{INDEX_FORMAT}|{embedding_space(model_name)}|{code or code_digest()}".encode())
    digest.update(json.dumps(synonyms, sort_keys=True).encode())
    for passage in passages:
        digest.update(json.dumps(passage.to_dict(), sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


# Texts embedded between two writes to the machine's vector store.
STORE_CHUNK = 1_000


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class EmbeddingCache:
    """Vectors of the previous version, then of the machine's vector store, by
    text hash; embeds only texts found in neither.

    The model is loaded on the first miss, so an unchanged knowledge base
    costs no model load at all.
    """

    def __init__(
        self,
        index_dir: Path,
        model_name: str,
        load_embedder: Callable[[], Embedder] | None,
        store: VectorStore | None = None,
    ) -> None:
        self.model_name = model_name
        self._load_embedder = load_embedder or (lambda: Embedder(model_name))
        self._embedder: Embedder | None = None
        self.store = store
        self.vectors: dict[str, np.ndarray] = {}
        self.embedded = 0
        self.reused = 0
        version = current_version(index_dir)
        if version is not None:
            version_dir = index_dir / version
            manifest = read_manifest(version_dir)
            # vectors depend only on the model and the text, not on the index format
            if manifest.get("embedding_space") == embedding_space(model_name) and (version_dir / VECTOR_KEYS).exists():
                keys = json.loads((version_dir / VECTOR_KEYS).read_text(encoding="utf-8"))
                stored = np.load(version_dir / VECTORS)
                self.vectors = dict(zip(keys, stored, strict=True))

    def embed(self, texts: list[str]) -> np.ndarray:
        keys = [text_key(text) for text in texts]
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in self.vectors}
        if missing and self.store is not None:
            self.vectors.update(self.store.get(missing))
            missing = {key: text for key, text in missing.items() if key not in self.vectors}
        pending = list(missing.items())
        for start in range(0, len(pending), STORE_CHUNK):
            # stored chunk by chunk: a build stopped after an hour resumes where it was
            if self._embedder is None:
                self._embedder = self._load_embedder()
            chunk = dict(pending[start : start + STORE_CHUNK])
            fresh = dict(zip(chunk, self._embedder.passages(list(chunk.values())), strict=True))
            self.vectors.update(fresh)
            if self.store is not None:
                self.store.put(fresh)
        self.embedded += len(missing)
        self.reused += len(texts) - len(missing)
        return np.stack([self.vectors[key] for key in keys]).astype(np.float32)


def dense_index(vectors: np.ndarray, exact: bool) -> faiss.Index:
    """Exact inner product for small sets; HNSW once exact search gets slow."""
    dimension = vectors.shape[1]
    if not exact:
        # 8-bit scalar quantization: a quarter of the memory, recall barely changed
        index = faiss.IndexHNSWSQ(dimension, faiss.ScalarQuantizer.QT_8bit, 32, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
        index.hnsw.efConstruction = 80
    else:
        index = faiss.IndexFlatIP(dimension)
    index.add(vectors)
    return index


def bm25_index(texts: list[str], synonyms: dict[str, str]) -> bm25s.BM25:
    retriever = bm25s.BM25()
    retriever.index([lexical_terms(text, synonyms) for text in texts], show_progress=False)
    return retriever


def first_passages(passages: list[Passage]) -> list[Passage]:
    """The first passage of each entry, in order: where title matches point."""
    firsts: dict[str, Passage] = {}
    for passage in passages:
        firsts.setdefault(passage.entry_id, passage)
    return list(firsts.values())


def dense_rows(passages: list[Passage], folded: bool) -> list[int]:
    """The passage rows that get a vector in the passages' dense index.

    All passages of FAQ and programme entries; of a procedure, the first chunk of
    each section in DENSE_PROCEDURE_SECTIONS, and in the accent-folded index (used
    only when a query's diacritics cannot be restored) its first passage alone.
    """
    rows: list[int] = []
    seen_headings: set[tuple[str, ...]] = set()
    seen_entries: set[str] = set()
    for row, passage in enumerate(passages):
        first_of_entry = passage.entry_id not in seen_entries
        seen_entries.add(passage.entry_id)
        headings = (passage.entry_id, *passage.heading_path)
        first_chunk = headings not in seen_headings
        seen_headings.add(headings)
        if passage.entry_type != "procedure" or first_of_entry:
            rows.append(row)
        elif (
            not folded
            and first_chunk
            and passage.heading_path[1:2]
            and passage.heading_path[1] in DENSE_PROCEDURE_SECTIONS
        ):
            rows.append(row)
    return rows


def title_text(passage: Passage) -> str:
    return ". ".join([passage.title, "; ".join(passage.aliases)]) if passage.aliases else passage.title


def write_version(
    version_dir: Path,
    passages: list[Passage],
    cache: EmbeddingCache,
    manifest: dict,
    synonyms: dict[str, str],
) -> None:
    version_dir.mkdir(parents=True)
    with (version_dir / PASSAGES).open("w", encoding="utf-8") as handle:
        for passage in passages:
            handle.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
    firsts = first_passages(passages)
    titles = [title_text(p) for p in firsts]
    used: dict[str, np.ndarray] = {}
    rows_of: dict[str, list[int]] = {}
    for (kind, folded), name in DENSE.items():
        if kind == "titles":
            texts = titles
        else:
            rows_of[name] = dense_rows(passages, folded)
            texts = [passages[row].embedding_text() for row in rows_of[name]]
        batch = [fold_accents(t) for t in texts] if folded else texts
        vectors = cache.embed(batch)
        used.update(zip((text_key(t) for t in batch), vectors, strict=True))
        exact = kind == "titles" or len(vectors) < HNSW_THRESHOLD
        faiss.write_index(dense_index(vectors, exact=exact), str(version_dir / name))
    (version_dir / DENSE_ROWS).write_text(json.dumps(rows_of), encoding="utf-8")
    np.save(version_dir / VECTORS, np.stack(list(used.values())))
    (version_dir / VECTOR_KEYS).write_text(json.dumps(list(used)), encoding="utf-8")
    bm25_index([p.lexical_text() for p in passages], synonyms).save(str(version_dir / LEXICAL), corpus=None)
    # People name a procedure the way its title or aliases do ("sang tên sổ đỏ",
    # "hkd"), so a match there is strong evidence for the whole entry.
    bm25_index(titles, synonyms).save(str(version_dir / LEXICAL_TITLES), corpus=None)
    (version_dir / SYNONYMS).write_text(json.dumps(synonyms, ensure_ascii=False), encoding="utf-8")
    manifest["dimension"] = int(next(iter(used.values())).shape[0])
    manifest["dense_index"] = "hnsw" if len(rows_of[DENSE["passages", False]]) >= HNSW_THRESHOLD else "flat"
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
    """Build a new index version of ``content_dir`` if the content changed; publish it."""
    entries, synonyms = load_entries(content_dir), load_synonyms(content_dir)
    return build_entries(entries, synonyms, index_dir, model_name, load_embedder, force)


def build_entries(
    entries: list[Entry],
    synonyms: dict[str, str],
    index_dir: Path,
    model_name: str,
    load_embedder: Callable[[], Embedder] | None = None,
    force: bool = False,
    store: VectorStore | None = None,
) -> BuildReport:
    """Build a new index version of any list of entries if they changed; publish it.

    The embedding model is loaded only when some passage needs embedding, so
    an unchanged knowledge base costs no model load.
    """
    passages = [passage for entry in entries for passage in split_entry(entry)]
    index_dir.mkdir(parents=True, exist_ok=True)
    embedder_name = model_name
    fingerprint = build_fingerprint(passages, embedder_name, synonyms)
    current = current_version(index_dir)
    if current and not force and read_manifest(index_dir / current).get("fingerprint") == fingerprint:
        return BuildReport(current, False, len(passages), len(entries), 0, 0)

    cache = EmbeddingCache(index_dir, embedder_name, load_embedder, store)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    version = f"v{stamp}-{fingerprint[:8]}"
    manifest = {
        "version": version,
        "format": INDEX_FORMAT,
        "fingerprint": fingerprint,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "model": Path(embedder_name).name,
        "embedding_space": embedding_space(embedder_name),
        "entries": len(entries),
        "passages": len(passages),
        "embedded_passages": len(dense_rows(passages, folded=False)),
    }
    staging = index_dir / f".build-{version}"
    write_version(staging, passages, cache, manifest, synonyms)
    staging.rename(index_dir / version)
    publish(index_dir, version)
    prune(index_dir)
    log.info("published index %s: %d passages, %d texts embedded", version, len(passages), cache.embedded)
    return BuildReport(version, True, len(passages), len(entries), cache.embedded, cache.reused)
