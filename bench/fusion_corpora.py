"""Every search mode on two kinds of corpus, with and without diacritics.

The knowledge base (titles are the questions people ask) and the legal-article
corpus of bench/legal_corpus.py (titles "<law> Điều N" say nothing of the
content): a fusion that holds on one only is caught here. Each question's four
rankings are computed once and every mode fuses them, so all modes see the same
candidates.

Run: .venv/bin/python -m bench.fusion_corpora   (after the index is built; builds the legal index if stale)
Writes bench/results/fusion_corpora.md and .json (evaluation sets only).
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.legal_corpus import INDEX_DIR as LEGAL_INDEX_DIR
from bench.legal_corpus import build_legal_index
from bench.questions import Question, load_questions, ranking_scores, with_diacritics, without_diacritics
from knowledge.embedder import Embedder
from knowledge.search import Candidates, SearchIndex, load_calibration, open_published
from knowledge.settings import KnowledgeSettings

RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.fusion_corpora"
SINGLE = {
    "dense passages": {"dense": 1.0},
    "dense titles": {"dense_titles": 1.0},
    "lexical passages": {"passages": 1.0},
    "lexical titles": {"titles": 1.0},
}
MODES = ("dense", "lexical", *SINGLE, "hybrid")


def weights_of(index: SearchIndex, mode: str, folded: bool) -> dict[str, float]:
    return SINGLE[mode] if mode in SINGLE else index.fusion_weights(mode, folded)


def scores(index: SearchIndex, cases: list[tuple[Question, Candidates]], mode: str, k: int = 5) -> dict[str, float]:
    ranked = []
    for question, candidates in cases:
        fused = index.fuse(candidates, weights_of(index, mode, candidates.folded))[:k]
        ranked.append((question, [index.passages.entry_ids[row] for row, _ in fused]))
    return ranking_scores(ranked)


def corpus_cases(index: SearchIndex, questions_file: str) -> dict[str, list[tuple[Question, Candidates]]]:
    """The answerable questions with and without diacritics, each with its rankings."""
    questions = [q for q in load_questions(questions_file, set(index.passages.entry_ids)) if q.answers]
    forms = {"with diacritics": with_diacritics(questions), "without diacritics": without_diacritics(questions)}
    return {
        form: [(q, c) for q in subset if (c := index.candidates(q.text)) is not None] for form, subset in forms.items()
    }


def corpus_report(
    index: SearchIndex, cases: dict[str, list[tuple[Question, Candidates]]]
) -> dict[str, dict[str, dict[str, float]]]:
    return {form: {mode: scores(index, form_cases, mode) for mode in MODES} for form, form_cases in cases.items()}


def main() -> dict[str, tuple[SearchIndex, dict[str, list[tuple[Question, Candidates]]]]]:
    settings = KnowledgeSettings.from_env()
    embedder = Embedder(settings.embedding_model)
    build_legal_index(settings, embedder)
    corpora = {
        "knowledge base": (open_published(settings.index_dir, embedder), "eval_questions.txt"),
        # the weights fitted for the knowledge base's index, on purpose
        "legal articles": (open_published(LEGAL_INDEX_DIR, embedder, load_calibration()), "legal_eval_questions.txt"),
    }
    cases = {name: (index, corpus_cases(index, questions)) for name, (index, questions) in corpora.items()}
    report = {name: corpus_report(index, corpus) for name, (index, corpus) in cases.items()}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fusion_corpora.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    lines = [
        f"<!-- produced by: {COMMAND} -->",
        "# Every search mode on two kinds of corpus",
        "",
        f"Command: `{COMMAND}`  ",
        "Fusion weights: knowledge/calibration.json (fitted by bench/calibrate.py on both tuning sets).  ",
    ]
    for name, (index, questions) in corpora.items():
        lines.append(
            f"- {name}: index {index.version} ({index.manifest['entries']} entries, "
            f"{index.manifest['passages']} passages), questions bench/data/{questions} (answerable ones, "
            "never used for tuning)"
        )
    lines += [
        "",
        "dense = dense passages + dense titles; lexical = lexical passages + lexical titles; "
        "hybrid = all four with the fitted weights. A hit is the labelled entry among the top 5, one result per entry.",
        "",
        "| corpus | questions | mode | n | Recall@1 | Recall@5 | MRR@5 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    verdicts = []
    for name, forms in report.items():
        for form, by_mode in forms.items():
            for mode, m in by_mode.items():
                lines.append(
                    f"| {name} | {form} | {mode} | {m['questions']} | {m['recall@1']:.3f} | "
                    f"{m['recall@5']:.3f} | {m['mrr@5']:.3f} |"
                )
            best = max(SINGLE, key=lambda mode: by_mode[mode]["mrr@5"])
            hybrid = by_mode["hybrid"]
            holds = all(hybrid[m] >= by_mode[best][m] for m in ("recall@1", "mrr@5"))
            verdicts.append(
                f"| {name} | {form} | {best} | {by_mode[best]['recall@1']:.3f} | {by_mode[best]['mrr@5']:.3f} | "
                f"{hybrid['recall@1']:.3f} | {hybrid['mrr@5']:.3f} | {'yes' if holds else 'no'} |"
            )
    lines += [
        "",
        "## Hybrid against the best single ranking (by MRR@5)",
        "| corpus | questions | best single ranking | its Recall@1 | its MRR@5 | hybrid Recall@1 | hybrid MRR@5 "
        "| hybrid ≥ best |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *verdicts,
    ]
    (RESULTS / "fusion_corpora.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return cases


if __name__ == "__main__":
    main()
