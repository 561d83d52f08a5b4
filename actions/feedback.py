"""Ratings, comments and the end-of-conversation CSAT (logic in dialogue/ratings.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.answer import deliver, knowledge_first_reply
from actions.conversation import channel_of, entities_of, latest_text, send, slot
from actions.recording import question_of
from dialogue.contract import Entity, Slot
from dialogue.ratings import FeedbackTurn, goodbye, handle_feedback

FEEDBACK_ENTITIES = (Entity.answer_id, Entity.rating, Entity.reason, Entity.stars)


def session_id(tracker: Tracker) -> str:
    """When the current Rasa session started: one CSAT per session."""
    starts = [e.get("timestamp") for e in tracker.events if e.get("event") == "session_started"]
    return str(starts[-1]) if starts else "0"


class ActionRecordFeedback(Action):
    def name(self) -> str:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        entities = entities_of(tracker, FEEDBACK_ENTITIES)
        if not entities:  # typed, not a rating button: it may be a question ("hồ sơ online bị thiếu hoặc sai?")
            answer = await knowledge_first_reply(tracker)
            if answer is not None:
                return await deliver(tracker, dispatcher, answer, question_of(tracker))
        turn = FeedbackTurn(
            sender_id=tracker.sender_id,
            channel=channel_of(tracker),
            session_id=session_id(tracker),
            text=latest_text(tracker),
            entities=entities,
            comment_for=slot(tracker, Slot.comment_for),
            last_answer=slot(tracker, Slot.last_answer),
        )
        reply = await asyncio.to_thread(handle_feedback, services.feedback_store(), turn)
        return send(reply, dispatcher)


class ActionGoodbye(Action):
    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reply = goodbye(int(slot(tracker, Slot.answers_given) or 0), bool(slot(tracker, Slot.csat_asked)))
        return send(reply, dispatcher)
