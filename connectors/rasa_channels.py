"""Rasa input channels that never leave the user without a reply.

When the action server is down, Rasa logs the failed action and carries on
silently. These channels watch what the bot sent for each message and, if it
sent nothing, reply with a polite apology instead.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic.exceptions import InvalidUsage as BadRequest  # sanic 21.12 (rasa 3.6)
from sanic.request import Request

from connectors.messages import APOLOGY, BAD_REQUEST

# Longer texts are cut here: nobody types this much, and it keeps NLU fast.
MAX_MESSAGE_CHARS = 10_000

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


def lenient_json(request: Request) -> dict[str, Any]:
    """The request body as JSON, with broken UTF-8 replaced rather than refused
    (a phone keyboard or a proxy can mangle a byte; the message still counts)."""
    if not hasattr(request.ctx, "lenient_json"):
        try:
            body = json.loads(request.body.decode("utf-8", errors="replace"))
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise BadRequest(BAD_REQUEST)
        request.ctx.lenient_json = body
    return request.ctx.lenient_json


class GuaranteedRestInput(RestInput):
    """The standard REST channel (``/webhooks/rest/webhook``), never silent."""

    def blueprint(self, on_new_message: Handler) -> Any:
        return super().blueprint(guarantee_reply(on_new_message))

    async def _extract_sender(self, req: Request) -> str | None:
        sender = lenient_json(req).get("sender")
        if not isinstance(sender, str | int) or not str(sender).strip():
            raise BadRequest(BAD_REQUEST)
        return str(sender)

    def _extract_message(self, req: Request) -> str:
        message = lenient_json(req).get("message")
        text = message if isinstance(message, str) else ""
        # some keyboards send decomposed diacritics; the NLU and the KB expect NFC
        return unicodedata.normalize("NFC", text[:MAX_MESSAGE_CHARS])

    def _extract_input_channel(self, req: Request) -> str:
        channel = lenient_json(req).get("input_channel")
        return channel if isinstance(channel, str) and channel else self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = lenient_json(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None


class GuaranteedSocketIOInput(SocketIOInput):
    """The standard socket.io channel, never silent."""

    def blueprint(self, on_new_message: Handler) -> Any:
        return super().blueprint(guarantee_reply(on_new_message))
