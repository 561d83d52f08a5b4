"""Answer questions and follow-ups from the knowledge base, citing it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.conversation import send, slot, turn_from
from actions.recording import log_unanswered, question_of, record_reply
from dialogue.contract import Slot
from dialogue.messages import Message, Reply, ReplyStatus, Turn
from dialogue.replier import Replier
from dialogue.routing import knowledge_first
from dialogue.texts import text
from knowledge.details import detail_kind

log = logging.getLogger(__name__)


async def decide(replier: Replier, turn: Turn) -> Reply:
    """The replier's answer; a failure in it becomes an apology recorded as an
    error, never a silent turn. Search is CPU-bound: off the event loop."""
    try:
        return await asyncio.to_thread(replier.answer, turn)
    except Exception:
        log.exception("answering %r failed", turn.text[:200])
        return Reply([Message(text("channels.apology"))], ReplyStatus.error)


async def deliver(
    tracker: Tracker, dispatcher: CollectingDispatcher, reply: Reply, question: str
) -> list[dict[str, Any]]:
    """Log a declined question, record the reply, send it, set its slots."""
    if reply.unanswered:
        await log_unanswered(tracker, question, reply.confidence)
    recorded = await record_reply(tracker, reply, question)
    # the procedure slot only carries a name into the form; never a stale one
    events = [SlotSet(Slot.procedure.value, None), *send(reply, dispatcher), *recorded]
    if reply.start_form:
        events.append(SlotSet(Slot.needs_procedure.value, True))
    return events


async def knowledge_first_reply(tracker: Tracker) -> Reply | None:
    """Search first (dialogue/routing.py) for a message classified as small talk,
    feedback or a request for a person."""
    turn = turn_from(tracker)
    confidence = float(((tracker.latest_message or {}).get("intent") or {}).get("confidence") or 0.0)
    try:
        return await asyncio.to_thread(knowledge_first, services.replier(), turn, confidence)
    except Exception:
        log.exception("search-first routing failed; the intent's own reply is used")
        return None


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        turn = turn_from(tracker)
        reply = await decide(services.replier(), turn)
        return await deliver(tracker, dispatcher, reply, question_of(tracker, turn.pending_question))


class ActionAnswerProcedure(Action):
    """Runs when the procedure form has its procedure: answer what was asked."""

    def name(self) -> str:
        return "action_answer_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        replier = services.replier()
        turn = turn_from(tracker)
        entry_id = replier.catalog.resolve(slot(tracker, Slot.procedure))
        events = [SlotSet(Slot.procedure.value, None), SlotSet(Slot.needs_procedure.value, False)]
        if entry_id is None:  # the form validated it; the index may have changed since
            reply = replier.not_found()
        else:
            reply = await asyncio.to_thread(replier.procedure_answer, entry_id, detail_kind(turn.last_detail), turn)
        recorded = await record_reply(tracker, reply, question_of(tracker))
        return events + send(reply, dispatcher) + recorded


services.live_index()  # load the model and index before the server reports healthy
