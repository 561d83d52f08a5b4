"""Load the labelled question sets in bench/data/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.text import fold_accents, has_diacritics

DATA = Path(__file__).resolve().parent / "data"
NO_ANSWER = "-"
# Questions over the national catalogue, labelled by record code: the evaluation
# set, and the tuning set that bench/calibrate.py fits the fusion on.
CATALOGUE_QUESTIONS = DATA / "catalogue_questions.yml"
CATALOGUE_TUNING_QUESTIONS = DATA / "catalogue_tuning_questions.yml"


@dataclass(frozen=True)
class Question:
    text: str
    answers: frozenset[str]  # empty: the knowledge base has no answer


def load_questions(name: str, known_ids: set[str] | None = None) -> list[Question]:
    questions = []
    for number, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        labels, text = (part.strip() for part in line.split("|", 1))
        answers = frozenset() if labels == NO_ANSWER else frozenset(label.strip() for label in labels.split(","))
        unknown = answers - known_ids if known_ids is not None else set()
        if unknown:
            raise ValueError(f"{name}:{number}: unknown entry id(s) {sorted(unknown)}")
        questions.append(Question(text, answers))
    return questions


def without_diacritics(questions: list[Question]) -> list[Question]:
    """The same questions as typed without diacritics (those already so stay)."""
    return [Question(" ".join(fold_accents(q.text).split()), q.answers) for q in questions]


def with_diacritics(questions: list[Question]) -> list[Question]:
    return [q for q in questions if has_diacritics(q.text)]


def realistic_tuning_questions(known_ids: set[str] | None = None) -> list[Question]:
    """The single questions of conversations_tuning.yml (written as people type:
    colloquial, teen code, long stories, questions outside the KB), as tuning
    questions; the multi-turn conversations need the dialogue and are left out."""
    data = yaml.safe_load((DATA / "conversations_tuning.yml").read_text(encoding="utf-8"))
    questions = []
    for item in data.get("questions") or []:
        expect = item["expect"] if isinstance(item["expect"], list) else [item["expect"]]
        answers = frozenset() if expect == ["not_in_kb"] else frozenset(str(e) for e in expect)
        unknown = answers - known_ids if known_ids is not None else set()
        if unknown:
            raise ValueError(f"conversations_tuning.yml: unknown entries {sorted(unknown)} for {item['q']!r}")
        questions.append(Question(str(item["q"]), answers))
    return questions


def ranking_scores(ranked: list[tuple[Question, list[str]]]) -> dict[str, float]:
    """Recall@1, Recall@5 and MRR@5 of each question's ranked entry ids."""
    hits1 = hits5 = reciprocal = 0.0
    for question, entries in ranked:
        rank = next((i for i, entry in enumerate(entries[:5], 1) if entry in question.answers), None)
        if rank:
            hits1 += rank == 1
            hits5 += 1
            reciprocal += 1 / rank
    n = len(ranked)
    return {"recall@1": hits1 / n, "recall@5": hits5 / n, "mrr@5": reciprocal / n, "questions": n}


@dataclass(frozen=True)
class CatalogueQuestion:
    text: str
    codes: tuple[str, ...]  # the labelled code first, then codes that answer equally
    ministry: str
    qualifier: bool


def load_catalogue_questions(path: Path = CATALOGUE_QUESTIONS) -> list[CatalogueQuestion]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        CatalogueQuestion(
            str(item["q"]),
            (str(item["code"]), *(str(code) for code in item.get("also") or [])),
            str(item["ministry"]),
            bool(item.get("qualifier")),
        )
        for item in data["questions"]
    ]


def as_questions(items: list[CatalogueQuestion], ids_of_code: dict[str, str]) -> list[Question]:
    """Entry-id labels: every code that answers, of those the index holds."""
    return [Question(q.text, frozenset(ids_of_code[c] for c in q.codes if c in ids_of_code)) for q in items]
