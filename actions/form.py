"""The procedure form: which procedure does the user mean?"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.conversation import send_messages
from actions.recording import log_unanswered, record_reply
from dialogue.contract import ButtonKind, Intent, Slot, build_payload
from dialogue.messages import Button, Message, Reply, ReplyStatus
from dialogue.texts import text


def stop_button() -> Button:
    """The form's way out."""
    return Button(text("form.stop_button"), build_payload(Intent.stop), ButtonKind.stop)


class ValidateProcedureForm(FormValidationAction):
    def name(self) -> str:
        return "validate_procedure_form"

    async def validate_procedure(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        replier = services.replier()
        typed = value if isinstance(value, str) else ""
        entry_id = await asyncio.to_thread(replier.procedure_named, typed)
        if entry_id is not None:
            return {Slot.procedure.value: entry_id}
        suggestions = await asyncio.to_thread(replier.procedure_suggestions, typed)
        reply = Reply([Message(text("form.not_a_procedure"), [*suggestions, stop_button()])], ReplyStatus.declined)
        if typed.strip():  # recorded, and kept for the review queue, like any declined question
            await log_unanswered(tracker, typed, 0.0)
            await record_reply(tracker, reply, typed)
        send_messages(reply.messages, dispatcher)
        return {Slot.procedure.value: None}


class ActionAskProcedure(Action):
    """The form's question, with the most asked procedures as buttons and a way out."""

    def name(self) -> str:
        return "action_ask_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        common = services.replier().procedure_suggestions("")
        reply = Reply([Message(text("form.ask_procedure"), [*common, stop_button()])], ReplyStatus.form_started)
        send_messages(reply.messages, dispatcher)  # recorded by action_answer_question, which started the form
        return []
