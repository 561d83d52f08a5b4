"""Search latency and action-server memory (building the index: bench/index_build.py).

Run: .venv/bin/python -m bench.search_speed   (after the index is built; takes a few minutes)
Writes bench/results/search_speed.md and .json.

- Latency: every evaluation question, of the curated and of the catalogue set (as
  typed, and without diacritics) through SearchIndex.search, embedding included, on
  the live index (content and national catalogue) and on a synthetic 100,000-passage index.
- The synthetic index reuses real passage texts with random extra words for the
  lexical side and random unit vectors for the dense side: embedding 100k passages
  four ways would take hours here, and dense search speed does not depend on the
  vectors' meaning. It therefore measures speed, not quality.
- Memory: resident set size of the real action server process once healthy.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.questions import Question, load_catalogue_questions, load_questions, without_diacritics
from knowledge.embedder import Embedder
from knowledge.entries import load_entries
from knowledge.index import INDEX_FORMAT, EmbeddingCache, publish, text_key, title_text, write_version
from knowledge.lexicon import load_synonyms
from knowledge.passages import Passage, split_entry
from knowledge.search import SearchIndex, open_published
from knowledge.settings import KnowledgeSettings
from knowledge.text import fold_accents
from stack.processes import action_server, free_port

RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.search_speed"
SYNTHETIC_PASSAGES = 100_000
PASSAGES_PER_ENTRY = 10


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def latency(index: SearchIndex, queries: list[str]) -> dict[str, float]:
    for query in queries[:5]:  # warm-up
        index.search(query)
    timings = []
    for query in queries:
        start = time.perf_counter()
        index.search(query)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "queries": len(timings),
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "mean_ms": round(statistics.fmean(timings), 1),
    }


def synthetic_passages(real: list[Passage], count: int, seed: int = 7) -> list[Passage]:
    rng = random.Random(seed)
    vocabulary = sorted({word for p in real for word in p.text.split()})
    passages = []
    for number in range(count):
        base = real[number % len(real)]
        entry = f"synthetic-{number // PASSAGES_PER_ENTRY}"
        extra = " ".join(rng.choice(vocabulary) for _ in range(20))
        passages.append(
            Passage(
                passage_id=f"{entry}#{number % PASSAGES_PER_ENTRY}",
                entry_id=entry,
                entry_type=base.entry_type,
                audience=base.audience,
                title=f"{base.title} ({number // PASSAGES_PER_ENTRY})",
                heading_path=[f"{base.title} ({number // PASSAGES_PER_ENTRY})", *base.heading_path[1:]],
                text=f"{base.text} {extra}",
                citation=base.citation,
                url=base.url,
                aliases=base.aliases,
            )
        )
    return passages


def build_synthetic(target: Path, real: list[Passage], model_name: str, dimension: int) -> tuple[Path, float]:
    passages = synthetic_passages(real, SYNTHETIC_PASSAGES)
    cache = EmbeddingCache(target, model_name, load_embedder=None)
    rng = np.random.default_rng(7)
    texts = [p.embedding_text() for p in passages] + [title_text(p) for p in passages]
    for text in texts + [fold_accents(t) for t in texts]:
        vector = rng.standard_normal(dimension).astype(np.float32)
        cache.vectors[text_key(text)] = vector / np.linalg.norm(vector)
    version = "vsynthetic"
    manifest = {
        "version": version,
        "format": INDEX_FORMAT,
        "fingerprint": "synthetic",
        "model": Path(model_name).name,
        "entries": SYNTHETIC_PASSAGES // PASSAGES_PER_ENTRY,
        "passages": len(passages),
        "dense_index": "hnsw",
    }
    start = time.perf_counter()
    write_version(target / version, passages, cache, manifest, load_synonyms(KnowledgeSettings.from_env().content_dir))
    publish(target, version)
    return target / version, time.perf_counter() - start


def action_server_rss_mb(index_dir: Path) -> float:
    log = Path(tempfile.gettempdir()) / "bench-action-server.log"
    server = action_server(free_port(), {"KNOWLEDGE_INDEX_DIR": str(index_dir), "LOG_LEVEL": "WARNING"}, log)
    try:
        server.start()
        server.wait_healthy(timeout=900)
        return server.rss_mb()
    finally:
        server.stop()


def main() -> None:
    settings = KnowledgeSettings.from_env()
    embedder = Embedder(settings.embedding_model)
    report: dict = {"load_before": os.getloadavg()[0]}

    shipped = open_published(settings.index_dir, embedder)
    questions = load_questions("eval_questions.txt") + [
        Question(q.text, frozenset()) for q in load_catalogue_questions()
    ]
    queries = [q.text for q in questions] + [q.text for q in without_diacritics(questions)]
    report["latency_shipped"] = latency(shipped, queries) | {"passages": len(shipped.passages)}
    report["rss_shipped_mb"] = {"action_server": action_server_rss_mb(settings.index_dir)}

    synthetic_root = Path(tempfile.mkdtemp(prefix="synthetic-index-"))
    try:
        real = [p for entry in load_entries(settings.content_dir) for p in split_entry(entry)]
        version_dir, write_seconds = build_synthetic(synthetic_root, real, settings.embedding_model, embedder.dimension)
        start = time.perf_counter()
        big = SearchIndex(version_dir, embedder)
        load_seconds = time.perf_counter() - start
        report["latency_100k"] = latency(big, queries) | {
            "passages": len(big.passages),
            "index_write_s": round(write_seconds, 1),
            "load_s": round(load_seconds, 1),
        }
        del big
        report["rss_100k_mb"] = {"action_server": action_server_rss_mb(synthetic_root)}
    finally:
        shutil.rmtree(synthetic_root, ignore_errors=True)

    report["load_after"] = os.getloadavg()[0]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search_speed.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    s, g = report["latency_shipped"], report["latency_100k"]
    lines = [
        f"<!-- produced by: {COMMAND} -->",
        "# Search speed and memory (2-core machine, CPU only)",
        "",
        f"Command: `{COMMAND}`. Latency is per query, end to end in SearchIndex.search "
        "(query embedding, diacritic restoration, dense and lexical search, fusion, confidence), "
        f"over {s['queries']} queries (the curated and the catalogue evaluation questions, as typed and "
        "without diacritics). Building the index: bench/results/index_build.md. Load average (1 min) "
        f"{report['load_before']:.1f} before, {report['load_after']:.1f} after (2 cores: above 1, other work "
        "shared the CPU and the query embedding, most of a query's time, slowed with it).",
        "",
        "| index | passages | p50 ms | p95 ms | mean ms | action server RSS MB |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| live: content + national catalogue (exact faiss) | {s['passages']} | {s['p50_ms']} | "
        f"{s['p95_ms']} | {s['mean_ms']} | "
        f"{report['rss_shipped_mb']['action_server']} |",
        f"| synthetic (HNSW) | {g['passages']} | {g['p50_ms']} | {g['p95_ms']} | {g['mean_ms']} | "
        f"{report['rss_100k_mb']['action_server']} |",
        "",
        f"Synthetic 100k index: written in {g['index_write_s']} s (vectors given), loaded in {g['load_s']} s.",
    ]
    (RESULTS / "search_speed.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
