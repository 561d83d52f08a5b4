"""End to end through the real Rasa server and action server over HTTP."""

from __future__ import annotations

import pytest

from dialogue.texts import text
from tests.e2e import Stack

pytestmark = pytest.mark.stack
APOLOGY = text("channels.apology")


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
        # every sentence comes from the action server (the one text catalogue): small talk too
        assert stack.texts("xin chào") == APOLOGY
    finally:
        stack.actions.start()
        stack.actions.wait_healthy()
    assert "Căn cứ:" in stack.texts("Chính phủ số là gì?")
