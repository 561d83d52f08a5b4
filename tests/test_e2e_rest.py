"""End to end through the real Rasa server and action server over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from connectors.messages import APOLOGY
from stack.processes import ServerProcess, action_server, free_port, rasa_server
from tests.conftest import TEST_VAR

pytestmark = pytest.mark.e2e


@dataclass
class Stack:
    rasa: ServerProcess
    actions: ServerProcess
    rest_url: str

    def say(self, text: str, sender: str | None = None) -> list[dict]:
        response = requests.post(
            self.rest_url, json={"sender": sender or uuid.uuid4().hex, "message": text}, timeout=60
        )
        response.raise_for_status()
        return response.json()

    def texts(self, text: str, sender: str | None = None) -> str:
        return "\n".join(message.get("text", "") for message in self.say(text, sender))


@pytest.fixture(scope="module")
def stack(rasa_model: Path, index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("stack")
    rasa_port, action_port = free_port(), free_port()
    env = {
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "KNOWLEDGE_INDEX_DIR": str(index_dir),
        "LOG_LEVEL": "INFO",
    }
    logs = TEST_VAR / "logs"
    actions = action_server(action_port, env, logs / "e2e-actions.log")
    rasa = rasa_server(rasa_model, rasa_port, env, logs / "e2e-rasa.log")
    try:
        actions.start()
        rasa.start()
        actions.wait_healthy()
        rasa.wait_healthy()
        yield Stack(rasa, actions, f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook")
    finally:
        rasa.stop()
        actions.stop()
    assert not rasa.is_running() and not actions.is_running()


def test_greeting_is_answered_in_vietnamese(stack: Stack) -> None:
    reply = stack.texts("xin chào")
    assert "Xin chào" in reply and "trợ lý" in reply


def test_question_is_answered_from_the_matching_section_with_its_citation(stack: Stack) -> None:
    reply = stack.texts("Chính phủ số là gì?")
    assert "Chính phủ số là gì trong Chương trình" in reply
    assert "nội dung thứ sáu" in reply
    assert "Căn cứ: Nghị quyết số 76/NQ-CP của Chính phủ ngày 15/7/2021, mục III" in reply


def test_goodbye_and_thanks(stack: Stack) -> None:
    assert "Không có gì" in stack.texts("cảm ơn bạn nhiều")
    assert "Chào bạn" in stack.texts("tạm biệt nhé")


def test_off_topic_question_is_declined_politely(stack: Stack) -> None:
    reply = stack.texts("hôm nay giá vàng bao nhiêu")
    assert "ngoài phạm vi" in reply or "chưa tìm thấy" in reply


def test_action_server_down_gives_the_apology_then_recovers(stack: Stack) -> None:
    stack.actions.stop()
    try:
        assert stack.texts("Chính phủ số là gì?") == APOLOGY
        assert "Xin chào" in stack.texts("xin chào"), "responses that need no action still work"
    finally:
        stack.actions.start()
        stack.actions.wait_healthy()
    assert "Căn cứ:" in stack.texts("Chính phủ số là gì?")
