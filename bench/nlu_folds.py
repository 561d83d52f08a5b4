"""Cross-validation folds that never split an example from its twins.

The tokenizer folds accents, so "đăng ký khai sinh" and "dang ky khai sinh" are
one example to the model: with Rasa's plain stratified folds one spelling can
sit in the test fold while the other trains, and the score measures recall of
seen examples. Here each example is grouped with its accent-folded twins (and
exact duplicates) and a group never spans two folds.

Runs inside the Rasa environment (Python 3.10): standard library, scikit-learn
and knowledge/text.py only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from knowledge.text import fold_accents

FOLD_SEED = 7
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def group_key(text: str) -> str:
    """Two spellings of one question share a key: folded, punctuation and case gone."""
    return " ".join(_NOT_WORD.sub(" ", fold_accents(text)).split())


def group_ids(texts: Sequence[str]) -> list[int]:
    ids: dict[str, int] = {}
    return [ids.setdefault(group_key(text), len(ids)) for text in texts]


def fold_indices(texts: Sequence[str], labels: Sequence[str], n: int) -> Iterator[tuple[list[int], list[int]]]:
    """(train, test) example indices of each fold: stratified by intent, grouped by twin."""
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=n, shuffle=True, random_state=FOLD_SEED)
    for train, test in splitter.split(list(texts), list(labels), group_ids(texts)):
        yield [int(i) for i in train], [int(i) for i in test]


def grouped_folds(n: int, training_data: Any) -> Iterator[tuple[Any, Any]]:
    """Drop-in for rasa.nlu.test.generate_folds."""
    from rasa.shared.nlu.training_data.training_data import TrainingData

    examples = training_data.intent_examples
    texts = [example.get("text") or "" for example in examples]
    labels = [example.get_full_intent() for example in examples]
    shared = {
        "entity_synonyms": training_data.entity_synonyms,
        "regex_features": training_data.regex_features,
        "lookup_tables": training_data.lookup_tables,
        "responses": training_data.responses,
    }
    for train_index, test_index in fold_indices(texts, labels, n):
        yield (
            TrainingData(training_examples=[examples[i] for i in train_index], **shared),
            TrainingData(training_examples=[examples[i] for i in test_index], **shared),
        )
