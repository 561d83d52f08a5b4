"""``action_answer_question``: answer from the knowledge base, citing it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = (tracker.latest_message.get("text") or "").strip()
        answer = await services.answer_question(question)
        if answer.found:
            dispatcher.utter_message(text=answer.text)
        else:
            dispatcher.utter_message(response="utter_not_found")
        return []


services.live_index()  # load the model and index before the server reports healthy
