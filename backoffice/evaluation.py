"""The evaluation gate: the labelled questions of bench/data/eval_questions.txt
(as written and without diacritics, as bench/search_quality.py measures them)
on a candidate index version against the live one."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.questions import Question, load_questions, with_diacritics, without_diacritics
from knowledge.search import SearchIndex

EVAL_FILE = "eval_questions.txt"
K = 5


@dataclass(frozen=True)
class Outcome:
    question: str
    expected: list[str]
    rank: int | None  # of the first labelled entry among the results, None if absent
    found: list[str]  # the entry ids the search returned, best first


@dataclass
class Evaluation:
    version: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def recall5(self) -> float:
        return sum(o.rank is not None for o in self.outcomes) / len(self.outcomes)

    @property
    def mrr5(self) -> float:
        return sum(1 / o.rank for o in self.outcomes if o.rank) / len(self.outcomes)


def questions() -> list[Question]:
    answerable = [q for q in load_questions(EVAL_FILE) if q.answers]
    return with_diacritics(answerable) + without_diacritics(answerable)


def evaluate(index: SearchIndex, asked: list[Question], progress=None) -> Evaluation:
    evaluation = Evaluation(index.version)
    for number, question in enumerate(asked, 1):
        found = [r.entry_id for r in index.search(question.text, k=K)]
        rank = next((i for i, entry in enumerate(found, 1) if entry in question.answers), None)
        evaluation.outcomes.append(Outcome(question.text, sorted(question.answers), rank, found))
        if progress is not None and number % 25 == 0:
            progress(number, len(asked))
    return evaluation


@dataclass(frozen=True)
class Verdict:
    passed: bool
    recall5: float
    mrr5: float
    baseline_recall5: float
    baseline_mrr5: float
    broken: list[dict]  # questions the live version answered within 5 and the candidate does not

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "recall5": round(self.recall5, 4),
            "mrr5": round(self.mrr5, 4),
            "baseline_recall5": round(self.baseline_recall5, 4),
            "baseline_mrr5": round(self.baseline_mrr5, 4),
            "broken": self.broken,
        }


def compare(candidate: Evaluation, baseline: Evaluation, margin: float) -> Verdict:
    before = {o.question: o for o in baseline.outcomes}
    broken = [
        {"question": o.question, "expected": o.expected, "now_finds": o.found[:3]}
        for o in candidate.outcomes
        if o.rank is None and o.question in before and before[o.question].rank is not None
    ]
    passed = candidate.recall5 >= baseline.recall5 - margin and candidate.mrr5 >= baseline.mrr5 - margin
    return Verdict(passed, candidate.recall5, candidate.mrr5, baseline.recall5, baseline.mrr5, broken)
