"""What the assistant says in one turn, decided from the turn and the index.

Plain Python, no Rasa: the actions translate a tracker into a ``Turn`` and a
``Reply`` back into messages and slot events, so every conversational rule
here is testable on its own.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.answering import format_citation, shorten
from knowledge.catalog import Catalog
from knowledge.details import OTHER_OFFER, PROCEDURE_OFFER, DetailKind, detail_kind, detect_detail
from knowledge.search import SearchIndex, SearchResult
from knowledge.text import fold_accents

MAX_QUESTION_CHARS = 500  # longer messages are searched by their opening
SEARCH_DEPTH = 5
# Ask which entry is meant when the runner-up's fused search score is at least
# this share of the best one's (a near tie); chosen by bench/clarification.py.
CLARIFY_SCORE_RATIO = 0.995
CLARIFY_OPTIONS = 3
SUGGESTION_MIN_CONFIDENCE = 0.3
# Offered when the user has not named a procedure yet.
COMMON_PROCEDURES = ("dang-ky-khai-sinh", "cap-the-can-cuoc", "dang-ky-tam-tru", "dang-ky-ket-hon")
TWO_LEVEL_NOTE = (
    "Lưu ý: từ ngày 01/7/2025 chính quyền địa phương chỉ còn hai cấp (cấp tỉnh và cấp xã), không còn cấp huyện; "
    "việc trước đây làm ở huyện nay do cấp xã hoặc cấp tỉnh giải quyết "
    "(Luật Tổ chức chính quyền địa phương số 72/2025/QH15)."
)
_DISTRICT = re.compile(r"\b(cap huyen|o huyen|len huyen|ubnd huyen|uy ban nhan dan huyen)\b")
_TAG = re.compile(r"<[^>]{0,200}>")
_SPACES = re.compile(r"\s+")
_WORD_CHAR = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass
class Message:
    text: str
    buttons: list[Button] = field(default_factory=list)


@dataclass
class Reply:
    messages: list[Message]
    slots: dict[str, Any] = field(default_factory=dict)
    entry_ids: list[str] = field(default_factory=list)  # what the answer came from
    unanswered: bool = False  # log the question for the admins
    confidence: float = 0.0  # of the best search result, when a search ran
    start_form: bool = False  # ask which procedure is meant


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str | None = None
    entities: dict[str, str] = field(default_factory=dict)  # procedure, detail, level, entry_id
    focus_entry: str | None = None
    focus_passage: str | None = None
    last_detail: str | None = None
    pending_question: str | None = None
    detail_mode: bool = False  # the user asked for legal basis or full text before


@dataclass(frozen=True)
class Contact:
    """Where a person can get help from people; configurable per office."""

    office: str
    phone: str
    hours: str

    def sentence(self) -> str:
        return f"{self.office}, điện thoại {self.phone}, {self.hours}"


def clean_text(text: str) -> str:
    """User text as words: markup dropped, entities decoded, spaces folded."""
    return _SPACES.sub(" ", _TAG.sub(" ", html.unescape(text or ""))).strip()


def is_payload(text: str) -> bool:
    return text.startswith("/")


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


class Replier:
    """Decides replies against one published index."""

    def __init__(self, index: SearchIndex, min_confidence: float, contact: Contact) -> None:
        self.index = index
        self.catalog: Catalog = index.catalog
        self.min_confidence = min_confidence
        self.contact = contact

    # -- entry points -------------------------------------------------------

    def answer(self, turn: Turn) -> Reply:
        """A question, a follow-up, or a button the user pressed."""
        text = clean_text(turn.text)
        payload_only = is_payload(text)
        if payload_only:
            text = ""
        if "entry_id" in turn.entities:
            return self._chosen_entry(turn)
        if payload_only and not turn.entities:
            return self._unknown_choice()
        if not payload_only and not _WORD_CHAR.search(text):
            return Reply([Message(NO_WORDS)])
        note = LONG_QUESTION_NOTE if len(text) > MAX_QUESTION_CHARS else ""
        text = text[:MAX_QUESTION_CHARS]

        detail = detail_kind(turn.entities.get("detail")) or (detect_detail(text) if text else None)
        named = self.catalog.resolve(turn.entities.get("procedure")) or (self.catalog.find_in(text) if text else None)
        follow_up = turn.intent == "ask_procedure_detail"
        if named is None and follow_up and turn.entities.get("procedure"):
            # a name NLU found but the catalog does not know: trust search only when it is sure
            named = self._procedure_by_search(turn.entities["procedure"])

        about_focus = follow_up or payload_only
        if about_focus and detail is not None and detail.code in ("full", "legal_basis") and named is None:
            if turn.focus_entry:
                return self._more_of_focus(turn, detail)
        if payload_only and named is not None:  # a procedure button ("Đăng ký khai sinh")
            return self.procedure_detail(named, detail, turn)
        if follow_up:
            procedure = named or (turn.focus_entry if self.catalog.is_procedure(turn.focus_entry) else None)
            if detail is None and named is not None:
                detail = detail_kind(turn.last_detail)  # "còn kết hôn thì sao?" keeps the question
            if procedure is None:
                return Reply([], slots={"last_detail": detail.code if detail else None}, start_form=True)
            return self._with_note(self.procedure_detail(procedure, detail, turn), turn, note)
        if named is not None and detail is not None:
            return self._with_note(self.procedure_detail(named, detail, turn), turn, note)
        reply = self._search(text, turn)
        if reply.unanswered and named is not None:  # the search is unsure, but a procedure was named
            reply = self.procedure_detail(named, None, turn)
        return self._with_note(reply, turn, note)

    def procedure_detail(self, entry_id: str, detail: DetailKind | None, turn: Turn, full: bool = False) -> Reply:
        """One section of a procedure (its summary when no detail was asked),
        short unless ``full``, the user is in detail mode, or it is the legal basis."""
        entry = self.catalog.entries[entry_id]
        section = detail.section if detail and detail.section else "Tóm tắt"
        rows = entry.sections.get(section)
        if not rows:
            first = self.index.passages[entry.rows[0]]
            text = f"Dữ liệu về thủ tục {entry.title} chưa có mục {section.lower()}."
            return Reply(
                [_answer(f"{text}\n\n{_citation(first)}", self._offer(entry_id, None, shortened=False))],
                slots=self._focus(entry_id, first["passage_id"], detail),
                entry_ids=[entry_id],
            )
        passages = [self.index.passages[row] for row in rows]
        body = "\n".join(p["text"] for p in passages)
        full = full or turn.detail_mode or (detail is not None and detail.code == "legal_basis")
        short = body if full else shorten(body)
        text = f"{entry.title} › {section}\n\n{short}\n\n{_citation(passages[0])}"
        return Reply(
            [_answer(text, self._offer(entry_id, detail, shortened=short != body))],
            slots=self._focus(entry_id, passages[0]["passage_id"], detail),
            entry_ids=[entry_id],
        )

    # -- the paths of ``answer`` -------------------------------------------

    def _search(self, text: str, turn: Turn) -> Reply:
        results = self.index.search(text, k=SEARCH_DEPTH)
        if not results or results[0].confidence < self.min_confidence:
            reply = self.not_found()
            reply.confidence = results[0].confidence if results else 0.0
            return reply
        close = close_runners_up(results, CLARIFY_SCORE_RATIO, self.min_confidence)
        if close:
            options = [results[0], *close]
            buttons = [Button(r.title, self._choice_payload(r.entry_id)) for r in options]
            return Reply(
                [
                    Message(
                        "Câu hỏi của bạn có thể thuộc về một trong các nội dung sau. Bạn muốn hỏi về nội dung nào?",
                        buttons,
                    )
                ],
                slots={"pending_question": text},
            )
        return self._result_reply(results[0], turn)

    def _chosen_entry(self, turn: Turn) -> Reply:
        entry_id = turn.entities["entry_id"]
        if self.catalog.get(entry_id) is None:
            return self._unknown_choice()
        result = self.index.best_in_entry(turn.pending_question or "", entry_id)
        if result is None:
            return self._unknown_choice()
        reply = self._result_reply(result, turn)
        reply.slots["pending_question"] = None
        return reply

    def _result_reply(self, result: SearchResult, turn: Turn) -> Reply:
        heading = " › ".join(result.heading_path)
        body = result.text if turn.detail_mode else shorten(result.text)
        text = f"{heading}\n\n{body}\n\n{format_citation(result.citation, result.url)}"
        is_procedure = result.entry_type == "procedure"
        shown = None
        if is_procedure and len(result.heading_path) > 1:
            shown = next((k for k in _kinds(PROCEDURE_OFFER) if k.section == result.heading_path[1]), None)
        return Reply(
            [_answer(text, self._offer(result.entry_id, shown, shortened=body != result.text))],
            slots=self._focus(result.entry_id, result.passage_id, shown),
            entry_ids=[result.entry_id],
        )

    def _more_of_focus(self, turn: Turn, detail: DetailKind) -> Reply:
        """ "xem chi tiết" / "căn cứ pháp lý" about what was just answered."""
        entry_id = turn.focus_entry or ""
        if self.catalog.get(entry_id) is None:
            return self.not_found()
        if detail.code == "legal_basis" and self.catalog.is_procedure(entry_id):
            reply = self.procedure_detail(entry_id, detail, turn)
        elif self.catalog.is_procedure(entry_id):  # the whole section last shown, sub-headings included
            reply = self.procedure_detail(entry_id, detail_kind(turn.last_detail), turn, full=True)
        else:
            reply = self._full_passage(entry_id, turn.focus_passage, detail)
        reply.slots["detail_mode"] = True
        return reply

    def _full_passage(self, entry_id: str, passage_id: str | None, detail: DetailKind) -> Reply:
        entry = self.catalog.entries[entry_id]
        passages = [self.index.passages[row] for row in entry.rows]
        focus = next((p for p in passages if p["passage_id"] == passage_id), passages[0])
        same_section = [p for p in passages if p["heading_path"] == focus["heading_path"]]
        body = "\n".join(p["text"] for p in same_section)
        text = f"{' › '.join(focus['heading_path'])}\n\n{body}\n\n{_citation(focus)}"
        if detail.code == "legal_basis":
            text = f"{_citation(focus)}\n\n{' › '.join(focus['heading_path'])}\n\n{body}"
        return Reply(
            [_answer(text, self._offer(entry_id, detail, shortened=False))],
            slots=self._focus(entry_id, focus["passage_id"], None),
            entry_ids=[entry_id],
        )

    def procedure_named(self, name: str) -> str | None:
        """The procedure a user's words name: exactly, within the text, or by search."""
        text = clean_text(name)
        if not _WORD_CHAR.search(text):
            return None
        return self.catalog.resolve(text) or self.catalog.find_in(text) or self._procedure_by_search(text)

    def procedure_suggestions(self, text: str, limit: int = 3) -> list[Button]:
        """Procedures close to what the user typed, as buttons; the most asked
        ones when nothing is close (a list of unrelated guesses helps nobody)."""
        results = self.index.search(clean_text(text), k=10) if _WORD_CHAR.search(text) else []
        ids = [r.entry_id for r in results if r.entry_type == "procedure" and r.confidence >= SUGGESTION_MIN_CONFIDENCE]
        ids = ids[:limit] or [i for i in COMMON_PROCEDURES if self.catalog.is_procedure(i)]
        return [Button(self.catalog.entries[i].title, payload("ask_procedure", procedure=i)) for i in ids]

    def _procedure_by_search(self, name: str) -> str | None:
        """The procedure a name means when it is not a known name: the best
        procedure result, if every word of the name is in it and it is confident."""
        if len(self.catalog.key(name)) < 2:
            return None
        for result in self.index.search(name, k=3):
            if result.entry_type == "procedure":
                sure = result.confidence >= self.min_confidence and result.lexical_coverage == 1.0
                return result.entry_id if sure else None
        return None

    # -- fixed replies -------------------------------------------------------

    def not_found(self) -> Reply:
        text = (
            "Xin lỗi, tôi chưa tìm thấy thông tin đủ tin cậy để trả lời câu hỏi này, nên không muốn trả lời đoán.\n"
            'Bạn có thể hỏi lại: nêu rõ tên thủ tục (ví dụ "đăng ký khai sinh"), hỏi từng ý ngắn gọn.\n'
            f"Để được hướng dẫn trực tiếp: {self.contact.sentence()}."
        )
        return Reply([Message(text, [Button("Gặp cán bộ hỗ trợ", "/request_human")])], unanswered=True)

    def _unknown_choice(self) -> Reply:
        return Reply([Message(UNKNOWN_CHOICE)])

    def _with_note(self, reply: Reply, turn: Turn, note: str) -> Reply:
        notes = [note] if note else []
        level = fold_accents(turn.entities.get("level") or "")
        if level in ("huyen", "cap huyen") or _DISTRICT.search(fold_accents(turn.text)):
            notes.append(TWO_LEVEL_NOTE)
        if notes and reply.messages:
            reply.messages[0].text = "\n".join(notes) + "\n\n" + reply.messages[0].text
        return reply

    def _offer(self, entry_id: str, shown: DetailKind | None, shortened: bool) -> list[Button]:
        codes = PROCEDURE_OFFER if self.catalog.is_procedure(entry_id) else OTHER_OFFER
        if shortened and "full" not in codes:
            codes = ("full", *codes)
        if not shortened:
            codes = tuple(c for c in codes if c != "full")
        return [Button(k.label, payload("ask_procedure_detail", detail=k.code)) for k in _kinds(codes) if k != shown]

    def _choice_payload(self, entry_id: str) -> str:
        intent = "ask_procedure" if self.catalog.is_procedure(entry_id) else "ask_programme"
        return payload(intent, entry_id=entry_id)

    @staticmethod
    def _focus(entry_id: str, passage_id: str, detail: DetailKind | None) -> dict[str, Any]:
        return {
            "focus_entry": entry_id,
            "focus_passage": passage_id,
            "last_detail": detail.code if detail else None,
        }


def close_runners_up(results: list[SearchResult], ratio: float, threshold: float) -> list[SearchResult]:
    """Results after the best that nearly tie with it and could also answer."""
    best = results[0]
    return [r for r in results[1:CLARIFY_OPTIONS] if r.score >= ratio * best.score and r.confidence >= threshold]


def _answer(text: str, offer: list[Button]) -> Message:
    """An answer ends with the offer of more detail, as buttons."""
    return Message(f"{text}\n\n{OFFER}" if offer else text, offer)


def _kinds(codes: tuple[str, ...]) -> list[DetailKind]:
    return [kind for code in codes if (kind := detail_kind(code)) is not None]


def _citation(passage: dict) -> str:
    return format_citation(passage["citation"], passage.get("url"))


OFFER = "Bạn muốn xem thêm phần nào? Chọn bên dưới hoặc hỏi tiếp."
NO_WORDS = (
    "Tôi chỉ đọc được câu hỏi bằng chữ. Bạn hãy gõ điều muốn hỏi, "
    'ví dụ: "Đăng ký khai sinh cần giấy tờ gì?" hoặc "Chính phủ số là gì?"'
)
LONG_QUESTION_NOTE = (
    f"Tin nhắn của bạn khá dài, tôi tra cứu theo {MAX_QUESTION_CHARS} ký tự đầu. "
    "Nếu chưa đúng ý, bạn hãy hỏi ngắn gọn từng ý."
)
UNKNOWN_CHOICE = (
    "Lựa chọn này không còn hợp lệ (có thể nút bấm đã cũ). "
    'Bạn hãy gõ lại câu hỏi, ví dụ: "Lệ phí làm hộ chiếu bao nhiêu?"'
)
