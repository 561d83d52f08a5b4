"""Search first: a real question classified as small talk, feedback or a request
for a person still gets the knowledge base's answer (against the real index)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Contact
from dialogue.messages import ReplyStatus, Turn
from dialogue.replier import Replier
from dialogue.routing import knowledge_first
from knowledge.embedder import Embedder
from knowledge.search import open_published
from knowledge.settings import DEFAULT_MIN_CONFIDENCE

pytestmark = pytest.mark.index


@pytest.fixture(scope="module")
def replier(index_dir: Path, embedder: Embedder) -> Replier:
    return Replier(
        open_published(index_dir, embedder),
        DEFAULT_MIN_CONFIDENCE,
        Contact("Bộ phận Một cửa", "0240000000", "giờ hành chính"),
    )


@pytest.mark.parametrize(
    ("intent", "confidence", "question", "entry_id"),
    [
        ("request_human", 0.8, "bộ phận một cửa là gì", "co-che-mot-cua"),
        ("greet", 0.5, "thời gian cấp biển số lần đầu?", "dang-ky-xe-lan-dau"),
        ("give_feedback", 0.7, "đăng ký kết hôn cần giấy tờ gì", "dang-ky-ket-hon"),
    ],
)
def test_a_question_the_knowledge_base_answers_is_answered_whatever_the_intent(
    replier: Replier, intent: str, confidence: float, question: str, entry_id: str
) -> None:
    reply = knowledge_first(replier, Turn(question, intent=intent), confidence)
    assert reply is not None and reply.status == ReplyStatus.answered and reply.entry_ids == [entry_id]


def test_out_of_scope_keeps_its_reply_unless_the_knowledge_base_is_sure(replier: Replier) -> None:
    # "vàng" (gold) folds like "vắng" (temporary absence): a weak match must not win
    assert knowledge_first(replier, Turn("giá vàng nhẫn tròn trơn hôm nay", intent="out_of_scope"), 0.9) is None
    sure = knowledge_first(replier, Turn("đăng ký kết hôn cần giấy tờ gì", intent="out_of_scope"), 0.6)
    assert sure is not None and sure.entry_ids == ["dang-ky-ket-hon"]


def test_a_follow_up_taken_for_thanks_answers_about_the_procedure_in_focus(replier: Replier) -> None:
    turn = Turn("làm online đc ko", intent="thanks", focus_entry="cap-the-can-cuoc")
    reply = knowledge_first(replier, turn, 0.6)
    assert reply is not None and reply.entry_ids == ["cap-the-can-cuoc"]
    assert "Nơi nộp và cách nộp" in reply.messages[0].text


@pytest.mark.parametrize(
    ("intent", "question"),
    [
        ("stop", "xin visa đi Mỹ ở đâu"),
        ("give_feedback", "Đề nghị cho biết thủ tục cấp chứng chỉ hành nghề dược"),
        ("give_feedback", "xin giấy phép nuôi chim yến ở đâu vậy?"),
    ],
)
def test_a_real_question_outside_the_knowledge_base_gets_the_honest_not_found(
    replier: Replier, intent: str, question: str
) -> None:
    reply = knowledge_first(replier, Turn(question, intent=intent), 0.7)
    assert reply is not None and reply.status == ReplyStatus.declined


@pytest.mark.parametrize(
    ("intent", "confidence", "message"),
    [
        ("greet", 0.99, "xin chào"),
        ("thanks", 0.95, "cảm ơn bạn nhiều"),
        ("stop", 0.95, "thôi"),
        ("stop", 0.6, "thôi không cần nữa"),
        ("request_human", 0.9, "cho tôi gặp cán bộ"),
        ("request_human", 0.9, "tôi muốn nói chuyện với người thật"),
        ("give_feedback", 0.9, "trả lời sai rồi"),
        ("give_feedback", 0.8, "trợ lý trả lời chậm quá, cần cải thiện giao diện"),
        ("give_feedback", 0.9, '/give_feedback{"answer_id": "abc", "rating": "up"}'),
    ],
)
def test_what_the_intent_says_plainly_keeps_the_intent(
    replier: Replier, intent: str, confidence: float, message: str
) -> None:
    assert knowledge_first(replier, Turn(message, intent=intent), confidence) is None
