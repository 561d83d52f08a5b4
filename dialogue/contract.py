"""The contract between Rasa, the actions and the channels: intent, entity and
slot names, the button payload syntax and the kinds of buttons.

Standard library only: the channels that run inside the Rasa environment
import it too. ``tests/test_contract.py`` checks it against ``bot/domain.yml``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum


class Intent(str, Enum):
    greet = "greet"
    goodbye = "goodbye"
    thanks = "thanks"
    bot_challenge = "bot_challenge"
    out_of_scope = "out_of_scope"
    ask_programme = "ask_programme"
    ask_procedure = "ask_procedure"
    ask_procedure_detail = "ask_procedure_detail"
    request_procedure_lookup = "request_procedure_lookup"
    give_feedback = "give_feedback"
    request_human = "request_human"
    chitchat = "chitchat"
    stop = "stop"


class Entity(str, Enum):
    procedure = "procedure"
    detail = "detail"
    level = "level"
    entry_id = "entry_id"  # a choice button: answer from this entry
    # rating buttons only, never typed
    answer_id = "answer_id"
    rating = "rating"
    reason = "reason"
    stars = "stars"


class Slot(str, Enum):
    procedure = "procedure"
    focus_entry = "focus_entry"
    focus_passage = "focus_passage"
    last_detail = "last_detail"
    pending_question = "pending_question"
    detail_mode = "detail_mode"
    needs_procedure = "needs_procedure"
    last_answer = "last_answer"
    comment_for = "comment_for"
    answers_given = "answers_given"
    csat_asked = "csat_asked"


class ButtonKind(str, Enum):
    """What a button does; channels draw each kind their own way (a rating row,
    star chips, quick replies) from this field, never from the title or payload."""

    section = "section"  # another part of the answer (documents, fee, legal basis…)
    rating = "rating"  # 👍 / 👎 under an answer
    reason = "reason"  # why an answer was not good
    csat = "csat"  # 1–5 stars for the conversation
    choice = "choice"  # which entry or procedure was meant
    handoff = "handoff"  # talk to a person
    stop = "stop"  # leave the current question


@dataclass(frozen=True)
class Payload:
    intent: Intent
    entities: dict[str, str] = field(default_factory=dict)


def build_payload(intent: Intent, **entities: str) -> str:
    """``/intent{"entity": "value"}``: what Rasa parses as that intent with those
    entities, bypassing NLU (Rasa's own payload syntax)."""
    for name in entities:
        Entity(name)  # an unknown entity name is a programming error
    if not entities:
        return f"/{intent.value}"
    return f"/{intent.value}{json.dumps(entities, ensure_ascii=False)}"


def is_payload(text: str) -> bool:
    return text.startswith("/")


def parse_payload(text: str) -> Payload | None:
    """The intent and entities of a payload; None for anything that is not a
    well-formed payload of a known intent with known entities."""
    if not is_payload(text):
        return None
    body = text[1:]
    brace = body.find("{")
    name, raw = (body, "") if brace < 0 else (body[:brace], body[brace:])
    try:
        intent = Intent(name)
        values = json.loads(raw) if raw else {}
    except ValueError:
        return None
    if not isinstance(values, dict):
        return None
    entities: dict[str, str] = {}
    for key, value in values.items():
        if key not in Entity.__members__ or not isinstance(value, str | int):
            return None
        entities[key] = str(value)
    return Payload(intent, entities)
