"""The satisfaction loop against the real servers: ask, answer, rate, report."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from dialogue.texts import text
from feedback.report import iso_week
from stack.settings import REPO_ROOT
from tests.e2e import Conversation, Stack

pytestmark = pytest.mark.stack
ALREADY_RATED, ASK_CSAT, ASK_REASON = (text(f"ratings.{k}") for k in ("already_rated", "ask_csat", "ask_reason"))
RATE_DOWN, RATE_UP = text("ratings.rate_down"), text("ratings.rate_up")
THANKS_CSAT, THANKS_RATING = text("ratings.thanks_csat"), text("ratings.thanks_rating")


def test_ask_answer_rate_down_with_a_reason_and_the_report_shows_it(stack: Stack) -> None:
    before = dt.datetime.now(dt.UTC)
    chat = Conversation(stack)
    assert chat.say("đăng ký khai tử cần giấy tờ gì?").startswith("Đăng ký khai tử › Thành phần hồ sơ")
    buttons = chat.buttons()
    assert RATE_UP in buttons and RATE_DOWN in buttons, "one rating prompt on the answer itself"
    down = buttons[RATE_DOWN]
    assert chat.say(down) == ASK_REASON
    assert "Cảm ơn bạn đã cho biết" in chat.press("Sai thông tin")
    assert chat.say(down) == ALREADY_RATED, "a double click stores one rating"
    data = stack.feedback_report()
    assert data["by_entry"]["dang-ky-khai-tu"]["rated"] == 1 and data["by_entry"]["dang-ky-khai-tu"]["csat"] == 0.0
    assert data["by_channel"]["rest"]["rated"] >= 1
    # the weeks the writes can fall in: a run across Sunday midnight spans two
    assert {iso_week(before), iso_week(dt.datetime.now(dt.UTC))} & set(data["by_week"])
    assert data["reasons"].get("wrong_info", 0) >= 1
    assert any(row["entry_id"] == "dang-ky-khai-tu" for row in data["lowest_rated_entries"])


def test_no_prompt_after_small_talk_and_a_late_rating_lands_on_its_answer(stack: Stack) -> None:
    chat = Conversation(stack)
    chat.say("xin chào")
    assert not chat.buttons(), "no rating after small talk"
    chat.say("thủ tục đăng ký giám hộ")
    first_up = chat.buttons()[RATE_UP]
    chat.say("Chính phủ số là gì?")
    assert chat.say(first_up) == THANKS_RATING, "the user kept chatting, then rated the earlier answer"
    assert stack.feedback_report()["by_entry"]["dang-ky-giam-ho"]["satisfied"] == 1


def test_goodbye_offers_the_conversation_rating_once(stack: Stack) -> None:
    chat = Conversation(stack)
    chat.say("lệ phí làm hộ chiếu bao nhiêu")
    farewell = chat.say("tạm biệt")
    assert ASK_CSAT in farewell and "⭐⭐⭐⭐⭐" in chat.buttons()
    assert chat.press("⭐⭐⭐⭐⭐") == THANKS_CSAT
    assert ASK_CSAT not in chat.say("tạm biệt"), "asked once"
    assert stack.feedback_report()["conversation_csat"]["rated"] >= 1


def test_report_command_reads_the_same_store(stack: Stack, tmp_path) -> None:
    env = {**os.environ, "FEEDBACK_DATABASE_URL": stack.feedback_url, "FEEDBACK_SPOOL": str(tmp_path / "spool")}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "feedback",
            "report",
            "--json",
            "--csv",
            str(tmp_path / "csv"),
            "--charts",
            str(tmp_path),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert data["overall"]["rated"] >= 1 and "definitions" in data
    assert (tmp_path / "csat_by_week.svg").exists() and (tmp_path / "csv" / "by_entry.csv").exists()
