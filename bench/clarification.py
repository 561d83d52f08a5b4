"""When should the assistant ask "which one do you mean?" instead of answering?

It asks when the runner-up's fused search score is at least a given share of
the best one's (and both are above the answer threshold): the two are nearly
tied. (A margin on the calibrated confidences was tried first: it fired mostly
when the best result was right, and cost more than never asking.) Each ratio is scored on the tuning questions
(with and without diacritics) by a simple cost: a wrong answer costs 1, a
clarification that offers the right entry costs CLARIFY_COST (one extra tap),
one that does not costs 1; the ratio with the lowest cost is the one to ship
in dialogue/replier.py. The evaluation questions are reported alongside,
never used to choose.

Run: .venv/bin/python -m bench.clarification
Writes bench/results/clarification.md and .json.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.questions import Question, load_questions, without_diacritics
from dialogue.replier import CLARIFY_OPTIONS, CLARIFY_SCORE_RATIO, close_runners_up
from knowledge.embedder import Embedder
from knowledge.search import SearchIndex, SearchResult, open_published
from knowledge.settings import KnowledgeSettings

RESULTS = Path(__file__).resolve().parent / "results"
RATIOS = (1.01, 0.999, 0.995, 0.99, 0.985, 0.98, 0.97, 0.95)  # 1.01: never ask
CLARIFY_COST = 0.3
COMMAND = ".venv/bin/python -m bench.clarification"


def outcome(
    index: SearchIndex, results: list[SearchResult], answers: frozenset[str], ratio: float, threshold: float
) -> str:
    if not results or results[0].confidence < threshold:
        return "withheld"
    options = [results[0], *close_runners_up(results, ratio, threshold, index.confidence)]
    if len(options) > 1:
        return "clarified_right" if any(r.entry_id in answers for r in options) else "clarified_wrong"
    return "answered_right" if results[0].entry_id in answers else "answered_wrong"


def score(index: SearchIndex, questions: list[Question], threshold: float) -> dict[str, dict[str, float]]:
    searched = [(index.search(q.text, k=CLARIFY_OPTIONS), q.answers) for q in questions]
    table = {}
    for ratio in RATIOS:
        counts = {k: 0 for k in ("answered_right", "answered_wrong", "clarified_right", "clarified_wrong", "withheld")}
        for results, answers in searched:
            counts[outcome(index, results, answers, ratio, threshold)] += 1
        answerable = sum(1 for _, answers in searched if answers)
        cost = counts["answered_wrong"] + counts["clarified_wrong"] + CLARIFY_COST * counts["clarified_right"]
        table[f"{ratio:.3f}"] = {
            **counts,
            "clarify_rate": round((counts["clarified_right"] + counts["clarified_wrong"]) / len(searched), 3),
            "cost_per_question": round(cost / len(searched), 4),
            "questions": len(searched),
            "answerable": answerable,
        }
    return table


def main() -> None:
    settings = KnowledgeSettings.from_env()
    index = open_published(settings.index_dir, Embedder(settings.embedding_model))
    known = set(index.passages.entry_ids)
    tuning = load_questions("tuning_questions.txt", known)
    evaluation = load_questions("eval_questions.txt", known)
    report = {
        "index_version": index.version,
        "threshold": settings.min_confidence,
        "clarify_cost": CLARIFY_COST,
        "shipped_ratio": CLARIFY_SCORE_RATIO,
        "tuning": score(index, tuning + without_diacritics(tuning), settings.min_confidence),
        "evaluation": score(index, evaluation + without_diacritics(evaluation), settings.min_confidence),
    }
    best = min(report["tuning"], key=lambda r: (report["tuning"][r]["cost_per_question"], -float(r)))
    report["best_ratio_on_tuning"] = float(best)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "clarification.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# When to ask which entry is meant",
        "",
        f"`{COMMAND}` — index {index.version}, answer threshold {settings.min_confidence}, "
        f"cost: wrong answer 1, clarification with the right entry {CLARIFY_COST}, without it 1.",
        "",
    ]
    for name in ("tuning", "evaluation"):
        lines += [
            f"## {name} questions (as written and without diacritics)",
            "",
            "| score ratio | answered right | answered wrong | clarified (right among options)"
            " | clarified (no right option) | withheld | clarify rate | cost/question |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for ratio, row in report[name].items():
            lines.append(
                f"| {ratio} | {row['answered_right']} | {row['answered_wrong']} | {row['clarified_right']} | "
                f"{row['clarified_wrong']} | {row['withheld']} | {row['clarify_rate']} | {row['cost_per_question']} |"
            )
        lines.append("")
    lines.append(
        f"Ratio 1.010 never asks. Lowest cost on the tuning questions: {best}. Shipped: {CLARIFY_SCORE_RATIO}."
    )
    (RESULTS / "clarification.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
