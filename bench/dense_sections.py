"""Which sections of a procedure are worth a vector: search quality against build cost.

Run: .venv/bin/python -m bench.dense_sections   (after `make index`: the vectors come
from the machine's vector store, so each variant builds in a minute or two)
For each choice of sections (knowledge.index.DENSE_PROCEDURE_SECTIONS), builds the live
knowledge into var/bench/index-sections and reports hybrid Recall@1/@5 on both question
sets and how many texts a build from scratch would embed. Writes
bench/results/dense_sections.md and .json.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import knowledge.index
from bench.catalogue_scale import scores
from bench.questions import as_questions, load_catalogue_questions, load_questions, with_diacritics, without_diacritics
from knowledge.embedder import Embedder, embedding_space
from knowledge.index import build_entries, dense_rows, first_passages
from knowledge.lexicon import load_synonyms
from knowledge.live_content import load_live_entries
from knowledge.passages import split_entry
from knowledge.search import SearchIndex
from knowledge.settings import REPO_ROOT, KnowledgeSettings
from knowledge.text import has_diacritics
from knowledge.vector_store import VectorStore

RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.dense_sections"
TARGET = REPO_ROOT / "var" / "bench" / "index-sections"
VARIANTS = {
    "summary only": ("Tóm tắt",),
    "summary, conditions": ("Tóm tắt", "Yêu cầu, điều kiện"),
    "summary, documents, conditions": ("Tóm tắt", "Thành phần hồ sơ", "Yêu cầu, điều kiện"),
    "summary, documents, steps, conditions": (
        "Tóm tắt",
        "Thành phần hồ sơ",
        "Trình tự thực hiện",
        "Yêu cầu, điều kiện",
    ),
}


def main() -> None:
    settings = KnowledgeSettings.from_env()
    embedder = Embedder(settings.embedding_model)
    entries = load_live_entries(settings)
    passages = [p for e in entries for p in split_entry(e)]
    ids_of_code = {e.procedure_code: e.id for e in entries if e.procedure_code}
    items = [i for i in load_catalogue_questions() if any(c in ids_of_code for c in i.codes)]
    new_set = as_questions(items, ids_of_code)
    curated = load_questions("eval_questions.txt")
    subsets = {
        "curated, with diacritics": with_diacritics(curated),
        "curated, without": without_diacritics(curated),
        "catalogue, typed with diacritics": [q for q in new_set if has_diacritics(q.text)],
        "catalogue, typed without": [q for q in new_set if not has_diacritics(q.text)],
    }
    store = VectorStore(settings.vector_store, embedding_space(settings.embedding_model))  # type: ignore[arg-type]
    report = {}
    for name, sections in VARIANTS.items():
        knowledge.index.DENSE_PROCEDURE_SECTIONS = frozenset(sections)
        embedded = len(dense_rows(passages, folded=False)) + len(dense_rows(passages, folded=True))
        texts = embedded + 2 * len(first_passages(passages))
        shutil.rmtree(TARGET, ignore_errors=True)
        built = build_entries(
            entries,
            load_synonyms(settings.content_dir),
            TARGET,
            settings.embedding_model,
            lambda: embedder,
            store=store,
        )
        index = SearchIndex(TARGET / built.version, embedder)
        report[name] = {"texts": texts, **{s: scores(index, qs) for s, qs in subsets.items()}}
    store.close()
    shutil.rmtree(TARGET, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "dense_sections.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    header = " | ".join(f"{s} R@1 / R@5" for s in subsets)
    lines = [
        f"<!-- produced by: {COMMAND} -->",
        "# Which procedure sections get a vector",
        "",
        f"Command: `{COMMAND}`. Live knowledge ({len(entries)} entries, {len(passages)} passages); hybrid "
        f"search; catalogue set: {len(new_set)} questions; texts = what a build from scratch embeds "
        "(passages as written and folded, entry titles both ways).",
        "",
        f"| sections | texts | {header} |",
        "| --- | --- |" + " --- |" * len(subsets),
    ]
    for name, row in report.items():
        cells = " | ".join(f"{row[s]['recall@1']:.3f} / {row[s]['recall@5']:.3f}" for s in subsets)
        lines.append(f"| {name} | {row['texts']} | {cells} |")
    (RESULTS / "dense_sections.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
