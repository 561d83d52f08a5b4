"""Rasa replies as Telegram messages: escaped HTML, split to Telegram's limit,
buttons as inline keyboards whose callback data fits Telegram's 64 bytes."""

from __future__ import annotations

import hashlib
import html
from collections import OrderedDict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_BYTES = 64


def as_html(text: str) -> str:
    """Telegram parses HTML replies: every character of the answer is escaped."""
    return html.escape(text, quote=False)


class CallbackPayloads:
    """Rasa payloads longer than Telegram's callback data limit are replaced by
    a short key; the last ``size`` such payloads are remembered."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._by_key: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        if len(payload.encode()) <= MAX_CALLBACK_BYTES:
            return payload
        key = "k:" + hashlib.sha256(payload.encode()).hexdigest()[:16]
        self._by_key[key] = payload
        self._by_key.move_to_end(key)
        while len(self._by_key) > self.size:
            self._by_key.popitem(last=False)
        return key

    def decode(self, data: str) -> str | None:
        """The payload of a button; None for a key this process no longer knows."""
        if data.startswith("k:"):
            return self._by_key.get(data)
        return data


def keyboard(buttons: list[dict], payloads: CallbackPayloads) -> InlineKeyboardMarkup | None:
    """One button per row: Vietnamese titles are long and phones are narrow."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b["title"], callback_data=payloads.encode(b["payload"]))] for b in buttons]
    )
