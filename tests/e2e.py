"""A running assistant (real Rasa server + action server) for end-to-end tests."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from stack.processes import ServerProcess, port_in_use


def wait_for_port(port: int, timeout: float = 30) -> None:
    """Wait for a server to listen; one that never does fails the test."""
    deadline = time.monotonic() + timeout
    while not port_in_use(port):
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing listens on port {port} after {timeout} s")
        time.sleep(0.1)


@dataclass
class Stack:
    rasa: ServerProcess
    actions: ServerProcess
    rest_url: str
    feedback_url: str
    workdir: Path
    env: dict[str, str]  # what the servers were started with, for tests that start more of them

    def say(self, text: str, sender: str | None = None) -> list[dict]:
        response = requests.post(
            self.rest_url, json={"sender": sender or uuid.uuid4().hex, "message": text}, timeout=60
        )
        response.raise_for_status()
        return response.json()

    def feedback_report(self) -> dict:
        """The action server's JSON satisfaction report."""
        response = requests.get(f"http://127.0.0.1:{self.actions.port}/feedback/report", timeout=30)
        response.raise_for_status()
        return response.json()

    def texts(self, text: str, sender: str | None = None) -> str:
        return "\n".join(message.get("text", "") for message in self.say(text, sender))


@dataclass
class Conversation:
    """One user talking to the stack; keeps the last reply for assertions."""

    stack: Stack
    sender: str = field(default_factory=lambda: uuid.uuid4().hex)
    last: list[dict] = field(default_factory=list)

    def say(self, text: str) -> str:
        self.last = self.stack.say(text, self.sender)
        return "\n".join(message.get("text", "") for message in self.last)

    def buttons(self) -> dict[str, str]:
        """Title -> payload of the buttons in the last reply."""
        return {b["title"]: b["payload"] for m in self.last for b in m.get("buttons", [])}

    def press(self, title: str) -> str:
        return self.say(self.buttons()[title])
