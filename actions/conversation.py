"""Between Rasa trackers and the plain dialogue layer (dialogue/)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from dialogue.contract import Entity, Slot
from dialogue.messages import Message, Reply, Turn

QUESTION_ENTITIES = (Entity.procedure, Entity.detail, Entity.level, Entity.entry_id)


def entities_of(tracker: Tracker, names: tuple[Entity, ...]) -> dict[str, str]:
    """The first value of each wanted entity in the latest message, as text."""
    wanted = {name.value for name in names}
    found: dict[str, str] = {}
    for entity in (tracker.latest_message or {}).get("entities") or []:
        name, value = entity.get("entity"), entity.get("value")
        if name in wanted and isinstance(value, str | int) and name not in found:
            found[name] = str(value)
    return found


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def slot(tracker: Tracker, name: Slot) -> Any:
    return tracker.get_slot(name.value)


def turn_from(tracker: Tracker) -> Turn:
    return Turn(
        text=latest_text(tracker),
        intent=latest_intent(tracker),
        entities=entities_of(tracker, QUESTION_ENTITIES),
        focus_entry=slot(tracker, Slot.focus_entry),
        focus_passage=slot(tracker, Slot.focus_passage),
        last_detail=slot(tracker, Slot.last_detail),
        pending_question=slot(tracker, Slot.pending_question),
        detail_mode=bool(slot(tracker, Slot.detail_mode)),
    )


def send_messages(messages: list[Message], dispatcher: CollectingDispatcher) -> None:
    for message in messages:
        buttons = [button.to_rasa() for button in message.buttons]
        dispatcher.utter_message(text=message.text, buttons=buttons or None)


def send(reply: Reply, dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    """Utter the reply's messages; its slot changes become events."""
    send_messages(reply.messages, dispatcher)
    return [SlotSet(Slot(name).value, value) for name, value in reply.slots.items()]


def transcript(tracker: Tracker) -> list[dict[str, str]]:
    """The conversation so far as who said what (button payloads included)."""
    lines = []
    for event in tracker.events:
        if event.get("event") == "user" and event.get("text"):
            lines.append({"who": "user", "text": event["text"]})
        elif event.get("event") == "bot" and event.get("text"):
            lines.append({"who": "bot", "text": event["text"]})
    return lines
