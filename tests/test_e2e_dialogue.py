"""Multi-turn conversations and bad input through the REST channel, against
the real Rasa server and action server."""

from __future__ import annotations

import json

import pytest
import requests

from dialogue.texts import text
from feedback.store import FeedbackStore
from tests.e2e import Conversation, Stack

pytestmark = pytest.mark.stack
NO_WORDS = text("answer.no_words")
UNKNOWN_CHOICE = text("answer.unknown_choice")
LONG_NOTE = text("answer.long_question", limit=500)


def test_follow_up_uses_the_procedure_in_focus_and_a_new_name_switches_it(stack: Stack) -> None:
    chat = Conversation(stack)
    first = chat.say("đăng ký khai sinh cần giấy tờ gì?")
    assert first.startswith("Đăng ký khai sinh › Thành phần hồ sơ") and "Căn cứ: " in first
    assert "Lệ phí" in chat.buttons(), "an answer offers more detail"
    assert chat.say("thế lệ phí bao nhiêu?").startswith("Đăng ký khai sinh › Phí, lệ phí")
    assert chat.say("còn kết hôn thì sao?").startswith("Đăng ký kết hôn › Phí, lệ phí")
    assert chat.press("Thời hạn").startswith("Đăng ký kết hôn › Thời hạn giải quyết")


def test_civil_servant_asks_for_the_legal_basis_and_the_full_text(stack: Stack) -> None:
    chat = Conversation(stack)
    chat.say("hồ sơ đăng ký thường trú gồm gì")
    assert chat.say("cho tôi xem căn cứ pháp lý").startswith("Đăng ký thường trú › Căn cứ pháp lý")
    full = chat.say("hồ sơ đăng ký thường trú gồm gì")
    assert "…" not in full.split("Căn cứ:")[0], "after asking for the legal basis, answers come in full"


def test_a_choice_button_answers_from_its_entry_and_follow_ups_stay_on_it(stack: Stack) -> None:
    """The button a clarification offers (when two results nearly tie: the rule is
    tested in tests/test_replies.py) goes through Rasa and answers from its entry."""
    chat = Conversation(stack)
    answer = chat.say('/ask_procedure{"entry_id": "dang-ky-nhan-cha-me-con"}')
    assert answer.startswith("Đăng ký nhận cha, mẹ, con") and "Căn cứ: " in answer
    assert chat.say("lệ phí bao nhiêu").startswith("Đăng ký nhận cha, mẹ, con › Phí, lệ phí")


def test_unknown_question_is_admitted_logged_and_can_go_to_a_person(stack: Stack) -> None:
    chat = Conversation(stack)
    reply = chat.say("thủ tục cấp chứng chỉ hành nghề dược, gọi tôi 0912345678")
    assert "chưa tìm thấy thông tin đủ tin cậy" in reply
    assert "0240000000" in reply and "Bộ phận Một cửa phường Thử Nghiệm" in reply
    handoff = chat.press("Gặp cán bộ hỗ trợ")
    assert "mã yêu cầu: HT-" in handoff and "sáng thứ Hai đến thứ Sáu" in handoff
    store = FeedbackStore(stack.feedback_url, "unused", spool_path=stack.workdir / "feedback-spool.jsonl")
    questions = [question for question, _ in store.unanswered_counts()]
    assert "thủ tục cấp chứng chỉ hành nghề dược, gọi tôi [số điện thoại]" in questions
    reference = handoff.split("mã yêu cầu: ")[1][:9]
    [request] = [r for r in store.handoffs() if r.reference == reference]
    said = [line["text"] for line in request.transcript if line["who"] == "user"]
    assert said[0] == "thủ tục cấp chứng chỉ hành nghề dược, gọi tôi [số điện thoại]"
    assert request.channel == "rest"


def test_request_for_a_person_at_any_time(stack: Stack) -> None:
    chat = Conversation(stack)
    chat.say("thủ tục đăng ký kết hôn")
    reply = chat.say("cho tôi gặp cán bộ")
    assert "mã yêu cầu: HT-" in reply and "Bộ phận Một cửa phường Thử Nghiệm" in reply
    assert "Căn cứ: " in chat.say("lệ phí đăng ký kết hôn bao nhiêu"), "the conversation goes on"


def test_procedure_form_asks_which_one_validates_and_answers(stack: Stack) -> None:
    chat = Conversation(stack)
    assert "Bạn cần tra cứu thủ tục nào?" in chat.say("tôi muốn làm thủ tục")
    assert "Thôi, không cần nữa" in chat.buttons(), "the form offers a way out"
    assert "Tôi chưa tìm thấy thủ tục này" in chat.say("nuôi chim yến")
    assert "Đăng ký khai sinh" in chat.buttons(), "nothing close: the most asked procedures are offered"
    assert chat.say("hộ chiếu").startswith("Cấp hộ chiếu phổ thông ở trong nước › Tóm tắt")
    # every reply of the form is recorded: the start, the decline (kept for review), the answer
    store = FeedbackStore(stack.feedback_url, "unused", spool_path=stack.workdir / "feedback-spool.jsonl")
    with store.session() as session:
        from feedback.models import AnswerRecord

        recorded = {(row.question, row.status) for row in session.query(AnswerRecord)}
    assert {("tôi muốn làm thủ tục", "form_started"), ("nuôi chim yến", "declined")} <= recorded
    assert "nuôi chim yến" in [question for question, _ in store.unanswered_counts()]


def test_detail_question_without_a_procedure_asks_then_answers_that_detail(stack: Stack) -> None:
    chat = Conversation(stack)
    assert "Bạn cần tra cứu thủ tục nào?" in chat.say("lệ phí bao nhiêu?")
    assert chat.press("Đăng ký kết hôn").startswith("Đăng ký kết hôn › Phí, lệ phí")


def test_procedure_form_can_be_left(stack: Stack) -> None:
    chat = Conversation(stack)
    chat.say("tôi muốn làm thủ tục")
    assert "dừng tra cứu thủ tục" in chat.say("thôi")
    assert "Xin chào" in chat.say("xin chào")


BAD_INPUTS = {
    "empty": "",
    "spaces": "    ",
    "emoji": "😀🙏👍",
    "long": "Cho tôi hỏi đăng ký khai sinh cần giấy tờ gì. "
    + "Gia đình tôi ở xa, đi lại khó khăn và chưa rõ phải chuẩn bị những gì cho cháu. " * 40,
    "mixed": "How do I register khai sinh for my baby?",
    "html": '<script>alert("x")</script><b>đăng ký kết hôn</b> cần giấy tờ gì',
    "unknown intent": "/khong_co_intent_nay",
    "unknown entry": '/ask_procedure{"entry_id": "khong-ton-tai"}',
    "unknown detail": '/ask_procedure_detail{"detail": "khong-ton-tai"}',
}


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_gets_a_sensible_reply_and_the_conversation_goes_on(stack: Stack, kind: str) -> None:
    chat = Conversation(stack)
    text = BAD_INPUTS[kind]
    reply = chat.say(text)
    assert reply.strip(), "always a reply"
    assert "<script" not in reply and "<b>" not in reply
    if kind in ("empty", "spaces", "emoji"):
        assert reply == NO_WORDS
    if kind in ("long", "mixed"):
        assert "Đăng ký khai sinh" in reply
    if kind == "long":
        assert reply.startswith(LONG_NOTE), "searched by its opening, and told so"
    if kind == "html":
        assert reply.startswith("Đăng ký kết hôn › Thành phần hồ sơ")
    if kind in ("unknown intent", "unknown entry"):
        assert reply == UNKNOWN_CHOICE
    assert chat.say("thủ tục đăng ký kết hôn").startswith("Đăng ký kết hôn")


def test_broken_utf8_is_read_and_malformed_json_gets_a_clear_error(stack: Stack) -> None:
    body = '{"sender": "utf8-test", "message": "đăng ký kết hôn cần giấy tờ gì \udcff"}'.encode(
        "utf-8", errors="surrogateescape"
    )
    response = requests.post(stack.rest_url, data=body, headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == 200
    assert "Đăng ký kết hôn" in json.dumps(response.json(), ensure_ascii=False)
    response = requests.post(stack.rest_url, data=b'{"sender": "x"', timeout=60)
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.text
