"""Limits and error answers of the running servers: oversized messages, unexpected
methods and paths, cross-origin calls, and the status stored with every reply."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
import requests

from dialogue.texts import text
from tests.e2e import Conversation, Stack

pytestmark = pytest.mark.stack


def tracker_events(stack: Stack, sender: str) -> int:
    path = stack.env["TRACKER_STORE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


@pytest.mark.parametrize("size", [4097, 5 * 1024 * 1024])
def test_an_oversized_message_is_refused_in_vietnamese_and_nothing_is_stored(stack: Stack, size: int) -> None:
    sender = f"big-{uuid.uuid4().hex}"
    body = {"sender": sender, "message": "đăng ký khai sinh " + "a" * size}
    response = requests.post(stack.rest_url, json=body, timeout=60)
    assert response.status_code == 413
    assert response.json()["error"].startswith("Tin nhắn quá dài: tối đa 4.096 ký tự")
    assert tracker_events(stack, sender) == 0, "no trace of it in the tracker store"
    assert stack.say("xin chào", sender)[0]["text"].startswith("Xin chào"), "the conversation goes on"


def test_a_bridge_gets_the_reason_of_a_refusal(stack: Stack) -> None:
    import asyncio

    from connectors.rasa_client import RasaClient

    async def send() -> list[dict] | None:
        client = RasaClient(stack.rest_url, channel="telegram")
        try:
            return await client.send("bridge-user", "x" * 5000)
        finally:
            await client.close()

    assert asyncio.run(send()) == [{"text": text("channels.too_large", limit="4.096")}]


def test_unexpected_methods_and_paths_get_4xx_never_5xx(stack: Stack) -> None:
    actions = f"http://127.0.0.1:{stack.actions.port}"
    rasa = stack.rest_url.removesuffix("/webhooks/rest/webhook")
    assert requests.head(f"{actions}/feedback/report", timeout=30).status_code == 200
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert requests.request(method, f"{actions}/feedback/report", timeout=30).status_code == 405, method
    assert requests.get(f"{actions}/feedback/report?days=abc", timeout=30).status_code == 400
    assert requests.get(f"{actions}/khong-co", timeout=30).status_code == 404
    assert requests.head(f"{actions}/khong-co", timeout=30).status_code == 404
    assert requests.get(f"{rasa}/webhooks/rest/khong-co", timeout=30).status_code == 404
    assert requests.put(stack.rest_url, json={"sender": "a", "message": "b"}, timeout=30).status_code == 405


def test_the_action_server_allows_no_cross_origin_calls(stack: Stack) -> None:
    actions = f"http://127.0.0.1:{stack.actions.port}"
    origin = {"Origin": "http://trang-la.example"}
    assert (
        "access-control-allow-origin"
        not in requests.get(f"{actions}/feedback/report", headers=origin, timeout=30).headers
    )
    preflight = requests.options(
        f"{actions}/webhook", headers={**origin, "Access-Control-Request-Method": "POST"}, timeout=30
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_every_reply_is_stored_with_its_status(stack: Stack) -> None:
    before = stack.feedback_report()["replies_by_status"]
    chat = Conversation(stack)
    chat.say("xin chào")  # small talk
    chat.say("đăng ký kết hôn cần giấy tờ gì")  # answered
    chat.say("thủ tục cấp chứng chỉ hành nghề dược, gọi tôi 0912345678")  # declined: not in the knowledge base
    chat.say("😀")  # no words
    chat.say("tôi muốn gặp cán bộ")  # handoff
    after = stack.feedback_report()["replies_by_status"]
    grew = {status for status, row in after.items() if row["count"] > before.get(status, {}).get("count", 0)}
    assert grew == {"small_talk", "answered", "declined", "no_words", "handoff"}
