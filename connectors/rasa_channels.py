"""Rasa input channels that never leave the user without a reply.

When the action server is down, Rasa logs the failed action and carries on
silently. These channels watch what the bot sent for each message and, if it
sent nothing, reply with a polite apology instead.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput

from connectors.messages import APOLOGY

log = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


class CountingOutputChannel(OutputChannel):
    """Forwards every response to the real channel and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def guarantee_reply(on_new_message: Handler) -> Handler:
    async def handle(message: UserMessage) -> Any:
        counting = CountingOutputChannel(message.output_channel)
        message.output_channel = counting
        try:
            result = await on_new_message(message)
        except Exception:
            log.exception("handling a message from %s failed", message.sender_id)
            result = None
        if counting.sent == 0:
            log.warning("no reply for %s; sending the apology", message.sender_id)
            await counting.inner.send_text_message(message.sender_id, APOLOGY)
        return result

    return handle


class GuaranteedRestInput(RestInput):
    """The standard REST channel (``/webhooks/rest/webhook``), never silent."""

    def blueprint(self, on_new_message: Handler) -> Any:
        return super().blueprint(guarantee_reply(on_new_message))


class GuaranteedSocketIOInput(SocketIOInput):
    """The standard socket.io channel, never silent."""

    def blueprint(self, on_new_message: Handler) -> Any:
        return super().blueprint(guarantee_reply(on_new_message))
