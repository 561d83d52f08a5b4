"""The Zalo-style channel against a local fake Zalo API, through the real Rasa and
action servers: signature checks, follow and text events, query buttons."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests

from connectors.zalo.app import signature
from dialogue.texts import text
from stack.processes import free_port
from stack.settings import REPO_ROOT
from tests.e2e import Stack, wait_for_port
from tests.fakes.zalo_api import FakeZalo

pytestmark = pytest.mark.stack

NOT_TEXT = text("channels.not_text")
WELCOME = text("channels.zalo_welcome")
APP_ID, SECRET = "1234567890", "oa-secret-key"


@pytest.fixture(scope="module")
def zalo(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeZalo, str]]:
    fake = FakeZalo().start()
    port = free_port()
    env = {
        **os.environ,
        "ZALO_APP_ID": APP_ID,
        "ZALO_OA_SECRET_KEY": SECRET,
        "ZALO_ACCESS_TOKEN": fake.access_token,
        "ZALO_API_BASE_URL": fake.base_url,
        "ZALO_WEBHOOK_PORT": str(port),
        "RASA_REST_URL": stack.rest_url,
    }
    log = (tmp_path_factory.mktemp("zalo") / "zalo.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "connectors.zalo"], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port)
        yield fake, f"http://127.0.0.1:{port}/zalo/webhook"
    finally:
        process.terminate()
        process.wait(timeout=30)
        fake.stop()
        log.close()


def event(name: str, user: str, text: str | None = None) -> dict:
    body = {
        "app_id": APP_ID,
        "event_name": name,
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": user},
        "recipient": {"id": "oa-1"},
        "user_id_by_app": user,
    }
    if name == "follow":
        body["follower"] = body.pop("sender")
    if text is not None:
        body["message"] = {"text": text, "msg_id": "m1"}
    return body


def post(url: str, body: dict, mac: str | None = "valid") -> requests.Response:
    raw = json.dumps(body, ensure_ascii=False)
    headers = {"Content-Type": "application/json"}
    if mac == "valid":
        headers["X-ZEvent-Signature"] = signature(APP_ID, raw, body["timestamp"], SECRET)
    elif mac:
        headers["X-ZEvent-Signature"] = mac
    return requests.post(url, data=raw.encode(), headers=headers, timeout=10)


def test_unsigned_and_forged_events_are_refused(zalo: tuple[FakeZalo, str]) -> None:
    fake, url = zalo
    body = event("user_send_text", "u-forged", "xin chào")
    assert post(url, body, mac=None).status_code == 401
    assert post(url, body, mac="mac=" + "0" * 64).status_code == 403
    # a signed event from the same user afterwards: its welcome must be the only message
    assert post(url, event("follow", "u-forged")).status_code == 200
    assert [m["text"] for m in fake.wait_for("u-forged", 1)] == [WELCOME]


def test_follow_then_a_question_then_a_query_button(zalo: tuple[FakeZalo, str]) -> None:
    fake, url = zalo
    assert post(url, event("follow", "u1")).status_code == 200
    assert fake.wait_for("u1", 1)[0]["text"] == WELCOME
    assert post(url, event("user_send_text", "u1", "đăng ký khai sinh cần giấy tờ gì?")).status_code == 200
    answer = fake.wait_for("u1", 2)[1]
    assert answer["text"].startswith("Đăng ký khai sinh › Thành phần hồ sơ") and len(answer["text"]) <= 2000
    buttons = {b["title"]: b for b in answer["attachment"]["payload"]["buttons"]}
    assert len(buttons) <= 5 and buttons["Lệ phí"]["type"] == "oa.query.hide"
    assert post(url, event("user_send_text", "u1", buttons["Lệ phí"]["payload"])).status_code == 200
    assert fake.wait_for("u1", 3)[2]["text"].startswith("Đăng ký khai sinh › Phí, lệ phí")


def test_other_events_are_handled_safely(zalo: tuple[FakeZalo, str]) -> None:
    fake, url = zalo
    assert post(url, event("user_send_sticker", "u2")).status_code == 200
    assert fake.wait_for("u2", 1)[0]["text"] == NOT_TEXT
    assert post(url, event("user_seen_message", "u2")).status_code == 200, "unknown event types are ignored"
    assert post(url, event("follow", "u2")).status_code == 200  # a marker after the ignored event
    assert [m["text"] for m in fake.wait_for("u2", 2)] == [NOT_TEXT, WELCOME]
