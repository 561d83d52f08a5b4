"""A local stand-in for the Zalo Official Account send-message API
(POST /v3.0/oa/message/cs with an ``access_token`` header): records messages."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.fakes.http import FakeServer


class FakeZalo(FakeServer):
    def __init__(self, access_token: str = "zalo-token") -> None:
        self.access_token = access_token
        self.messages: list[dict] = []
        super().__init__()

    @property
    def base_url(self) -> str:
        return self.origin

    def to(self, user_id: str) -> list[dict]:
        return [m["message"] for m in self.messages if m["recipient"]["user_id"] == user_id]

    def wait_for(self, user_id: str, count: int, timeout: float = 60) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.to(user_id)) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(self.to(user_id))} of {count} messages to {user_id} after {timeout} s")
                self._lock.wait(remaining)
            return self.to(user_id)

    def handle(self, path: str, headers: Any, body: bytes) -> tuple[int, dict]:
        if path != "/v3.0/oa/message/cs":
            return 404, {"error": 404, "message": "not found"}
        if headers.get("access_token") != self.access_token:
            return 200, {"error": -216, "message": "Access token is invalid"}
        with self._lock:
            self.messages.append(json.loads(body or b"{}"))
            self._lock.notify_all()
            return 200, {"error": 0, "message": "Success", "data": {"message_id": str(len(self.messages))}}
