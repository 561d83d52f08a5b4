"""Rasa input channels that never leave the user without a reply.

When the action server is down, Rasa logs the failed action and carries on
silently. These channels watch what the bot sent for each message and, if it
sent nothing, reply with a polite apology instead. They also refuse a message
that is too large before Rasa sees it, so nothing of it is processed or stored.
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
from sanic import response
from sanic.exceptions import InvalidUsage as BadRequest  # sanic 21.12 (rasa 3.6)
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.common import MAX_MESSAGE_CHARS
from dialogue.texts import text

# JSON may escape each character as \uXXXX (6 bytes); room for the other fields.
MAX_BODY_BYTES = 6 * MAX_MESSAGE_CHARS + 4096

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
            await counting.inner.send_text_message(message.sender_id, text("channels.apology"))
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
            raise BadRequest(text("channels.bad_request"))
        request.ctx.lenient_json = body
    return request.ctx.lenient_json


def too_large(request: Request) -> HTTPResponse | None:
    """413 with a Vietnamese explanation for a body or a message over the limits."""
    if request.method != "POST":
        return None
    oversized = len(request.body or b"") > MAX_BODY_BYTES
    if not oversized:
        try:
            message = lenient_json(request).get("message")
        except BadRequest:
            return None  # the route answers malformed JSON itself
        oversized = isinstance(message, str) and len(message) > MAX_MESSAGE_CHARS
    if oversized:
        log.warning("refused a message over the size limit (%d bytes)", len(request.body or b""))
        return response.json(
            {"error": text("channels.too_large", limit=f"{MAX_MESSAGE_CHARS:,}".replace(",", "."))}, status=413
        )
    return None


class GuaranteedRestInput(RestInput):
    """The standard REST channel (``/webhooks/rest/webhook``), never silent."""

    def blueprint(self, on_new_message: Handler) -> Any:
        blueprint = super().blueprint(guarantee_reply(on_new_message))
        blueprint.middleware("request")(too_large)
        return blueprint

    async def _extract_sender(self, req: Request) -> str | None:
        sender = lenient_json(req).get("sender")
        if not isinstance(sender, str | int) or not str(sender).strip():
            raise BadRequest(text("channels.bad_request"))
        return str(sender)

    def _extract_message(self, req: Request) -> str:
        message = lenient_json(req).get("message")
        typed = message if isinstance(message, str) else ""
        # some keyboards send decomposed diacritics; the NLU and the KB expect NFC
        return unicodedata.normalize("NFC", typed)

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
