"""The messages a turn produces, shared by the actions, the rating dialogue and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from dialogue.contract import ButtonKind


class ReplyStatus(str, Enum):
    """What kind of reply a turn got; stored with it so reports can show how
    often the assistant answers, asks back or declines."""

    answered = "answered"
    clarification = "clarification"  # asked which of close entries was meant
    declined = "declined"  # confidence too low: said so instead of guessing
    no_words = "no_words"  # empty, emoji only
    unknown_choice = "unknown_choice"  # a stale or forged button
    form_started = "form_started"  # asked which procedure
    handoff = "handoff"
    small_talk = "small_talk"
    error = "error"


@dataclass(frozen=True)
class Button:
    title: str
    payload: str
    kind: ButtonKind
    value: str | None = None  # the rating ("up"/"down") or the number of stars

    def to_rasa(self) -> dict[str, Any]:
        """Rasa passes extra button keys through to every channel untouched."""
        button = {"title": self.title, "payload": self.payload, "kind": self.kind.value}
        if self.value is not None:
            button["value"] = self.value
        return button


@dataclass
class Message:
    text: str
    buttons: list[Button] = field(default_factory=list)


@dataclass
class Reply:
    messages: list[Message]
    status: ReplyStatus
    slots: dict[str, Any] = field(default_factory=dict)  # Slot value -> new value
    entry_ids: list[str] = field(default_factory=list)  # what the answer came from
    confidence: float = 0.0  # of the best search result, when a search ran

    @property
    def unanswered(self) -> bool:
        """Log the question for the admins."""
        return self.status == ReplyStatus.declined

    @property
    def start_form(self) -> bool:
        return self.status == ReplyStatus.form_started


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str | None = None
    entities: dict[str, str] = field(default_factory=dict)  # procedure, detail, level, entry_id
    focus_entry: str | None = None
    focus_passage: str | None = None
    last_detail: str | None = None
    pending_question: str | None = None
    detail_mode: bool = False  # the user asked for legal basis or full text before
