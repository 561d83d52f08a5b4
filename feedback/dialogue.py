"""What the assistant says when people rate answers or comment on them.

Plain functions over the store; actions/feedback.py only reads the tracker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from feedback.store import REASONS, FeedbackStore, Outcome
from knowledge.replies import Button, Message, payload

RATE_UP = "👍 Hữu ích"
RATE_DOWN = "👎 Chưa tốt"
THANKS_RATING = "Cảm ơn bạn đã đánh giá! Bạn cứ hỏi tiếp nếu cần."
ALREADY_RATED = "Tôi đã ghi nhận đánh giá này rồi, cảm ơn bạn."
ASK_REASON = "Cảm ơn bạn. Câu trả lời chưa tốt ở điểm nào? (không bắt buộc, bạn có thể bỏ qua và hỏi tiếp)"
THANKS_REASON = "Cảm ơn bạn đã cho biết. Nếu muốn, bạn gõ thêm góp ý; hoặc cứ hỏi tiếp câu khác."
THANKS_COMMENT = "Cảm ơn góp ý của bạn, tôi đã ghi lại để cán bộ xem xét và sửa nội dung."
THANKS_GENERAL = 'Cảm ơn bạn đã góp ý! Nếu câu trả lời chưa đúng ý, bạn có thể hỏi lại cụ thể hơn hoặc gõ "gặp cán bộ".'
UNKNOWN_ANSWER = (
    "Tôi không tìm thấy câu trả lời bạn muốn đánh giá (nút đánh giá có thể đã cũ). "
    "Bạn hãy đánh giá ở câu trả lời gần nhất."
)
INVALID_VALUE = "Giá trị đánh giá không hợp lệ. Bạn hãy bấm 👍 hoặc 👎 dưới câu trả lời, hoặc chọn từ 1 đến 5 sao."
THANKS_CSAT = "Cảm ơn bạn đã đánh giá cuộc trò chuyện! Chúc bạn làm thủ tục thuận lợi."
GOODBYE = "Chào bạn, chúc bạn một ngày tốt lành! Khi cần tra cứu thủ tục, bạn cứ quay lại hỏi tôi nhé."
ASK_CSAT = "Nếu có thể, bạn chấm điểm cuộc trò chuyện này (1 sao: rất không hài lòng, 5 sao: rất hài lòng):"


@dataclass
class FeedbackReply:
    messages: list[Message]
    slots: dict[str, Any] = field(default_factory=dict)


def rating_buttons(answer_id: str) -> list[Button]:
    return [
        Button(RATE_UP, payload("give_feedback", answer_id=answer_id, rating="up")),
        Button(RATE_DOWN, payload("give_feedback", answer_id=answer_id, rating="down")),
    ]


def reason_buttons(answer_id: str) -> list[Button]:
    return [
        Button(label, payload("give_feedback", answer_id=answer_id, reason=code)) for code, label in REASONS.items()
    ]


def csat_buttons() -> list[Button]:
    return [Button("⭐" * n, payload("give_feedback", stars=str(n))) for n in range(1, 6)]


@dataclass(frozen=True)
class FeedbackTurn:
    sender_id: str
    channel: str
    session_id: str
    text: str
    entities: dict[str, str]
    comment_for: str | None  # the answer a free comment is about (after a bad rating)
    last_answer: str | None


def handle_feedback(store: FeedbackStore, turn: FeedbackTurn) -> FeedbackReply:
    entities = turn.entities
    if "stars" in entities:
        stars = int(entities["stars"]) if str(entities["stars"]).isdigit() else 0
        outcome = store.rate_conversation(turn.sender_id, turn.session_id, turn.channel, stars)
        return FeedbackReply([Message(INVALID_VALUE if outcome == Outcome.invalid else THANKS_CSAT)])
    answer_id = entities.get("answer_id")
    if answer_id and "rating" in entities:
        if entities["rating"] not in ("up", "down"):
            return FeedbackReply([Message(INVALID_VALUE)])
        satisfied = entities["rating"] == "up"
        outcome = store.rate(answer_id, satisfied)
        if outcome == Outcome.unknown_answer:
            return FeedbackReply([Message(UNKNOWN_ANSWER)])
        if outcome == Outcome.unchanged:
            return FeedbackReply([Message(ALREADY_RATED)])
        if satisfied:
            return FeedbackReply([Message(THANKS_RATING)], {"comment_for": None})
        return FeedbackReply([Message(ASK_REASON, reason_buttons(answer_id))], {"comment_for": answer_id})
    if answer_id and "reason" in entities:
        outcome = store.explain(answer_id, reason=entities["reason"])
        if outcome == Outcome.invalid:
            return FeedbackReply([Message(INVALID_VALUE)])
        if outcome == Outcome.unknown_answer:
            return FeedbackReply([Message(UNKNOWN_ANSWER)])
        return FeedbackReply([Message(THANKS_REASON)], {"comment_for": answer_id})
    if answer_id:
        return FeedbackReply([Message(INVALID_VALUE)])
    about = turn.comment_for or turn.last_answer
    text = turn.text.strip()
    if about and text and not text.startswith("/"):
        if store.explain(about, comment=text) != Outcome.unknown_answer:
            return FeedbackReply([Message(THANKS_COMMENT)], {"comment_for": None})
    return FeedbackReply([Message(THANKS_GENERAL)], {"comment_for": None})


def goodbye(answers_given: int, csat_asked: bool) -> FeedbackReply:
    """Goodbye, with the optional CSAT question once, only after real answers."""
    if answers_given and not csat_asked:
        return FeedbackReply([Message(GOODBYE), Message(ASK_CSAT, csat_buttons())], {"csat_asked": True})
    return FeedbackReply([Message(GOODBYE)])
