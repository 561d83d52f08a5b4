"""The Zalo Official Account webhook, bridged to Rasa's REST channel.

Zalo signs each event: header ``X-ZEvent-Signature: mac=<sha256(app_id + body +
timestamp + OA secret key)>``. Unsigned events get 401, forged ones 403 (both
logged). Zalo wants a 200 within 2 seconds, so the event is acknowledged at
once and answered in the background through the OA send-message API; Rasa
buttons become query buttons, which send their payload back as the user's text.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

import httpx
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from connectors.common import split_message
from connectors.rasa_client import RasaClient
from dialogue.texts import text as catalogue_text

log = logging.getLogger(__name__)
MAX_TEXT_CHARS = 2000  # Zalo's limit for a consultation text message
MAX_BUTTONS = 5


@dataclass(frozen=True)
class ZaloSettings:
    app_id: str
    oa_secret_key: str
    access_token: str
    api_base_url: str  # https://openapi.zalo.me, or a local fake in tests
    rasa_url: str


def signature(app_id: str, body: str, timestamp: str, secret: str) -> str:
    return "mac=" + hashlib.sha256(f"{app_id}{body}{timestamp}{secret}".encode()).hexdigest()


def verify(request: Request, settings: ZaloSettings) -> int | None:
    """None if the event is authentic, else the HTTP status to refuse it with."""
    given = request.headers.get("X-ZEvent-Signature")
    if not given:
        return 401
    try:
        timestamp = str(json.loads(request.body).get("timestamp", ""))
    except ValueError:
        return 400
    expected = signature(
        settings.app_id, request.body.decode("utf-8", errors="replace"), timestamp, settings.oa_secret_key
    )
    return None if hmac.compare_digest(given, expected) else 403


class ZaloBridge:
    def __init__(self, settings: ZaloSettings) -> None:
        self.settings = settings
        self.rasa = RasaClient(settings.rasa_url, channel="zalo")
        self.http = httpx.AsyncClient(timeout=60)

    async def handle(self, event: dict) -> None:
        name = event.get("event_name")
        user_id = str((event.get("sender") or event.get("follower") or {}).get("id") or "")
        if not user_id:
            return
        if name == "follow":
            await self.send(user_id, catalogue_text("channels.zalo_welcome"), [])
        elif name == "user_send_text":
            await self.forward(user_id, str((event.get("message") or {}).get("text") or ""))
        elif name and name.startswith("user_send_"):
            await self.send(user_id, catalogue_text("channels.not_text"), [])
        else:
            log.info("ignored Zalo event %s", name)

    async def forward(self, user_id: str, text: str) -> None:
        replies = await self.rasa.send(f"zalo:{user_id}", text)
        if replies is None:
            await self.send(user_id, catalogue_text("channels.apology"), [])
            return
        for message in replies:
            if message.get("text"):
                await self.send(user_id, message["text"], message.get("buttons") or [])

    async def send(self, user_id: str, text: str, buttons: list[dict]) -> None:
        chunks = split_message(text, MAX_TEXT_CHARS)
        for index, chunk in enumerate(chunks):
            message: dict = {"text": chunk}
            if buttons and index == len(chunks) - 1:
                message["attachment"] = {
                    "type": "template",
                    "payload": {
                        "buttons": [
                            {"title": b["title"][:100], "type": "oa.query.hide", "payload": b["payload"]}
                            for b in buttons[:MAX_BUTTONS]
                        ]
                    },
                }
            await self._post_message(user_id, message)

    async def _post_message(self, user_id: str, message: dict) -> None:
        url = f"{self.settings.api_base_url}/v3.0/oa/message/cs"
        body = {"recipient": {"user_id": user_id}, "message": message}
        for attempt in range(1, 4):
            try:
                result = await self.http.post(url, json=body, headers={"access_token": self.settings.access_token})
                result.raise_for_status()
                if result.json().get("error", 0) == 0:
                    return
                log.warning("Zalo refused a message: %s", result.text[:300])
                return
            except (httpx.TransportError, httpx.HTTPStatusError) as error:
                log.warning("Zalo send failed (%s), attempt %d", error, attempt)
                await asyncio.sleep(attempt)


def create_app(settings: ZaloSettings) -> Sanic:
    app = Sanic("zalo_channel")
    bridge = ZaloBridge(settings)
    tasks: set[asyncio.Task] = set()

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.post("/zalo/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        refused = verify(request, settings)
        if refused is not None:
            log.warning("refused a Zalo webhook request (%d) from %s", refused, request.ip)
            return response.json({"error": "chữ ký không hợp lệ"}, status=refused)
        task = asyncio.create_task(bridge.handle(json.loads(request.body)))
        tasks.add(task)  # keep a reference until done
        task.add_done_callback(tasks.discard)
        return response.json({"status": "ok"})

    return app
