"""Retrieval quality of lexical, dense and hybrid search on the evaluation set.

Run: .venv/bin/python -m bench.search_quality   (after `make test` or `make run` built the index)
Writes bench/results/search_quality.md and .json.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.questions import Question, load_questions, ranking_scores, with_diacritics, without_diacritics
from knowledge.embedder import Embedder
from knowledge.search import Candidates, SearchIndex, open_published
from knowledge.settings import KnowledgeSettings

RESULTS = Path(__file__).resolve().parent / "results"
MODES = ("lexical", "dense", "hybrid")
COMMAND = ".venv/bin/python -m bench.search_quality"


def evaluate(index: SearchIndex, cases: list[tuple[Question, Candidates | None]], mode: str) -> dict[str, float]:
    """What ``index.search(question, k=5, mode=mode)`` finds, from candidates computed once for all modes."""
    ranked = []
    for question, candidates in cases:
        found = index.rank(candidates, 5, index.fusion_weights(mode, candidates.folded)) if candidates else []
        ranked.append((question, [r.entry_id for r in found]))
    return ranking_scores(ranked)


def main() -> None:
    settings = KnowledgeSettings.from_env()
    index = open_published(settings.index_dir, Embedder(settings.embedding_model))
    version = index.version
    known = set(index.passages.entry_ids)
    questions = load_questions("eval_questions.txt", known)
    sets = {"with diacritics": with_diacritics(questions), "without diacritics": without_diacritics(questions)}
    report = {}
    for name, subset in sets.items():
        cases = [(q, index.candidates(q.text)) for q in subset]
        report[name] = {mode: evaluate(index, cases, mode) for mode in MODES}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search_quality.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    lines = [
        f"<!-- produced by: {COMMAND} -->",
        "# Search quality on the evaluation set",
        "",
        f"Command: `{COMMAND}`  ",
        f"Index: {version} ({index.manifest['entries']} entries, {index.manifest['passages']} passages), "
        f"model: {index.manifest['model']}.  ",
        "Questions: bench/data/eval_questions.txt (never used for tuning); a hit is any labelled entry "
        "among the results, one result per entry.",
        "",
        "| questions | mode | n | Recall@1 | Recall@5 | MRR@5 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, by_mode in report.items():
        for mode, m in by_mode.items():
            lines.append(
                f"| {name} | {mode} | {m['questions']} | {m['recall@1']:.3f} | {m['recall@5']:.3f} | {m['mrr@5']:.3f} |"
            )
    (RESULTS / "search_quality.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
