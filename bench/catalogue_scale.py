"""What 60× the knowledge costs and buys: both question sets on both index sizes.

Run: .venv/bin/python -m bench.catalogue_scale   (after `make index` built the live index)
Writes bench/results/catalogue_scale.md and .json.

- Index sizes: the curated content alone (45 procedures and the FAQ and programme
  entries, built here into var/bench/index-curated from the machine's vector store)
  and the live index (the curated content plus the imported national catalogue).
- Sets: bench/data/eval_questions.txt (the curated set, labelled by entry id) and
  bench/data/catalogue_questions.yml (questions over the catalogue, labelled by
  procedure code; never used for tuning), each with and without diacritics.
- Hybrid search as the dialogue calls it, one result per entry: Recall@1, Recall@5, MRR@5.
- Unanswerable questions (the tuning sets' questions outside the knowledge base):
  the share whose best result is confident enough to be answered.

Targets (issue 15) on the live index: new set Recall@5 >= 0.90 and Recall@1 >= 0.75
(with and without diacritics); the curated set's Recall@5 no more than 0.02 below its
value on the curated index.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.questions import (
    Question,
    as_questions,
    load_catalogue_questions,
    load_questions,
    ranking_scores,
    realistic_tuning_questions,
    with_diacritics,
    without_diacritics,
)
from knowledge.embedder import Embedder, embedding_space
from knowledge.entries import load_entries
from knowledge.index import build_entries
from knowledge.lexicon import load_synonyms
from knowledge.live_content import load_live_entries
from knowledge.search import SearchIndex, open_published
from knowledge.settings import REPO_ROOT, KnowledgeSettings
from knowledge.text import has_diacritics
from knowledge.vector_store import VectorStore

RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.catalogue_scale"
CURATED_INDEX = REPO_ROOT / "var" / "bench" / "index-curated"
TARGETS = {"recall@5": 0.90, "recall@1": 0.75, "curated_recall@5_drop": 0.02}


def scores(index: SearchIndex, questions: list[Question]) -> dict[str, float]:
    return ranking_scores([(q, [r.entry_id for r in index.search(q.text, k=5)]) for q in questions])


def confident_share(index: SearchIndex, questions: list[Question], threshold: float) -> dict[str, float]:
    confident = sum(
        bool(found) and found[0].confidence >= threshold for found in (index.search(q.text) for q in questions)
    )
    return {"questions": len(questions), "confident": confident, "share": round(confident / max(1, len(questions)), 3)}


def curated_index(settings: KnowledgeSettings, embedder: Embedder) -> SearchIndex:
    entries = load_entries(settings.content_dir)
    store = (
        VectorStore(settings.vector_store, embedding_space(settings.embedding_model)) if settings.vector_store else None
    )
    report = build_entries(
        entries,
        load_synonyms(settings.content_dir),
        CURATED_INDEX,
        settings.embedding_model,
        lambda: embedder,
        store=store,
    )
    return SearchIndex(CURATED_INDEX / report.version, embedder)


def main() -> None:
    settings = KnowledgeSettings.from_env()
    embedder = Embedder(settings.embedding_model)
    ids_of_code = {e.procedure_code: e.id for e in load_live_entries(settings) if e.procedure_code}
    curated_questions = load_questions("eval_questions.txt")
    every_item = load_catalogue_questions()
    # a question whose record the import rejected has no entry anywhere: reported, not scored
    catalogue_items = [i for i in every_item if any(c in ids_of_code for c in i.codes)]
    report_not_held = [i.text for i in every_item if i not in catalogue_items]
    unanswerable = [q for q in realistic_tuning_questions() if not q.answers]
    indexes = {"curated": curated_index(settings, embedder), "live": open_published(settings.index_dir, embedder)}
    report: dict = {"indexes": {}, "sets": {}, "unanswerable": {}, "not_imported": report_not_held}
    for size, index in indexes.items():
        held = set(index.catalog.entries)
        codes = {code: entry_id for code, entry_id in ids_of_code.items() if entry_id in held}
        new_set = as_questions(catalogue_items, codes)
        typed_with = [q for q in new_set if has_diacritics(q.text)]
        typed_without = [q for q in new_set if not has_diacritics(q.text)]
        subsets = {
            "curated set, with diacritics": with_diacritics(curated_questions),
            "curated set, without diacritics": without_diacritics(curated_questions),
            "catalogue set, typed with diacritics": typed_with,
            "catalogue set, typed without diacritics": typed_without,
            "catalogue set, all folded": without_diacritics(new_set),
            "catalogue set, naming the qualifier": [
                q for q, i in zip(new_set, catalogue_items, strict=True) if i.qualifier
            ],
            "catalogue set, not naming it": [
                q for q, i in zip(new_set, catalogue_items, strict=True) if not i.qualifier
            ],
        }
        report["indexes"][size] = {
            "version": index.version,
            "entries": index.manifest["entries"],
            "passages": index.manifest["passages"],
            "catalogue questions answerable": sum(bool(q.answers) for q in new_set),
        }
        for name, questions in subsets.items():
            report["sets"].setdefault(name, {})[size] = scores(index, questions)
        report["unanswerable"][size] = confident_share(index, unanswerable, settings.min_confidence)
        by_ministry: dict[str, list[Question]] = {}
        for question, item in zip(new_set, catalogue_items, strict=True):
            by_ministry.setdefault(item.ministry, []).append(question)
        report.setdefault("by_ministry", {})[size] = {m: scores(index, qs) for m, qs in sorted(by_ministry.items())}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "catalogue_scale.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    markdown = to_markdown(report, len(catalogue_items), len(every_item))
    (RESULTS / "catalogue_scale.md").write_text(markdown, encoding="utf-8")
    print(markdown)


def to_markdown(report: dict, catalogue_questions: int, written: int) -> str:
    curated, live = report["indexes"]["curated"], report["indexes"]["live"]
    lines = [
        f"<!-- produced by: {COMMAND} -->",
        "# Search at the scale of the national catalogue",
        "",
        f"Command: `{COMMAND}`. Hybrid search as the dialogue calls it, one result per entry. "
        f"Catalogue set: {catalogue_questions} of the {written} questions of bench/data/catalogue_questions.yml "
        "(the others are labelled with a record the import rejected, listed in the JSON as not_imported).",
        "",
        "| index | version | entries | passages | catalogue questions it can answer |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| {size} | {i['version']} | {i['entries']} | {i['passages']} | "
            f"{i['catalogue questions answerable']}/{catalogue_questions} |"
            for size, i in (("curated content", curated), ("live (content + catalogue)", live))
        ),
        "",
        "| questions | n | R@1 curated | R@1 live | R@5 curated | R@5 live | MRR@5 curated | MRR@5 live |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, by_size in report["sets"].items():
        c, v = by_size["curated"], by_size["live"]
        lines.append(
            f"| {name} | {v['questions']} | {c['recall@1']:.3f} | {v['recall@1']:.3f} | {c['recall@5']:.3f} | "
            f"{v['recall@5']:.3f} | {c['mrr@5']:.3f} | {v['mrr@5']:.3f} |"
        )
    lines += [
        "",
        "Catalogue set on the live index, by ministry:",
        "",
        "| ministry | n | Recall@1 | Recall@5 |",
        "| --- | --- | --- | --- |",
        *(
            f"| {m} | {s['questions']} | {s['recall@1']:.3f} | {s['recall@5']:.3f} |"
            for m, s in report["by_ministry"]["live"].items()
        ),
        "",
        "Unanswerable tuning questions (outside the knowledge base) whose best result is confident "
        "enough to be answered:",
        "",
        *(
            f"- {size}: {u['confident']}/{u['questions']} ({u['share']:.1%})"
            for size, u in report["unanswerable"].items()
        ),
        "",
        f"Targets (issue 15), live index: catalogue set Recall@5 >= {TARGETS['recall@5']} and Recall@1 >= "
        f"{TARGETS['recall@1']} with and without diacritics; the curated set's Recall@5 at most "
        f"{TARGETS['curated_recall@5_drop']} below its value on the curated index.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
