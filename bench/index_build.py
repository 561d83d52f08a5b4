"""How long the live index takes to build, and where the time goes.

Run: .venv/bin/python -m bench.index_build   (about 15 minutes on 2 cores)
Writes bench/results/index_build.md and .json.

- From scratch: the live knowledge (curated content and the imported catalogue)
  into an empty directory with no vector store: every text embedded.
- From the vector store: the same into another empty directory with the machine's
  store (what a fresh clone or a CI run on this machine pays).
- Incremental: one FAQ entry edited (a paragraph added), built on top of the
  published version (only its changed passages embedded; the model loaded once).
- What the embedding settings change: the cosine between vectors of a sample of
  catalogue passages read to 256 tokens and to 512, and the speed of each.
Targets (issue 15): from scratch <= 15 min, incremental <= 30 s.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from knowledge.embedder import MAX_TOKENS, Embedder, embedding_space
from knowledge.index import CURRENT, build_entries, current_version, dense_rows
from knowledge.lexicon import load_synonyms
from knowledge.live_content import load_live_entries
from knowledge.passages import split_entry
from knowledge.settings import KnowledgeSettings
from knowledge.vector_store import VectorStore

RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.index_build"
SAMPLE = 300
EDITED = "faq/giay-bien-nhan-ho-so.md"


class TimedEmbedder:
    """The real embedder, timing and counting what it embeds."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.dimension = embedder.dimension
        self.name = embedder.name
        self.seconds = 0.0
        self.texts = 0

    def passages(self, texts: list[str]) -> np.ndarray:
        start = time.perf_counter()
        vectors = self.embedder.passages(texts)
        self.seconds += time.perf_counter() - start
        self.texts += len(texts)
        return vectors

    def queries(self, texts: list[str]) -> np.ndarray:
        return self.embedder.queries(texts)


def timed_build(settings: KnowledgeSettings, index_dir: Path, store: VectorStore | None, content_dir: Path) -> dict:
    start = time.perf_counter()
    loaded: list[TimedEmbedder] = []

    def load() -> TimedEmbedder:
        model_start = time.perf_counter()
        loaded.append(TimedEmbedder(Embedder(settings.embedding_model)))
        loaded[0].load_seconds = time.perf_counter() - model_start  # type: ignore[attr-defined]
        return loaded[0]

    entries = load_live_entries(settings, content_dir)
    report = build_entries(
        entries, load_synonyms(content_dir), index_dir, settings.embedding_model, load, force=False, store=store
    )
    seconds = time.perf_counter() - start
    embedder = loaded[0] if loaded else None
    return {
        "seconds": round(seconds, 1),
        "entries": report.entries,
        "passages": report.passages,
        "texts_embedded": report.embedded,
        "texts_reused": report.reused,
        "embedding_s": round(embedder.seconds, 1) if embedder else 0.0,
        "model_load_s": round(getattr(embedder, "load_seconds", 0.0), 1),
        "texts_per_s": round(embedder.texts / embedder.seconds, 1) if embedder and embedder.seconds else None,
    }


def max_tokens_effect(settings: KnowledgeSettings) -> dict:
    """Vectors of catalogue passages read to MAX_TOKENS against the model's full 512."""
    passages = [p for e in load_live_entries(settings) for p in split_entry(e)]
    rows = dense_rows(passages, folded=False)
    sample = [passages[row].embedding_text() for row in random.Random(15).sample(rows, SAMPLE)]
    embedder = Embedder(settings.embedding_model)
    timings = {}
    vectors = {}
    for tokens in (512, MAX_TOKENS):
        embedder.model.max_seq_length = tokens
        start = time.perf_counter()
        vectors[tokens] = embedder.passages(sample)
        timings[tokens] = round(len(sample) / (time.perf_counter() - start), 1)
    cosines = (vectors[512] * vectors[MAX_TOKENS]).sum(axis=1)
    return {
        "sample": SAMPLE,
        "texts_per_s_512": timings[512],
        f"texts_per_s_{MAX_TOKENS}": timings[MAX_TOKENS],
        "cosine_mean": round(float(cosines.mean()), 4),
        "cosine_min": round(float(cosines.min()), 4),
    }


def main() -> None:
    settings = KnowledgeSettings.from_env()
    report: dict = {"embedding_space": embedding_space(settings.embedding_model), "load_before": os.getloadavg()[0]}
    scratch = Path(tempfile.mkdtemp(prefix="bench-index-build-"))
    try:
        report["from_scratch"] = timed_build(settings, scratch / "scratch", None, settings.content_dir)
        if settings.vector_store is not None:
            store = VectorStore(settings.vector_store, embedding_space(settings.embedding_model))
            report["from_vector_store"] = timed_build(settings, scratch / "store", store, settings.content_dir)
            store.close()
        content = scratch / "content"
        shutil.copytree(settings.content_dir, content)
        edited = content / EDITED
        edited.write_text(
            edited.read_text(encoding="utf-8")
            + "\n\nĐoạn thêm để đo thời gian dựng lại chỉ mục sau khi sửa một mục.\n",
            encoding="utf-8",
        )
        live = current_version(scratch / "scratch")
        incremental = scratch / "incremental"
        incremental.mkdir()
        shutil.copytree(scratch / "scratch" / live, incremental / live)
        (incremental / CURRENT).write_text(live + "\n", encoding="utf-8")
        report["incremental"] = timed_build(settings, incremental, None, content)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report["max_tokens"] = max_tokens_effect(settings)
    report["load_after"] = os.getloadavg()[0]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "index_build.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    markdown = to_markdown(report)
    (RESULTS / "index_build.md").write_text(markdown, encoding="utf-8")
    print(markdown)


def to_markdown(report: dict) -> str:
    rows = [("from scratch (no vector store)", report["from_scratch"])]
    if "from_vector_store" in report:
        rows.append(("from the machine's vector store (fresh clone)", report["from_vector_store"]))
    rows.append((f"incremental ({EDITED} edited)", report["incremental"]))
    m = report["max_tokens"]
    return (
        "\n".join(
            [
                f"<!-- produced by: {COMMAND} -->",
                "# Building the live index (2 cores, CPU only)",
                "",
                f"Command: `{COMMAND}`. Embedding space {report['embedding_space']}. Load average (1 min) "
                f"{report['load_before']:.1f} before, {report['load_after']:.1f} after (2 cores: above 2, other "
                "work shared the machine and the times are longer than on an idle one).",
                "",
                "| build | s | entries | passages | embedded | reused | embedding s | model load s | texts/s |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
                *(
                    f"| {name} | {r['seconds']} | {r['entries']} | {r['passages']} | {r['texts_embedded']} | "
                    f"{r['texts_reused']} | {r['embedding_s']} | {r['model_load_s']} | {r['texts_per_s'] or '-'} |"
                    for name, r in rows
                ),
                "",
                "Where the time goes: embedding is the build's cost; the rest (reading the entries, cutting "
                "passages, BM25 and faiss indexes, writing the version) is the difference between the two columns.",
                "",
                f"Reading {MAX_TOKENS} tokens instead of 512, on {m['sample']} catalogue passages that get a vector: "
                f"{m['texts_per_s_512']} → {m[f'texts_per_s_{MAX_TOKENS}']} texts/s; cosine between the two "
                f"vectors of a passage: mean {m['cosine_mean']}, min {m['cosine_min']}.",
                "",
                "Targets (issue 15): from scratch <= 900 s, incremental <= 30 s.",
            ]
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
