"""A local stand-in for the Zalo Official Account send-message API
(POST /v3.0/oa/message/cs with an ``access_token`` header): records messages."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeZalo:
    def __init__(self, access_token: str = "zalo-token") -> None:
        self.access_token = access_token
        self.messages: list[dict] = []
        self._lock = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> FakeZalo:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

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

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if self.path != "/v3.0/oa/message/cs":
                    self._reply(404, {"error": 404, "message": "not found"})
                elif self.headers.get("access_token") != fake.access_token:
                    self._reply(200, {"error": -216, "message": "Access token is invalid"})
                else:
                    with fake._lock:
                        fake.messages.append(body)
                        fake._lock.notify_all()
                    self._reply(
                        200, {"error": 0, "message": "Success", "data": {"message_id": str(len(fake.messages))}}
                    )

            def _reply(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
