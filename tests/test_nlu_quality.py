"""The NLU quality gates, measured the way bench/nlu_cross_validation.py does."""

from __future__ import annotations

import json

import pytest

from bench.nlu_cross_validation import CV_TIMEOUT_SECONDS, INTENT_MACRO_F1_GATE, PROCEDURE_F1_GATE, cross_validate
from stack.settings import REPO_ROOT

pytestmark = [pytest.mark.stack, pytest.mark.timeout(CV_TIMEOUT_SECONDS + 60)]  # five DIET trainings


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return cross_validate(tmp_path_factory.mktemp("nlu-cv"))


def test_intent_macro_f1_in_cross_validation(report: dict) -> None:
    """Issue 11's gate, on folds that never test an example's accent-folded twin."""
    assert report["intent_macro_f1"] >= INTENT_MACRO_F1_GATE, report["intents"]


def test_procedure_entity_f1_in_cross_validation(report: dict) -> None:
    assert report["entities"]["procedure"]["f1"] >= PROCEDURE_F1_GATE, report["entities"]


def test_every_intent_has_at_least_25_examples(report: dict) -> None:
    assert all(row["support"] >= 25 for row in report["intents"].values()), report["intents"]


def test_the_committed_report_is_from_this_training_data(report: dict) -> None:
    """The report in bench/results must be rerun when the NLU data or config changes."""
    committed = json.loads((REPO_ROOT / "bench" / "results" / "nlu_cross_validation.json").read_text("utf-8"))
    assert committed["inputs_hash"] == report["inputs_hash"], "rerun `python -m bench.nlu_cross_validation`"
