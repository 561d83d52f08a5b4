"""Between Rasa trackers and the plain reply logic in knowledge/replies.py."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.replies import Message, Reply, Turn

ENTITIES = ("procedure", "detail", "level", "entry_id")


def entities_of(tracker: Tracker, names: tuple[str, ...]) -> dict[str, str]:
    """The first value of each wanted entity in the latest message, as text."""
    found: dict[str, str] = {}
    for entity in (tracker.latest_message or {}).get("entities") or []:
        name, value = entity.get("entity"), entity.get("value")
        if name in names and isinstance(value, str | int) and name not in found:
            found[name] = str(value)
    return found


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"


def turn_from(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    return Turn(
        text=message.get("text") or "",
        intent=(message.get("intent") or {}).get("name"),
        entities=entities_of(tracker, ENTITIES),
        focus_entry=tracker.get_slot("focus_entry"),
        focus_passage=tracker.get_slot("focus_passage"),
        last_detail=tracker.get_slot("last_detail"),
        pending_question=tracker.get_slot("pending_question"),
        detail_mode=bool(tracker.get_slot("detail_mode")),
    )


def send_messages(
    messages: list[Message], slots: dict[str, Any], dispatcher: CollectingDispatcher
) -> list[dict[str, Any]]:
    """Utter the messages; the slot changes become events."""
    for message in messages:
        buttons = [{"title": b.title, "payload": b.payload} for b in message.buttons]
        dispatcher.utter_message(text=message.text, buttons=buttons or None)
    return [SlotSet(name, value) for name, value in slots.items()]


def send(reply: Reply, dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    return send_messages(reply.messages, reply.slots, dispatcher)


def transcript(tracker: Tracker) -> list[dict[str, str]]:
    """The conversation so far as who said what (button payloads included)."""
    lines = []
    for event in tracker.events:
        if event.get("event") == "user" and event.get("text"):
            lines.append({"who": "user", "text": event["text"]})
        elif event.get("event") == "bot" and event.get("text"):
            lines.append({"who": "bot", "text": event["text"]})
    return lines
