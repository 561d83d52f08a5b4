"""Fit the search's fusion weights and confidence calibration on the tuning questions.

Run: .venv/bin/python -m bench.calibrate   (after the index is built)
Writes knowledge/calibration.json (read by knowledge/search.py) and
bench/results/calibration.md. Uses bench/data/tuning_questions.txt only; the
evaluation set stays untouched for bench/search_quality.py.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from bench.questions import Question, load_questions, with_diacritics, without_diacritics
from knowledge.embedder import Embedder
from knowledge.search import CALIBRATION_FILE, Candidates, SearchIndex, open_published
from knowledge.settings import KnowledgeSettings

RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.calibrate"
GRID = {
    "dense": (0.0, 0.5, 1.0),
    "dense_titles": (0.0, 0.5, 1.0),
    "passages": (0.5, 1.0),
    "titles": (0.5, 1.0, 1.5),
}


def mrr(index: SearchIndex, cases: list[tuple[Question, Candidates]], weights: dict[str, float]) -> tuple[float, float]:
    reciprocal = top1 = 0.0
    for question, candidates in cases:
        ranked = [r.entry_id for r in index.rank(candidates, 5, weights)]
        rank = next((i for i, e in enumerate(ranked, 1) if e in question.answers), None)
        reciprocal += 1 / rank if rank else 0.0
        top1 += rank == 1
    return reciprocal / len(cases), top1 / len(cases)


def best_weights(index: SearchIndex, cases: list[tuple[Question, Candidates]]) -> tuple[dict[str, float], float, float]:
    best: tuple[float, float, dict[str, float]] | None = None
    for values in itertools.product(*GRID.values()):
        weights = dict(zip(GRID, values, strict=True))
        score, top1 = mrr(index, cases, weights)
        if best is None or (score, top1) > best[:2]:
            best = (score, top1, weights)
    assert best is not None
    return best[2], best[0], best[1]


def main() -> None:
    settings = KnowledgeSettings.from_env()
    index = open_published(settings.index_dir, Embedder(settings.embedding_model))
    version = index.version
    questions = load_questions("tuning_questions.txt", set(index.passages.entry_ids))
    forms = {"accented": with_diacritics(questions), "unaccented": without_diacritics(questions)}
    cases = {name: [(q, index.candidates(q.text)) for q in qs] for name, qs in forms.items()}

    fusion, tuning = {}, {}
    for name, all_cases in cases.items():
        positives = [(q, c) for q, c in all_cases if q.answers]
        fusion[name], score, top1 = best_weights(index, positives)
        tuning[name] = {"mrr@5": score, "recall@1": top1, "questions": len(positives)}

    features, labels = [], []
    for name, all_cases in cases.items():
        for question, candidates in all_cases:
            top = index.rank(candidates, 1, fusion[name])
            if top:
                features.append([top[0].dense_score, top[0].lexical_coverage])
                labels.append(int(top[0].entry_id in question.answers))
    model = LogisticRegression(C=10.0).fit(np.array(features), np.array(labels))
    bias, dense_w, coverage_w = float(model.intercept_[0]), *map(float, model.coef_[0])
    probabilities = model.predict_proba(np.array(features))[:, 1]
    brier = float(np.mean((probabilities - np.array(labels)) ** 2))
    calibration = {
        "fusion": fusion,
        "bias": round(bias, 4),
        "dense": round(dense_w, 4),
        "coverage": round(coverage_w, 4),
        "fitted_on": f"bench/data/tuning_questions.txt, index {version}",
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
        f"Command: `{COMMAND}`; tuning set: bench/data/tuning_questions.txt "
        f"({len(questions)} questions, {sum(1 for q in questions if not q.answers)} without an answer in the KB), "
        "each also folded to its form without diacritics.",
        "",
        "## Fusion weights (grid search, MRR@5 on the answerable tuning questions)",
        "| form | dense passages | dense titles | lexical passages | lexical titles | MRR@5 | Recall@1 | n |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, weights in fusion.items():
        t = tuning[name]
        lines.append(
            f"| {name} | {weights['dense']} | {weights['dense_titles']} | {weights['passages']} | "
            f"{weights['titles']} | "
            f"{t['mrr@5']:.3f} | {t['recall@1']:.3f} | {t['questions']} |"
        )
    lines += [
        "",
        "## Confidence: P(top result answers) = sigmoid(bias + a·dense cosine + b·coverage)",
        f"bias {bias:.3f}, a {dense_w:.3f}, b {coverage_w:.3f}; Brier score {brier:.3f} on {len(labels)} top results.",
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
