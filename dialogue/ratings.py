"""What the assistant says when people rate answers or comment on them.

Plain functions over the feedback store; actions/feedback.py only reads the tracker.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogue.contract import ButtonKind, Entity, Intent, Slot, build_payload, is_payload
from dialogue.messages import Button, Message, Reply, ReplyStatus
from dialogue.texts import entry, text
from feedback.store import REASON_CODES, FeedbackStore, Outcome


def _reply(key: str, buttons: list[Button] | None = None, **slots: object) -> Reply:
    return Reply(
        [Message(text(key), buttons or [])], ReplyStatus.small_talk, slots={Slot(k): v for k, v in slots.items()}
    )


def rating_buttons(answer_id: str) -> list[Button]:
    return [
        Button(
            text(f"ratings.rate_{value}"),
            build_payload(Intent.give_feedback, answer_id=answer_id, rating=value),
            ButtonKind.rating,
            value,
        )
        for value in ("up", "down")
    ]


def reason_buttons(answer_id: str) -> list[Button]:
    labels = entry("ratings.reasons")
    return [
        Button(labels[code], build_payload(Intent.give_feedback, answer_id=answer_id, reason=code), ButtonKind.reason)
        for code in REASON_CODES
    ]


def csat_buttons() -> list[Button]:
    return [
        Button("⭐" * n, build_payload(Intent.give_feedback, stars=str(n)), ButtonKind.csat, str(n))
        for n in range(1, 6)
    ]


@dataclass(frozen=True)
class FeedbackTurn:
    sender_id: str
    channel: str
    session_id: str
    text: str
    entities: dict[str, str]
    comment_for: str | None  # the answer a free comment is about (after a bad rating)
    last_answer: str | None


def handle_feedback(store: FeedbackStore, turn: FeedbackTurn) -> Reply:
    entities = turn.entities
    if Entity.stars.value in entities:
        stars = entities[Entity.stars.value]
        outcome = store.rate_conversation(
            turn.sender_id, turn.session_id, turn.channel, int(stars) if stars.isdigit() else 0
        )
        return _reply("ratings.invalid_value" if outcome == Outcome.invalid else "ratings.thanks_csat")
    answer_id = entities.get(Entity.answer_id.value)
    if answer_id and Entity.rating.value in entities:
        rating = entities[Entity.rating.value]
        if rating not in ("up", "down"):
            return _reply("ratings.invalid_value")
        satisfied = rating == "up"
        outcome = store.rate(answer_id, satisfied)
        if outcome == Outcome.unknown_answer:
            return _reply("ratings.unknown_answer")
        if outcome == Outcome.unchanged:
            return _reply("ratings.already_rated")
        if satisfied:
            return _reply("ratings.thanks_rating", comment_for=None)
        return _reply("ratings.ask_reason", reason_buttons(answer_id), comment_for=answer_id)
    if answer_id and Entity.reason.value in entities:
        outcome = store.explain(answer_id, reason=entities[Entity.reason.value])
        if outcome == Outcome.invalid:
            return _reply("ratings.invalid_value")
        if outcome == Outcome.unknown_answer:
            return _reply("ratings.unknown_answer")
        return _reply("ratings.thanks_reason", comment_for=answer_id)
    if answer_id:
        return _reply("ratings.invalid_value")
    about = turn.comment_for or turn.last_answer
    comment = turn.text.strip()
    if about and comment and not is_payload(comment):
        if store.explain(about, comment=comment) != Outcome.unknown_answer:
            return _reply("ratings.thanks_comment", comment_for=None)
    return _reply("ratings.thanks_general", comment_for=None)


def goodbye(answers_given: int, csat_asked: bool) -> Reply:
    """Goodbye, with the optional CSAT question once, only after real answers."""
    if answers_given and not csat_asked:
        return Reply(
            [Message(text("ratings.goodbye")), Message(text("ratings.ask_csat"), csat_buttons())],
            ReplyStatus.small_talk,
            slots={Slot.csat_asked: True},
        )
    return _reply("ratings.goodbye")
