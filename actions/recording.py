"""Every reply is recorded with its status before it is sent; an answer gets
its 👍/👎 buttons, which carry the id it was recorded under."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import services
from actions.conversation import channel_of, latest_text, slot
from dialogue.contract import Slot, is_payload
from dialogue.messages import Reply, ReplyStatus
from dialogue.ratings import rating_buttons

log = logging.getLogger(__name__)


def question_of(tracker: Tracker, pending: str | None = None) -> str:
    """What the user asked: the pending question when they pressed a choice button."""
    typed = latest_text(tracker)
    return pending if is_payload(typed) and pending else typed


async def record_reply(tracker: Tracker, reply: Reply, question: str) -> list[dict[str, Any]]:
    """Store the reply (a store failure must not cost the reply: it then goes
    out without rating buttons); rating buttons go under an answer."""
    index = services.live_index().current()
    entry = index.catalog.get(reply.entry_ids[0]) if reply.entry_ids else None
    try:
        answer_id = await asyncio.to_thread(
            services.feedback_store().record_answer,
            tracker.sender_id,
            channel_of(tracker),
            question,
            reply.entry_ids,
            entry.entry_type if entry else "none",
            index.version,
            reply.status.value,
        )
    except Exception:
        log.exception("could not record a %s reply", reply.status.value)
        return []
    if reply.status != ReplyStatus.answered or not reply.messages:
        return []
    reply.messages[0].buttons.extend(rating_buttons(answer_id))
    return [
        SlotSet(Slot.last_answer.value, answer_id),
        SlotSet(Slot.answers_given.value, int(slot(tracker, Slot.answers_given) or 0) + 1),
    ]


async def log_unanswered(tracker: Tracker, question: str, confidence: float) -> None:
    """Keep a declined question for the admins' review queue."""
    try:
        await asyncio.to_thread(
            services.feedback_store().record_unanswered,
            tracker.sender_id,
            channel_of(tracker),
            question,
            confidence,
            services.live_index().version,
        )
    except Exception:
        log.exception("could not record an unanswered question")
