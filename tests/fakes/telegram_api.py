"""A local stand-in for the Telegram Bot API (https://core.telegram.org/bots/api).

Serves getMe, getUpdates (long polling), deleteWebhook/setWebhook, and records
sendMessage, answerCallbackQuery and editMessageReplyMarkup. Tests push user
updates in and read what the bot sent; they can make the next sendMessage
answer 429 with a retry_after.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from tests.fakes.http import FakeServer

BOT = {"id": 777, "is_bot": True, "first_name": "Trợ lý", "username": "tro_ly_cchc_bot"}


@dataclass
class FakeTelegram(FakeServer):
    token: str = "123456:TEST"
    updates: list[dict] = field(default_factory=list)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    rate_limit_next: int = 0  # how many sendMessage calls answer 429 first
    retry_after: int = 1

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        super().__init__()

    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    # -- what a user does -------------------------------------------------------

    def user_says(self, chat_id: int, text: str) -> None:
        message = self._message(chat_id, text, from_user=True)
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self._push({"message": message})

    def user_sends_sticker(self, chat_id: int) -> None:
        message = self._message(chat_id, None, from_user=True)
        message["sticker"] = {
            "file_id": "s1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        self._push({"message": message})

    def user_presses(self, chat_id: int, sent: dict, data: str) -> None:
        """Press a button of a message the bot sent (``sent``: an entry of ``sent()``)."""
        message = sent["_message"]
        self._push(
            {
                "callback_query": {
                    "id": str(next(self._ids)),
                    "from": self._user(chat_id),
                    "chat_instance": str(chat_id),
                    "message": message,
                    "data": data,
                }
            }
        )

    # -- what the bot did ----------------------------------------------------------

    def sent(self, chat_id: int) -> list[dict]:
        return [
            params for method, params in self.calls if method == "sendMessage" and int(params["chat_id"]) == chat_id
        ]

    def wait_for(self, predicate, timeout: float = 60) -> list:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = predicate()
                if found:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"the bot did not do it in {timeout} s; calls: {[c[0] for c in self.calls]}")
                self._lock.wait(remaining)

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    # -- internals -------------------------------------------------------------------

    def _user(self, chat_id: int) -> dict:
        return {"id": chat_id, "is_bot": False, "first_name": "Dân", "language_code": "vi"}

    def _message(self, chat_id: int, text: str | None, from_user: bool) -> dict:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": self._user(chat_id) if from_user else BOT,
        }
        if text is not None:
            message["text"] = text
        return message

    def _push(self, update: dict) -> None:
        with self._lock:
            self.updates.append({"update_id": next(self._ids), **update})
            self._lock.notify_all()

    def _handle(self, method: str, params: dict) -> tuple[int, dict]:
        with self._lock:
            if method == "sendMessage" and self.rate_limit_next > 0:
                self.rate_limit_next -= 1
                self.calls.append(("429", params))
                self._lock.notify_all()
                return 429, {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {self.retry_after}",
                    "parameters": {"retry_after": self.retry_after},
                }
            if method != "getUpdates":
                self.calls.append((method, params))
                self._lock.notify_all()
        if method == "getMe":
            return 200, {"ok": True, "result": BOT}
        if method in ("deleteWebhook", "setWebhook", "answerCallbackQuery", "setMyCommands"):
            return 200, {"ok": True, "result": True}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._updates(params)}
        if method in ("sendMessage", "editMessageReplyMarkup"):
            chat_id = int(params.get("chat_id") or 0)
            message = self._message(chat_id, params.get("text", ""), from_user=False)
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            params["_message"] = message  # what a later button press refers to
            return 200, {"ok": True, "result": message}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}

    def _updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 1.0)
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                pending = [u for u in self.updates if u["update_id"] >= offset]
                remaining = deadline - time.monotonic()
                if pending or remaining <= 0:
                    return pending
                self._lock.wait(remaining)

    def handle(self, path: str, headers: Any, body: bytes) -> tuple[int, dict]:
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        text = body.decode()
        if "json" in (headers.get("Content-Type") or ""):
            params = json.loads(text or "{}")
        else:
            params = {k: v[0] for k, v in parse_qs(text).items()}
        if isinstance(params.get("reply_markup"), str):
            params["reply_markup"] = json.loads(params["reply_markup"])
        return self._handle(path[len(prefix) :], params)
