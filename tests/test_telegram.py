"""The Telegram channel against a local fake Bot API, through the real Rasa and
action servers: commands, a question, buttons, a rating, a long answer, a 429."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from connectors.telegram.formatting import as_html
from dialogue.texts import text
from stack.settings import REPO_ROOT
from tests.e2e import Stack, wait_for_port
from tests.fakes.telegram_api import FakeTelegram

pytestmark = pytest.mark.stack

ASK_REASON = text("ratings.ask_reason")
HELP = text("channels.telegram_help")
NOT_TEXT = text("channels.not_text")
START = text("channels.telegram_start")


@pytest.fixture(scope="module")
def telegram(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    log = (tmp_path_factory.mktemp("telegram") / "bridge.log").open("wb")
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "RASA_REST_URL": stack.rest_url,
        "SUPPORT_PHONE": "0240000000",
    }
    bridge = subprocess.Popen(
        [sys.executable, "-m", "connectors.telegram"], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        fake.wait_for(lambda: "getMe" in fake.methods(), timeout=60)
        yield fake
    finally:
        bridge.terminate()
        bridge.wait(timeout=30)
        fake.stop()
        log.close()


def replies_after(fake: FakeTelegram, chat_id: int, count_before: int, at_least: int = 1) -> list[dict]:
    return fake.wait_for(
        lambda: fake.sent(chat_id)[count_before:] if len(fake.sent(chat_id)) >= count_before + at_least else None
    )


def buttons(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {button["text"]: button["callback_data"] for row in rows for button in row}


def test_commands_and_non_text(telegram: FakeTelegram) -> None:
    chat = 1001
    telegram.user_says(chat, "/start")
    assert replies_after(telegram, chat, 0)[0]["text"] == as_html(START)
    telegram.user_says(chat, "/help")
    assert replies_after(telegram, chat, 1)[0]["text"] == as_html(HELP)
    telegram.user_says(chat, "/lienhe")
    assert "0240000000" in replies_after(telegram, chat, 2)[0]["text"]
    telegram.user_sends_sticker(chat)
    assert replies_after(telegram, chat, 3)[0]["text"] == as_html(NOT_TEXT)


def test_question_button_and_rating(telegram: FakeTelegram) -> None:
    chat = 1002
    telegram.user_says(chat, "đăng ký khai sinh cần giấy tờ gì?")
    [answer] = replies_after(telegram, chat, 0)
    assert answer["text"].startswith("Đăng ký khai sinh › Thành phần hồ sơ") and answer["parse_mode"] == "HTML"
    keys = buttons(answer)
    assert {"Lệ phí", "👍 Hữu ích", "👎 Chưa tốt"} <= set(keys)
    telegram.user_presses(chat, answer, keys["Lệ phí"])
    [fee] = replies_after(telegram, chat, 1)
    assert fee["text"].startswith("Đăng ký khai sinh › Phí, lệ phí")
    assert "answerCallbackQuery" in telegram.methods()
    telegram.user_presses(chat, fee, buttons(fee)["👎 Chưa tốt"])
    [ask] = replies_after(telegram, chat, 2)
    assert ask["text"] == as_html(ASK_REASON) and "Sai thông tin" in buttons(ask)
    edits = [params for method, params in telegram.calls if method == "editMessageReplyMarkup"]
    assert edits and not any(t.startswith(("👍", "👎")) for t in buttons(edits[-1])), "rating buttons removed"


def test_long_answer_is_split_at_telegrams_limit(telegram: FakeTelegram) -> None:
    chat = 1003
    telegram.user_says(chat, "hồ sơ đăng ký thường trú gồm gì")
    [answer] = replies_after(telegram, chat, 0)
    telegram.user_presses(chat, answer, buttons(answer)["Xem đầy đủ"])
    parts = replies_after(telegram, chat, 1, at_least=3)
    assert all(len(part["text"]) <= 4096 for part in parts)
    assert not parts[0].get("reply_markup") and buttons(parts[-1]), "the keyboard comes with the last part"


def test_rate_limit_is_waited_out_and_nothing_is_lost(telegram: FakeTelegram) -> None:
    chat = 1004
    telegram.rate_limit_next = 1
    telegram.user_says(chat, "lệ phí làm hộ chiếu bao nhiêu")
    [answer] = replies_after(telegram, chat, 0)
    assert "hộ chiếu" in answer["text"].lower()
    assert ("429",) <= tuple(method for method, _ in telegram.calls if method == "429")[:1]


def test_webhook_mode_checks_telegrams_secret_token(stack: Stack, tmp_path) -> None:
    import requests

    from stack.processes import free_port

    fake = FakeTelegram().start()
    port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "RASA_REST_URL": stack.rest_url,
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "TELEGRAM_WEBHOOK_PORT": str(port),
        "TELEGRAM_WEBHOOK_SECRET": "bi-mat_123",
    }
    log = (tmp_path / "bridge.log").open("wb")
    bridge = subprocess.Popen(
        [sys.executable, "-m", "connectors.telegram"], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        [registered] = fake.wait_for(lambda: [p for m, p in fake.calls if m == "setWebhook"])
        assert registered["secret_token"] == "bi-mat_123"
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1,
                "chat": {"id": 2001, "type": "private"},
                "from": {"id": 2001, "is_bot": False, "first_name": "Dân"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        url = f"http://127.0.0.1:{port}/telegram"
        wait_for_port(port)  # the webhook server may start listening just after setWebhook
        assert requests.post(url, json=update, timeout=10).status_code == 403, "unsigned"
        forged = {"X-Telegram-Bot-Api-Secret-Token": "doan-mo"}
        assert requests.post(url, json=update, headers=forged, timeout=10).status_code == 403, "forged"
        assert not fake.sent(2001)
        signed = {"X-Telegram-Bot-Api-Secret-Token": "bi-mat_123"}
        assert requests.post(url, json=update, headers=signed, timeout=10).status_code == 200
        assert fake.wait_for(lambda: fake.sent(2001))[0]["text"] == as_html(START)
    finally:
        bridge.terminate()
        bridge.wait(timeout=30)
        fake.stop()
        log.close()
