"""Answer questions and follow-ups from the knowledge base, citing it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.conversation import send, turn_from
from knowledge.details import detail_kind

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
        # the procedure slot only carries a name into the form; never a stale one
        events = [SlotSet("procedure", None), *send(reply, dispatcher)]
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
        return events + send(reply, dispatcher)


async def _log_unanswered(tracker: Tracker, question: str, confidence: float, version: str) -> None:
    """Keep the question for the admins; a store failure must not cost the reply."""
    try:
        await asyncio.to_thread(
            services.feedback_store().record_unanswered,
            tracker.sender_id,
            tracker.get_latest_input_channel() or "unknown",
            question,
            confidence,
            version,
        )
    except Exception:
        log.exception("could not record an unanswered question")


services.live_index()  # load the model and index before the server reports healthy
