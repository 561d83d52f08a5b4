"""Hand the conversation over to people: record it, say what happens next."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.answer import deliver, knowledge_first_reply
from actions.conversation import channel_of, send, transcript
from actions.recording import question_of, record_reply
from core.settings import contact
from dialogue.compose import contact_sentence
from dialogue.messages import Message, Reply, ReplyStatus
from dialogue.texts import text

log = logging.getLogger(__name__)


def handoff_reply(reference: str | None) -> Reply:
    where = contact_sentence(contact())
    if reference is None:
        lines = [text("handoff.not_recorded"), text("handoff.contact", contact=where)]
    else:
        lines = [
            text("handoff.recorded", reference=reference),
            text("handoff.contact_with_reference", contact=where, reference=reference),
        ]
    return Reply([Message("\n".join([*lines, text("handoff.keep_asking")]))], ReplyStatus.handoff)


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answer = await knowledge_first_reply(tracker)
        if answer is not None:  # "bộ phận một cửa là gì" mentions no wish to talk to a person
            return await deliver(tracker, dispatcher, answer, question_of(tracker))
        reference = None
        try:
            reference = await asyncio.to_thread(
                services.feedback_store().record_handoff,
                tracker.sender_id,
                channel_of(tracker),
                transcript(tracker),
            )
        except Exception:
            log.exception("could not record a handoff request")
        reply = handoff_reply(reference)
        await record_reply(tracker, reply, question_of(tracker))
        return send(reply, dispatcher)
