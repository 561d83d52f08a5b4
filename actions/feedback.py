"""Ratings, comments and the end-of-conversation CSAT (logic in dialogue/ratings.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.conversation import channel_of, entities_of, latest_text, send, slot
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
        turn = FeedbackTurn(
            sender_id=tracker.sender_id,
            channel=channel_of(tracker),
            session_id=session_id(tracker),
            text=latest_text(tracker),
            entities=entities_of(tracker, FEEDBACK_ENTITIES),
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
