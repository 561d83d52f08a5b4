"""Review-queue questions added as NLU examples: into the right block, nothing else touched."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml

from backoffice import nlu_examples
from core.settings import REPO_ROOT

pytestmark = pytest.mark.unit


@pytest.fixture()
def nlu_file(tmp_path: Path) -> Path:
    copy = tmp_path / "nlu.yml"
    shutil.copy(REPO_ROOT / "bot" / "data" / "nlu.yml", copy)
    return copy


def examples(path: Path, intent: str) -> list[str]:
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        if item.get("intent") == intent:
            return [line.strip()[2:] for line in item["examples"].splitlines() if line.strip()]
    raise AssertionError(intent)


def test_intents_that_need_entity_annotations_are_not_offered(nlu_file: Path) -> None:
    offered = dict(nlu_examples.offered_intents(nlu_file))
    assert "out_of_scope" in offered and "chitchat" in offered and "request_human" in offered
    assert "ask_procedure" not in offered and "ask_procedure_detail" not in offered
    with pytest.raises(nlu_examples.NluFileError):
        nlu_examples.add_examples(nlu_file, "ask_procedure", ["làm hộ chiếu"])


def test_examples_go_to_the_end_of_the_intent_and_nothing_else_changes(nlu_file: Path) -> None:
    before = nlu_file.read_text(encoding="utf-8")
    counts = {intent: len(examples(nlu_file, intent)) for intent, _ in nlu_examples.offered_intents(nlu_file)}
    result = nlu_examples.add_examples(
        nlu_file, "out_of_scope", ["giá  xăng hôm nay [bao nhiêu](money)", "giá xăng hôm nay bao nhiêu", "xin chào"]
    )
    assert result.added == ["giá xăng hôm nay bao nhiêu"]
    assert result.already_there == ["giá xăng hôm nay bao nhiêu"]
    assert result.in_other_intents == {"xin chào": "greet"}
    after = nlu_file.read_text(encoding="utf-8")
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ["+      - giá xăng hôm nay bao nhiêu"]
    assert examples(nlu_file, "out_of_scope")[-1] == "giá xăng hôm nay bao nhiêu"
    for intent, count in counts.items():
        assert len(examples(nlu_file, intent)) == count + (1 if intent == "out_of_scope" else 0)


def test_the_last_intent_of_the_file_and_an_all_known_group(nlu_file: Path) -> None:
    last = [item["intent"] for item in yaml.safe_load(nlu_file.read_text(encoding="utf-8"))["nlu"] if "intent" in item]
    result = nlu_examples.add_examples(nlu_file, last[-1], ["thôi không hỏi nữa đâu nhé"])
    assert examples(nlu_file, last[-1])[-1] == "thôi không hỏi nữa đâu nhé"
    unchanged = nlu_file.read_text(encoding="utf-8")
    again = nlu_examples.add_examples(nlu_file, last[-1], ["thôi không hỏi nữa đâu nhé"])
    assert again.added == [] and nlu_file.read_text(encoding="utf-8") == unchanged == result.after
