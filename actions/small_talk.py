"""Greetings, thanks, off-topic and "stop": fixed sentences from the catalogue,
recorded with the status small_talk so reports count every kind of reply."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import deliver, knowledge_first_reply
from actions.conversation import latest_intent, send
from actions.recording import question_of, record_reply
from dialogue.contract import Intent
from dialogue.messages import Message, Reply, ReplyStatus
from dialogue.texts import text

SMALL_TALK = (Intent.greet, Intent.thanks, Intent.bot_challenge, Intent.out_of_scope, Intent.chitchat, Intent.stop)


async def say(key: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """One sentence of the catalogue, recorded as small talk."""
    reply = Reply([Message(text(key))], ReplyStatus.small_talk)
    await record_reply(tracker, reply, question_of(tracker))
    return send(reply, dispatcher)


class ActionSmallTalk(Action):
    def name(self) -> str:
        return "action_small_talk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answer = await knowledge_first_reply(tracker)
        if answer is not None:
            return await deliver(tracker, dispatcher, answer, question_of(tracker))
        intent = latest_intent(tracker)
        key = intent if intent in {i.value for i in SMALL_TALK} else Intent.out_of_scope.value
        return await say(f"small_talk.{key}", dispatcher, tracker)


class ActionFormStopped(Action):
    """The user left the procedure form."""

    def name(self) -> str:
        return "action_form_stopped"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await say("small_talk.form_stopped", dispatcher, tracker)
