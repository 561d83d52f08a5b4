"""Review-queue questions added as NLU training examples of an intent.

The NLU file (``bot/data/nlu.yml``) stays the source of truth and stays in git:
the examples are inserted at the end of the intent's block, the rest of the
file is left byte for byte, and the result must still parse with the intent
holding the new lines, else nothing is written. Only intents whose examples
carry no entity annotations are offered: a procedure question needs its
procedure marked, which is what linking it to an entry does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from backoffice.content import atomic_write
from dialogue.contract import Intent

ANNOTATION = re.compile(r"\]\(|\]\{")
MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
INTENT_LINE = re.compile(r"^(\s*)- intent: (\S+)\s*$")
MAX_EXAMPLE_CHARS = 300
# What an editor reads in the intent menu.
INTENT_LABELS = {
    Intent.greet: "Chào hỏi",
    Intent.goodbye: "Tạm biệt",
    Intent.thanks: "Cảm ơn",
    Intent.bot_challenge: "Hỏi trợ lý là người hay máy",
    Intent.out_of_scope: "Ngoài phạm vi (thời tiết, giá vàng…)",
    Intent.ask_programme: "Hỏi về Chương trình cải cách hành chính",
    Intent.request_procedure_lookup: "Muốn tra cứu thủ tục (chưa nói thủ tục nào)",
    Intent.give_feedback: "Góp ý về trợ lý",
    Intent.request_human: "Xin gặp cán bộ",
    Intent.chitchat: "Trò chuyện ngoài lề",
    Intent.stop: "Dừng, thôi",
    Intent.ask_procedure: "Hỏi về một thủ tục",
    Intent.ask_procedure_detail: "Hỏi chi tiết một thủ tục",
}


class NluFileError(ValueError):
    """The NLU file cannot take the examples; nothing was written."""


@dataclass(frozen=True)
class Added:
    intent: str
    added: list[str]
    already_there: list[str]
    in_other_intents: dict[str, str]  # example -> the intent that has it (left out: one label per text)
    before: str
    after: str


def _examples(data: dict, intent: str) -> list[str]:
    for item in data.get("nlu") or []:
        if item.get("intent") == intent:
            return [line.strip()[2:].strip() for line in str(item.get("examples", "")).splitlines() if line.strip()]
    return []


def offered_intents(nlu_file: Path) -> list[tuple[str, str]]:
    """(intent, label) for the intents whose examples have no entity annotation."""
    data = yaml.safe_load(nlu_file.read_text(encoding="utf-8")) or {}
    offered = []
    for intent, label in INTENT_LABELS.items():
        examples = _examples(data, intent.value)
        if examples and not any(ANNOTATION.search(example) for example in examples):
            offered.append((intent.value, label))
    return offered


def clean_example(question: str) -> str:
    """One line, no markup that Rasa would read as an entity, not too long."""
    text = MARKUP.sub(r"\1", question).replace("[", " ").replace("]", " ")
    text = " ".join(text.split())
    return text.lstrip("-# ").strip()[:MAX_EXAMPLE_CHARS].strip()


def add_examples(nlu_file: Path, intent: str, questions: list[str]) -> Added:
    if intent not in dict(offered_intents(nlu_file)):
        raise NluFileError(f"Ý định '{intent}' không nhận câu mẫu từ hàng đợi.")
    before = nlu_file.read_text(encoding="utf-8")
    data = yaml.safe_load(before) or {}
    owner = {
        example.casefold(): str(item["intent"])
        for item in data.get("nlu") or []
        if "intent" in item
        for example in _examples(data, str(item["intent"]))
    }
    added, already, elsewhere = [], [], {}
    for question in questions:
        example = clean_example(question)
        if not example:
            continue
        if owner.get(example.casefold(), intent) != intent:
            elsewhere[example] = owner[example.casefold()]
        elif example.casefold() in owner:
            already.append(example)
        else:
            added.append(example)
            owner[example.casefold()] = intent
    if not added:
        return Added(intent, [], already, elsewhere, before, before)
    lines = before.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if (m := INTENT_LINE.match(line)) and m[2] == intent), None)
    if start is None:
        raise NluFileError(f"Không tìm thấy ý định '{intent}' trong {nlu_file.name}.")
    block_indent = len(INTENT_LINE.match(lines[start])[1])
    end = start + 1
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if line.strip() and len(line) - len(line.lstrip()) <= block_indent:
            break  # the next item of the nlu list
        if line.strip():
            end = number + 1
    last = lines[end - 1]
    indent = last[: len(last) - len(last.lstrip())] if last.lstrip().startswith("- ") else " " * (block_indent + 4)
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    after = "".join(lines[:end] + [f"{indent}- {example}\n" for example in added] + lines[end:])
    parsed = yaml.safe_load(after) or {}
    now = _examples(parsed, intent)
    if now[-len(added) :] != added or len(parsed.get("nlu") or []) != len(yaml.safe_load(before).get("nlu") or []):
        raise NluFileError("Thêm câu mẫu làm hỏng cấu trúc tệp NLU; chưa ghi gì.")
    atomic_write(nlu_file, after)
    return Added(intent, added, already, elsewhere, before, after)
