"""Search first: the intent classifier names small talk, feedback or a request for
a person, but a real question must still reach the knowledge base.

"làm online đc ko" is not thanks, "xin visa đi Mỹ ở đâu" is not "stop", "hồ sơ
online bị thiếu hoặc sai?" is not feedback, and "bộ phận một cửa là gì" is not a
request for a person. A message the classifier is sure is a greeting, or that
asks for a person in so many words, keeps its intent; anything else is searched,
and a confident answer wins.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dialogue.contract import Intent, is_payload
from dialogue.messages import Reply, ReplyStatus, Turn
from dialogue.replier import Replier, clean_text
from knowledge.details import detect_detail
from knowledge.text import fold_accents

# Above this intent confidence a greeting, thanks or "are you a bot?" is taken as said.
SURE_SMALL_TALK = 0.9
ALWAYS_SMALL_TALK = frozenset({Intent.greet, Intent.thanks, Intent.bot_challenge, Intent.goodbye, Intent.stop})
# Intents whose own reply helps nobody with a real question ("Vâng…", chit-chat):
# such a question the knowledge base cannot answer gets the honest "not found".
UNHELPFUL_FOR_QUESTIONS = frozenset({Intent.stop, Intent.chitchat})
# A message the classifier calls out of scope ("giá vàng hôm nay", folded like "tạm
# vắng") is answered from the knowledge base only when it names a procedure or the
# answer is this sure: two signals disagree, so the bar is higher than
# ANSWER_MIN_CONFIDENCE.
OUT_OF_SCOPE_OVERRIDE = 0.8
# Feedback or chit-chat the classifier is sure of (SURE_SMALL_TALK) and that does
# not read as a question is answered from the knowledge base only when it names a
# procedure: with the whole national catalogue some title shares words with almost
# anything ("trả lời sai rồi" and "Sửa lỗi sai sót trong giao dịch", at 0.86).
SURE_NOT_A_QUESTION = frozenset({Intent.give_feedback, Intent.chitchat})
# "gặp cán bộ", "cho tôi nói chuyện với người thật", "tổng đài viên": asking for a
# person, as opposed to a question that merely mentions "cán bộ".
ASKS_FOR_A_PERSON = re.compile(
    r"\b(gap|noi chuyen( voi)?|ket noi( voi)?|chuyen( cho)?|lien he( voi)?|can)\s+"
    r"(can bo|nguoi that|nguoi|nhan vien|tong dai vien|tu van vien|chuyen vien)\b"
    r"|\btong dai vien\b|\bnguoi that\b"
)
# A message put as a question ("…không?", "…gì", "làm sao", "được ko"): classified
# as feedback, it still wants an answer, or an honest "not found" — never "thanks
# for your feedback".
ASKS_A_QUESTION = re.compile(
    r"\?|\b(gi|dau|nao|sao|bao nhieu|bao lau|may|the nao|ra sao|lam sao|co phai|duoc khong|dc khong"
    r"|duoc ko|dc ko|duoc k|dc k|khong a|ko a|khai niem|la gi|cho biet|hoi)\b|\b(khong|ko|k|chua)\s*$"
)
# Content words (beyond the generic ones) that make a message a question worth
# searching ("thôi", "ok" are not), and one worth an honest "not found".
MIN_SEARCHED_WORDS = 2
REAL_QUESTION_WORDS = 2


def knowledge_first(replier: Replier, turn: Turn, confidence: float) -> Reply | None:
    """The knowledge base's reply to a message classified as small talk, feedback
    or a request for a person, when it should win; None to keep the intent's reply."""
    cleaned = clean_text(turn.text)
    if not cleaned or is_payload(cleaned):
        return None  # buttons say exactly what they mean
    intent = Intent(turn.intent) if turn.intent in Intent.__members__ else None
    if intent in ALWAYS_SMALL_TALK and confidence >= SURE_SMALL_TALK:
        return None
    folded = fold_accents(cleaned)
    if intent == Intent.request_human and ASKS_FOR_A_PERSON.search(folded):
        return None
    if turn.focus_entry and detect_detail(cleaned) is not None:
        # "làm online đc ko" right after an answer: a follow-up on what is in focus
        follow_up = replier.answer(replace(turn, intent=Intent.ask_procedure_detail.value))
        if follow_up.status == ReplyStatus.answered:
            return follow_up
    content = replier.content_words(cleaned)
    if len(content) < MIN_SEARCHED_WORDS:
        return None
    reply = replier.answer(replace(turn, intent=None))  # no intent: a plain question, never the form
    if reply.status == ReplyStatus.answered:
        named = replier.catalog.find_in(cleaned) is not None  # a procedure's name is evidence enough
        if intent == Intent.out_of_scope and not named and reply.confidence < OUT_OF_SCOPE_OVERRIDE:
            return None
        sure = intent in SURE_NOT_A_QUESTION and confidence >= SURE_SMALL_TALK
        if sure and not named and not ASKS_A_QUESTION.search(folded):
            return None
        return reply
    if reply.status != ReplyStatus.declined or len(content) <= REAL_QUESTION_WORDS:
        return None
    if intent in UNHELPFUL_FOR_QUESTIONS or (intent == Intent.give_feedback and ASKS_A_QUESTION.search(folded)):
        return reply
    return None
