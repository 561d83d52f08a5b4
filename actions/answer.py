"""Answer questions and follow-ups from the knowledge base, citing it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.conversation import channel_of, send, turn_from
from feedback.dialogue import rating_buttons
from knowledge.details import detail_kind
from knowledge.replies import Replier, Reply, is_payload

log = logging.getLogger(__name__)


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        replier = services.replier()
        turn = turn_from(tracker)
        # Search is CPU-bound: keep it off the event loop.
        reply = await asyncio.to_thread(replier.answer, turn)
        if reply.unanswered:
            await _log_unanswered(tracker, turn.text, reply.confidence, replier.index.version)
        rating_events = await _offer_rating(tracker, reply, turn.pending_question, replier)
        # the procedure slot only carries a name into the form; never a stale one
        events = [SlotSet("procedure", None), *send(reply, dispatcher), *rating_events]
        if reply.start_form:
            events.append(SlotSet("needs_procedure", True))
        return events


class ActionAnswerProcedure(Action):
    """Runs when the procedure form has its procedure: answer what was asked."""

    def name(self) -> str:
        return "action_answer_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        replier = services.replier()
        turn = turn_from(tracker)
        entry_id = replier.catalog.resolve(tracker.get_slot("procedure"))
        events = [SlotSet("procedure", None), SlotSet("needs_procedure", False)]
        if entry_id is None:  # the form validated it; the index may have changed since
            return events + send(replier.not_found(), dispatcher)
        reply = await asyncio.to_thread(replier.procedure_detail, entry_id, detail_kind(turn.last_detail), turn)
        rating_events = await _offer_rating(tracker, reply, None, replier)
        return events + send(reply, dispatcher) + rating_events


async def _offer_rating(tracker: Tracker, reply: Reply, pending: str | None, replier: Replier) -> list[dict[str, Any]]:
    """Record a knowledge answer and put 👍/👎 under it: the one rating prompt it gets."""
    if not reply.entry_ids or not reply.messages:
        return []
    text = (tracker.latest_message or {}).get("text") or ""
    question = pending if is_payload(text) and pending else text
    entry = replier.catalog.get(reply.entry_ids[0])
    try:
        answer_id = await asyncio.to_thread(
            services.feedback_store().record_answer,
            tracker.sender_id,
            channel_of(tracker),
            question,
            reply.entry_ids,
            entry.entry_type if entry else "unknown",
            replier.index.version,
        )
    except Exception:
        log.exception("could not record an answer; it goes out without rating buttons")
        return []
    reply.messages[0].buttons.extend(rating_buttons(answer_id))
    return [
        SlotSet("last_answer", answer_id),
        SlotSet("answers_given", int(tracker.get_slot("answers_given") or 0) + 1),
    ]


async def _log_unanswered(tracker: Tracker, question: str, confidence: float, version: str) -> None:
    """Keep the question for the admins; a store failure must not cost the reply."""
    try:
        await asyncio.to_thread(
            services.feedback_store().record_unanswered,
            tracker.sender_id,
            channel_of(tracker),
            question,
            confidence,
            version,
        )
    except Exception:
        log.exception("could not record an unanswered question")


services.live_index()  # load the model and index before the server reports healthy
