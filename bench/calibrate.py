"""Fit the search's fusion weights and confidence calibration on the tuning questions.

Run: .venv/bin/python -m bench.calibrate   (after the index is built)
Writes knowledge/calibration.json (read by knowledge/search.py) and
bench/results/calibration.md. The fusion weights are fitted on two kinds of
corpus at once: the knowledge base (bench/data/tuning_questions.txt and the single
questions of bench/data/conversations_tuning.yml) and the
legal articles of bench/legal_corpus.py (bench/data/legal_tuning_questions.txt),
whose titles are not questions; the confidence on the knowledge base only. The
evaluation sets stay untouched for bench/search_quality.py and bench/fusion_corpora.py.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from bench.legal_corpus import INDEX_DIR as LEGAL_INDEX_DIR
from bench.legal_corpus import build_legal_index
from bench.questions import (
    Question,
    load_questions,
    realistic_tuning_questions,
    with_diacritics,
    without_diacritics,
)
from knowledge.embedder import Embedder
from knowledge.search import CALIBRATION_FILE, MIN_CONTENT_WEIGHT, Candidates, SearchIndex, open_published
from knowledge.settings import KnowledgeSettings

RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.calibrate"
# Content rankings never go below MIN_CONTENT_WEIGHT: a corpus whose titles are
# not questions needs them (knowledge/search.py refuses a fit without them).
GRID = {
    "dense": tuple(w for w in (0.5, 1.0, 1.5) if w >= MIN_CONTENT_WEIGHT),
    "dense_titles": (0.0, 0.5, 1.0, 1.5),
    "passages": tuple(w for w in (0.5, 1.0, 1.5) if w >= MIN_CONTENT_WEIGHT),
    "titles": (0.0, 0.5, 1.0, 1.5),
}
# The two kinds of corpus the weights must hold on, each with its tuning questions.
TUNING = {"knowledge base": "tuning_questions.txt", "legal articles": "legal_tuning_questions.txt"}
Cases = list[tuple[Question, Candidates]]


def mrr(index: SearchIndex, cases: Cases, weights: dict[str, float]) -> tuple[float, float]:
    reciprocal = top1 = 0.0
    for question, candidates in cases:
        ranked = [index.passages.entry_ids[row] for row, _ in index.fuse(candidates, weights)[:5]]
        rank = next((i for i, e in enumerate(ranked, 1) if e in question.answers), None)
        reciprocal += 1 / rank if rank else 0.0
        top1 += rank == 1
    return reciprocal / len(cases), top1 / len(cases)


def best_weights(
    corpora: dict[str, tuple[SearchIndex, Cases]],
) -> tuple[dict[str, float], dict[str, tuple[float, float]]]:
    """The grid point with the best mean MRR@5 over the corpora (each counts the same)."""
    best: tuple[float, float, dict[str, float], dict[str, tuple[float, float]]] | None = None
    for values in itertools.product(*GRID.values()):
        weights = dict(zip(GRID, values, strict=True))
        per_corpus = {name: mrr(index, cases, weights) for name, (index, cases) in corpora.items()}
        score = sum(m for m, _ in per_corpus.values()) / len(per_corpus)
        top1 = sum(t for _, t in per_corpus.values()) / len(per_corpus)
        if best is None or (score, top1) > best[:2]:
            best = (score, top1, weights, per_corpus)
    assert best is not None
    return best[2], best[3]


def main() -> None:
    settings = KnowledgeSettings.from_env()
    embedder = Embedder(settings.embedding_model)
    build_legal_index(settings, embedder)
    # calibration.json is what is being refitted: read as it is, not checked
    previous = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    indexes = {
        "knowledge base": open_published(settings.index_dir, embedder, previous),
        "legal articles": open_published(LEGAL_INDEX_DIR, embedder, previous),
    }
    index = indexes["knowledge base"]
    version = index.version
    questions = load_questions(TUNING["knowledge base"], set(index.passages.entry_ids))
    forms = {"accented": with_diacritics, "unaccented": without_diacritics}
    cases: dict[str, dict[str, Cases]] = {name: {} for name in indexes}
    counts = {}
    for name, corpus_index in indexes.items():
        corpus_questions = load_questions(TUNING[name], set(corpus_index.passages.entry_ids))
        if name == "knowledge base":  # and the questions written the way people type
            corpus_questions += realistic_tuning_questions(set(corpus_index.passages.entry_ids))
        counts[name] = len(corpus_questions)
        for form, select in forms.items():
            cases[name][form] = [(q, corpus_index.candidates(q.text)) for q in select(corpus_questions)]

    fusion, tuning = {}, {}
    for form in forms:
        corpora = {name: (indexes[name], [(q, c) for q, c in cases[name][form] if q.answers]) for name in indexes}
        fusion[form], per_corpus = best_weights(corpora)
        tuning[form] = {
            name: {"mrr@5": m, "recall@1": t, "questions": len(corpora[name][1])} for name, (m, t) in per_corpus.items()
        }

    features, labels = [], []
    # The confidence speaks for the assistant's own knowledge base (it alone has
    # questions it cannot answer).
    for form, all_cases in cases["knowledge base"].items():
        for question, candidates in all_cases:
            top = index.rank(candidates, 1, fusion[form])
            if top:
                features.append([top[0].dense_score, top[0].lexical_coverage, top[0].votes])
                labels.append(int(top[0].entry_id in question.answers))
    model = LogisticRegression(C=10.0).fit(np.array(features), np.array(labels))
    bias, dense_w, coverage_w, votes_w = float(model.intercept_[0]), *map(float, model.coef_[0])
    probabilities = model.predict_proba(np.array(features))[:, 1]
    brier = float(np.mean((probabilities - np.array(labels)) ** 2))
    calibration = {
        "fusion": fusion,
        "bias": round(bias, 4),
        "dense": round(dense_w, 4),
        "coverage": round(coverage_w, 4),
        "votes": round(votes_w, 4),
        "fitted_on": (
            f"fusion: bench/data/{TUNING['knowledge base']} (index {version}) and "
            f"bench/data/{TUNING['legal articles']} (index {indexes['legal articles'].version}); "
            f"confidence: bench/data/{TUNING['knowledge base']}"
        ),
        "fingerprint": index.manifest["fingerprint"],
    }
    CALIBRATION_FILE.write_text(json.dumps(calibration, indent=1) + "\n", encoding="utf-8")

    threshold = settings.min_confidence
    answered = [(p >= threshold, y) for p, y in zip(probabilities, labels, strict=True)]
    correct_answered = sum(1 for a, y in answered if a and y)
    wrong_answered = sum(1 for a, y in answered if a and not y)
    declined_correct = sum(1 for a, y in answered if not a and y)
    lines = [
        f"<!-- produced by: {COMMAND} -->",
        "# Fusion weights and confidence calibration",
        "",
        f"Command: `{COMMAND}`; tuning sets: bench/data/{TUNING['knowledge base']} "
        f"({len(questions)} questions, {sum(1 for q in questions if not q.answers)} without an answer in the KB) "
        f"and bench/data/{TUNING['legal articles']} ({counts['legal articles']} questions on the legal-article "
        "corpus of bench/legal_corpus.py), each also folded to its form without diacritics.",
        "",
        "## Fusion weights (grid search, mean over the two corpora of MRR@5 on the answerable tuning questions)",
        f"Content rankings (dense and lexical passages) are kept at weight ≥ {MIN_CONTENT_WEIGHT}.",
        "",
        "| form | dense passages | dense titles | lexical passages | lexical titles | corpus | MRR@5 | Recall@1 | n |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for form, weights in fusion.items():
        for name, t in tuning[form].items():
            lines.append(
                f"| {form} | {weights['dense']} | {weights['dense_titles']} | {weights['passages']} | "
                f"{weights['titles']} | {name} | {t['mrr@5']:.3f} | {t['recall@1']:.3f} | {t['questions']} |"
            )
    lines += [
        "",
        "## Confidence: P(top result answers) = sigmoid(bias + a·dense cosine + b·coverage + c·votes)",
        "(votes: how many of the four rankings put the entry first; a margin of the fused score over the "
        "next entry's was tried as a fifth feature at catalogue scale: Brier 0.149 → 0.147, 64 → 67 wrong "
        "answers given at 0.5, so it is not used)",
        f"bias {bias:.3f}, a {dense_w:.3f}, b {coverage_w:.3f}, c {votes_w:.3f}; "
        f"Brier score {brier:.3f} on {len(labels)} top results.",
        "",
        f"At ANSWER_MIN_CONFIDENCE = {threshold}: {correct_answered} correct answers given, "
        f"{wrong_answered} wrong answers given, {declined_correct} correct answers withheld, "
        f"{len(labels) - correct_answered - wrong_answered - declined_correct} wrong answers withheld.",
    ]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "calibration.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    assert not math.isnan(bias)


if __name__ == "__main__":
    main()
