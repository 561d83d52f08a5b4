"""What the assistant says in one turn, decided from the turn and the index.

Plain Python, no Rasa: the actions translate a tracker into a ``Turn`` and a
``Reply`` back into messages and slot events. ``Replier.answer`` runs named
steps in order; each may stop with a reply, whose status says what kind of
reply it is (answered, clarification, declined …), and the notes step
finishes whatever reply was chosen.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from core.settings import Contact
from dialogue.compose import (
    answer_message,
    common_first,
    contact_sentence,
    kinds,
    passage_citation,
    section_button,
    shorten,
    where_done,
)
from dialogue.contract import ButtonKind, Entity, Intent, Slot, build_payload, is_payload
from dialogue.legal_status import answer_status, note_for_answer
from dialogue.messages import Button, Message, Reply, ReplyStatus, Turn
from dialogue.texts import text
from knowledge.catalog import Catalog
from knowledge.details import (
    BY_CODE,
    OTHER_OFFER,
    PROCEDURE_OFFER,
    DetailKind,
    detail_kind,
    detect_detail,
    without_details,
)
from knowledge.ingest.render import UNKNOWN
from knowledge.legal.registry import Registry, load_registry
from knowledge.local_government import mentions_abolished_units
from knowledge.scope import ScopeRule, outside_scope, scope_rules, unasked_qualifier
from knowledge.search import SearchIndex, SearchResult
from knowledge.text import fold_accents

MAX_QUESTION_CHARS = 500  # longer messages are searched by their opening
SEARCH_DEPTH = 5
# Ask which entry is meant when the runner-up's fused search score is at least
# this share of the best one's (a near tie); chosen by bench/clarification.py
# (with the vote-aware confidence its lowest search-level cost is 0.990, 0.995 a
# hair behind; through the dialogue, bench/dialogue_tuning.py, 0.990 turned two
# right answers into clarifications and spared no wrong one: 0.995 stays).
CLARIFY_SCORE_RATIO = 0.995
CLARIFY_OPTIONS = 3
OTHER_CASES = 3  # buttons to other variants of the procedure answered
SCOPE_FAMILY_RESULTS = 3  # results whose variants may hold the qualifier a question names
BUTTON_LABEL_CHARS = 60
SUGGESTION_MIN_CONFIDENCE = 0.3
# Entries offered with an honest "not found": near the answer bar, not any result.
# Chosen on the tuning data (bench/dialogue_tuning.py --nearest): with this
# calibration an unrelated question's top result sits near 0.46 ("thời tiết hà nội"
# → a civil-service FAQ); 0.5 offers choices to 8 of 37 declined questions outside
# the KB instead of 12, and the right entry first to 20 declined answerable ones
# instead of 21, the catalogue's tuning questions unchanged.
NEAREST_MIN_CONFIDENCE = 0.5
# Offered when the user has not named a procedure yet.
# A follow-up with nothing in focus and at most this many content words beyond
# the detail asked ("thế lệ phí bao nhiêu?", "thủ tục này nộp ở đâu") can only
# mean "which procedure?"; one with more ("làm thẻ bảo hiểm y tế ở đâu") is
# searched first. Generic words (accent-folded syllables) do not count.
BARE_FOLLOW_UP_WORDS = 2
# Words of a wish to look a procedure up, naming none ("tra cứu thủ tục hành chính").
LOOKUP_WORDS = frozenset("muon tra cuu huong dan tim hanh chinh mot giup biet".split())
GENERIC_WORDS = frozenset(
    "thu tuc nay do kia lam nop the thi sao a vay nhi nhe cho toi minh em anh chi hoi xin phai nao duoc "
    "khong ko co va can gi la o dau bao nhieu con roi".split()
)
# When a procedure must be done by ("luật cho mấy ngày", "quá hạn", "trong bao lâu
# phải…"), as opposed to how long it takes: matched on the accent-folded question
# and on entry names alike, so an FAQ named that way ("Sinh con bao lâu thì phải
# đăng ký khai sinh?") answers it for the procedure it names.
DEADLINE = re.compile(
    r"\b(qua han|tre han|han chot|han lam|(bao lau|may ngay|bao nhieu ngay|may thang) (thi )?phai"
    r"|phai (lam|di lam|dang ky|khai|di)( \w+){0,4} trong( vong)? (bao|may)"
    r"|luat (cho|bat|quy dinh)( \w+){0,5} (may|bao)|(duoc|roi) \d+ (ngay|thang|tuan))\b"
)
# The detail a deadline question may ask ("mấy ngày thì phải làm"); any other says what it wants.
TIME_DETAIL = "time"
# Words that open procedure names without telling them apart (accent-folded).
NAME_OPENINGS = frozenset({"dang", "ky", "cap", "xin", "thu", "tuc"})
# Words of every official paper: a pair of them ("giấy phép") does not make two
# procedures the same one.
PAPER_WORDS = (
    GENERIC_WORDS
    | NAME_OPENINGS
    | frozenset("giay phep chung nhan chi doi voi viec cua trong truong hop tai nuoc ngoai yeu to lai".split())
)
COMMON_PROCEDURES = ("dang-ky-khai-sinh", "cap-the-can-cuoc", "dang-ky-tam-tru", "dang-ky-ket-hon")
_DISTRICT = re.compile(r"\b(cap huyen|o huyen|len huyen|ubnd huyen|uy ban nhan dan huyen)\b")
_TAG = re.compile(r"<[^>]{0,200}>")
_SPACES = re.compile(r"\s+")
_WORD_CHAR = re.compile(r"\w", re.UNICODE)


def clean_text(raw: str) -> str:
    """User text as words: markup dropped, entities decoded, spaces folded."""
    return _SPACES.sub(" ", _TAG.sub(" ", html.unescape(raw or ""))).strip()


def has_words(raw: str) -> bool:
    return bool(_WORD_CHAR.search(raw))


@dataclass
class Draft:
    """What the steps learn about the turn as they go."""

    turn: Turn
    text: str = ""  # the question, cleaned and cut; "" for a button
    payload_only: bool = False
    notes: list[str] = field(default_factory=list)
    detail: DetailKind | None = None
    named: str | None = None  # a procedure the user named
    name_words: tuple[str, ...] = ()  # the words that named it
    results: list[SearchResult] = field(default_factory=list)
    chosen: SearchResult | None = None  # a result answered whatever its confidence

    @property
    def follow_up(self) -> bool:
        return self.turn.intent == Intent.ask_procedure_detail.value

    @property
    def looking_up(self) -> bool:
        """ "tôi muốn làm thủ tục", "tìm thủ tục …": searched first; the form asks
        which procedure only when the search finds none."""
        return self.turn.intent == Intent.request_procedure_lookup.value


Step = Callable[[Draft], Reply | None]


class Replier:
    """Decides replies against one published index (bound to that object)."""

    def __init__(self, index: SearchIndex, min_confidence: float, contact: Contact) -> None:
        self.index = index
        self.catalog: Catalog = index.catalog
        self.min_confidence = min_confidence
        self.contact = contact
        self.registry = legal_registry()
        self.steps: tuple[Step, ...] = (
            self.read_input,
            self.chosen_entry,
            self.legal_status,
            self.understand,
            self.more_of_focus,
            self.procedure_button,
            self.follow_up,
            self.bare_lookup,
            self.search,
            self.unasked_variant,
            self.same_procedure,
            self.scope,
            self.named_section,
            self.confidence,
            self.common_case,
            self.section_of_procedure,
            self.clarification,
            self.best_passage,
        )

    def answer(self, turn: Turn) -> Reply:
        """A question, a follow-up, or a button the user pressed."""
        draft = Draft(turn)
        for step in self.steps:
            reply = step(draft)
            if reply is not None:
                return self.add_notes(reply, draft)
        raise AssertionError("best_passage always replies")

    # -- the steps, in order -------------------------------------------------

    def read_input(self, draft: Draft) -> Reply | None:
        """Buttons, messages without words, and over-long questions."""
        cleaned = clean_text(draft.turn.text)
        draft.payload_only = is_payload(cleaned)
        if draft.payload_only:
            if not draft.turn.entities:
                return self.unknown_choice()
            return None
        if not has_words(cleaned):
            return Reply([Message(text("answer.no_words"))], ReplyStatus.no_words)
        if len(cleaned) > MAX_QUESTION_CHARS:
            draft.notes.append(text("answer.long_question", limit=MAX_QUESTION_CHARS))
        draft.text = cleaned[:MAX_QUESTION_CHARS]
        return None

    def chosen_entry(self, draft: Draft) -> Reply | None:
        """A clarification button: answer the pending question from that entry."""
        entry_id = draft.turn.entities.get(Entity.entry_id.value)
        if entry_id is None:
            return None
        result = None
        if self.catalog.get(entry_id) is not None:
            result = self.index.best_in_entry(draft.turn.pending_question or "", entry_id)
        if result is None:
            return self.unknown_choice()
        reply = self._result_reply(result, draft.turn)
        reply.slots[Slot.pending_question] = None
        return reply

    def legal_status(self, draft: Draft) -> Reply | None:
        """ "Nghị định 123/2015/NĐ-CP còn hiệu lực không?": from the legal registry,
        with the quote that states the status, or saying our sources do not say."""
        answer = answer_status(self.registry, draft.text) if draft.text else None
        if answer is None:
            return None
        return Reply([Message(answer)], ReplyStatus.answered, confidence=1.0)

    def understand(self, draft: Draft) -> None:
        """Which detail is asked, and which procedure is named (never replies)."""
        entities = draft.turn.entities
        draft.detail = detail_kind(entities.get(Entity.detail.value)) or (
            detect_detail(draft.text) if draft.text else None
        )
        name = entities.get(Entity.procedure.value)
        draft.named = self.catalog.resolve(name)
        found = self.catalog.find_name_in(draft.text) if draft.text else None
        if found is not None and draft.named in (None, found[0]):
            draft.named, draft.name_words = found
        if draft.named is None and draft.follow_up and name:
            # a name NLU found but the catalog does not know: trust search only when it is sure
            draft.named = self._procedure_by_search(name)

    def more_of_focus(self, draft: Draft) -> Reply | None:
        """ "xem chi tiết" / "căn cứ pháp lý" about what was just answered."""
        detail, focus = draft.detail, draft.turn.focus_entry
        about_focus = draft.follow_up or draft.payload_only
        if not (about_focus and detail and detail.code in ("full", "legal_basis") and draft.named is None and focus):
            return None
        if self.catalog.get(focus) is None:
            return self.not_found()
        if detail.code == "legal_basis" and self.catalog.is_procedure(focus):
            reply = self.procedure_detail(focus, detail, draft.turn)
        elif self.catalog.is_procedure(focus):  # the whole section last shown, sub-headings included
            reply = self.procedure_detail(focus, detail_kind(draft.turn.last_detail), draft.turn, full=True)
        else:
            reply = self._full_passage(focus, draft.turn.focus_passage, detail)
        reply.slots[Slot.detail_mode] = True
        return reply

    def procedure_button(self, draft: Draft) -> Reply | None:
        """A procedure button ("Đăng ký khai sinh")."""
        if draft.payload_only and draft.named is not None:
            return self.procedure_detail(draft.named, draft.detail, draft.turn)
        return None

    def follow_up(self, draft: Draft) -> Reply | None:
        """A question about the procedure in focus, or a named one; the form
        asks which procedure when there is neither."""
        if not draft.follow_up:
            return None
        focus = draft.turn.focus_entry
        procedure = draft.named or (focus if self.catalog.is_procedure(focus) else None)
        detail = draft.detail
        if detail is None and draft.named is not None:
            detail = detail_kind(draft.turn.last_detail)  # "còn kết hôn thì sao?" keeps the question
        if draft.named is not None and draft.text:
            draft.detail = detail  # a name in the question: the search checks it first (same_procedure)
            return None
        content = self.content_words(without_details(draft.text))
        if procedure is None:
            if len(content) > BARE_FOLLOW_UP_WORDS:
                return None  # it says what it is about: the search answers, or honestly declines
            return self.ask_which_procedure(detail)
        if draft.named is None and len(content) > BARE_FOLLOW_UP_WORDS and self._changes_subject(procedure, content):
            return None  # "thẻ bảo hiểm y tế bị rách thì đổi ở đâu" after "tạm vắng": the search answers
        if self._choose_deadline_entry(procedure, draft):
            return None  # "trong mấy ngày phải làm" after "khai tử": the deadline, not the processing time
        procedure = self.asked_variant(procedure, draft.text) or procedure
        return self.procedure_detail(procedure, detail, draft.turn)

    def bare_lookup(self, draft: Draft) -> Reply | None:
        """ "tôi muốn làm thủ tục", "tra cứu thủ tục hành chính": no procedure said,
        so the form asks which one (a lookup that says more is searched)."""
        if not draft.looking_up or draft.named is not None or not draft.text:
            return None
        content = self.content_words(draft.text, LOOKUP_WORDS)
        return self.ask_which_procedure(draft.detail) if len(content) <= BARE_FOLLOW_UP_WORDS else None

    def asked_variant(self, entry_id: str, question: str) -> str | None:
        """The variant of a procedure a question asks for by its qualifier ("nếu con
        sinh ở nước ngoài" after birth registration: "… có yếu tố nước ngoài"), by
        the scope rules or the variant's own words; None when it asks for none."""
        words = self.catalog.key(question)
        common = self.catalog.common_case(entry_id) or entry_id
        rules = [rule for rule in scope_rules() if rule.asked_in(words)]
        for member in self._family(entry_id):
            if member == common:
                continue
            names = self.catalog.names_of(member)
            if any(rule.said_by(names) for rule in rules) or self.catalog.names_qualifier(question, member, common):
                return member
        return None

    def _changes_subject(self, focus: str, words: list[str]) -> bool:
        """A follow-up that says what else it is about: none of its words is in a
        name of the entry in focus, and a confident search result names the
        subject (two of its words are in that result's title or aliases)."""
        if any(word in self._name_words(focus) for word in words):
            return False
        results = self.index.search(" ".join(words), k=1)
        if not results or results[0].entry_id == focus or results[0].confidence < self.min_confidence:
            return False
        return sum(word in self._name_words(results[0].entry_id) for word in set(words)) >= 2

    def _only_names(self, entry_id: str, draft: Draft) -> bool:
        """Whether the question says nothing beyond the entry's names."""
        return set(self.content_words(draft.text, NAME_OPENINGS)) <= self._name_words(entry_id)

    def content_words(self, text: str, also_generic: frozenset[str] = frozenset()) -> list[str]:
        """The accent-folded words of a text that say what it is about: the generic
        ones ("thủ tục", "cho tôi", "ở đâu") and `also_generic` left out."""
        return [word for word in self.catalog.key(text) if word not in GENERIC_WORDS and word not in also_generic]

    def _name_words(self, entry_id: str) -> set[str]:
        return {word for name in self.catalog.names_of(entry_id) for word in name}

    def same_procedure(self, draft: Draft) -> None:
        """The procedure a name in the question points at, checked against the
        search: an entry whose title contains that name and ranks first is the
        more precise answer ("gia hạn tạm trú" for "tạm trú … gia hạn"; the FAQ
        "thời hạn đăng ký khai sinh" for "khai sinh … luật cho mấy ngày"), and a
        confident result about something else wins over a name in passing."""
        named, results = draft.named, draft.results
        if named is not None and results and named not in {r.entry_id for r in results}:
            # a name the search does not find at all is a name said in passing, or
            # a generated alias matching by chance ("cấp lại sổ …" in a question
            # about a wrongly issued land certificate)
            draft.named = named = None
        top = results[0] if results else None
        confident = top is not None and top.confidence >= self.min_confidence
        top_procedure = top.entry_id if confident and self.catalog.is_procedure(top.entry_id) else None
        if self._choose_deadline_entry(named or top_procedure, draft):
            draft.named = None
            return
        if named is None or top is None or top.entry_id == named:
            return
        if not self._says_more_of(top.entry_id, draft):
            return  # nothing in the question points past the name it said
        if self.catalog.refines(top.entry_id, named, draft.name_words):
            if self.catalog.is_procedure(top.entry_id):
                draft.named = top.entry_id
            else:
                draft.named, draft.chosen = None, top
        elif top.confidence >= self.min_confidence:
            draft.named = None

    def _choose_deadline_entry(self, procedure: str | None, draft: Draft) -> bool:
        """A question about the deadline of ``procedure`` goes to the entry named
        for that deadline, when the knowledge base has one (chosen, with its best passage)."""
        if procedure is None or draft.chosen is not None or not DEADLINE.search(fold_accents(draft.text)):
            return False
        if draft.detail is not None and draft.detail.code != TIME_DETAIL:
            return False  # "sinh được 1 tuần thì làm khai sinh ở đâu" asks where, not the deadline
        for entry_id in self.catalog.entries:
            if entry_id == procedure or not any(
                DEADLINE.search(" ".join(name)) for name in self.catalog.names_of(entry_id)
            ):
                continue
            if self.catalog.refines(entry_id, procedure, draft.name_words):
                draft.chosen = self.index.best_in_entry(draft.text, entry_id)
                return draft.chosen is not None
        return False

    def _says_more_of(self, entry_id: str, draft: Draft) -> bool:
        """Whether the question says some word that the entry's name has beyond
        the procedure it refines ("gia hạn" for "gia hạn tạm trú"): "còn kết hôn
        thì sao?" is not about "đăng ký lại kết hôn"."""
        extra = {w for name in self.catalog.names_of(entry_id) for w in name}
        extra -= set(draft.name_words) | GENERIC_WORDS | NAME_OPENINGS
        return bool(extra & set(self.catalog.key(without_details(draft.text))))

    def scope(self, draft: Draft) -> Reply | None:
        """A question about a procedure the knowledge base does not hold, though it
        shares a name with one it does ("kết hôn với người nước ngoài", "nhập
        khẩu ô tô"): say so, with the nearest procedures it holds as buttons."""
        top = draft.results[0] if draft.results else None
        target = draft.named or (draft.chosen.entry_id if draft.chosen else None)
        if target is None and top is not None and top.confidence >= self.min_confidence:
            target = top.entry_id
        if target is None:
            return None
        question = self.catalog.key(draft.text)
        rule = outside_scope(question, self.catalog.names_of(target))
        if rule is None:
            return None
        for result in draft.results:
            names = self.catalog.names_of(result.entry_id)
            related = result.confidence >= self.min_confidence or (
                draft.named is not None and self.catalog.refines(result.entry_id, draft.named, draft.name_words)
            )
            if related and outside_scope(question, names) is None:
                draft.named = result.entry_id if self.catalog.is_procedure(result.entry_id) else None
                draft.chosen = None if draft.named else result
                return None
        for member in self._variants_near(target, draft):  # "… có yếu tố nước ngoài" of what was found
            names = self.catalog.names_of(member)
            if outside_scope(question, names) is None:
                draft.named, draft.chosen = member, None
                return None
        return self.procedure_not_held(rule, draft)

    def named_section(self, draft: Draft) -> Reply | None:
        """A named procedure and a detail: that section, no search needed."""
        if draft.named is not None and draft.detail is not None:
            return self.procedure_detail(draft.named, draft.detail, draft.turn)
        return None

    def search(self, draft: Draft) -> None:
        draft.results = self.index.search(draft.text, k=SEARCH_DEPTH)

    def unasked_variant(self, draft: Draft) -> None:
        """A variant the question did not ask for ("… có yếu tố nước ngoài" to
        "nhận con riêng của vợ làm con nuôi") gives way to the first confident
        result that is not one."""
        results = draft.results
        if not results or draft.chosen is not None:
            return
        question = self.catalog.key(draft.text)
        if unasked_qualifier(question, self.catalog.names_of(results[0].entry_id)) is None:
            return
        variant_pairs = self._name_pairs(results[0].entry_id)
        for result in results[1:]:
            if result.confidence < self.min_confidence:
                continue
            if unasked_qualifier(question, self.catalog.names_of(result.entry_id)) is not None:
                continue
            # the same procedure without the qualifier, not any confident result: "xây dựng"
            # shares a syllable with "sử dụng tài khoản … ở nước ngoài", no pair of words
            if variant_pairs & self._name_pairs(result.entry_id):
                draft.results = [result, *(r for r in results if r is not result)]
                return

    def _name_pairs(self, entry_id: str) -> set[tuple[str, str]]:
        """Adjacent word pairs of the entry's names, but those of every official paper ("giấy phép")."""
        return {
            pair for name in self.catalog.names_of(entry_id) for pair in pairwise(name) if not set(pair) <= PAPER_WORDS
        }

    def confidence(self, draft: Draft) -> Reply | None:
        """Below the threshold: a named procedure's summary, else decline honestly."""
        results = draft.results
        if draft.chosen is not None or (results and results[0].confidence >= self.min_confidence):
            return None
        if draft.named is not None:
            return self.procedure_detail(draft.named, None, draft.turn)
        if draft.looking_up:
            return self.ask_which_procedure(draft.detail)
        nearest = self._nearest(results)
        reply = self.not_found(nearest)
        if nearest:  # a choice answers this question from the entry chosen
            reply.slots[Slot.pending_question] = draft.text
        reply.confidence = results[0].confidence if results else 0.0
        return reply

    def common_case(self, draft: Draft) -> None:
        """Of a family of variants found together, the one asked for: the common
        case ("đăng ký khai sinh") unless the question names a variant's qualifier
        ("… lưu động", "con sinh ở nước ngoài"); the others are offered as buttons."""
        if draft.chosen is not None or not draft.results:
            return None
        best = draft.results[0]
        found = {r.entry_id: r for r in draft.results}
        if draft.named is not None and draft.named != best.entry_id and draft.named in self._family(best.entry_id):
            # the variant the question names or asks for (its scope rule), found or not
            draft.chosen = found.get(draft.named) or self.index.best_in_entry(draft.text, draft.named)
            return None
        common = self.catalog.common_case(best.entry_id)
        if common in found and not self.catalog.names_qualifier(draft.text, best.entry_id, common):
            draft.chosen = found[common]
        elif common is None:
            asked = [
                r
                for r in draft.results[1:]
                if self.catalog.common_case(r.entry_id) == best.entry_id
                and self.catalog.names_qualifier(draft.text, r.entry_id, best.entry_id)
            ]
            if asked:
                draft.chosen = asked[0]
        return None

    def section_of_procedure(self, draft: Draft) -> None:
        """A section asked ("khai tử cần mang gì") and an FAQ about a procedure
        found first ("… bao lâu phải đăng ký khai tử?"): the procedure's section
        answers, when the procedure is among the confident results."""
        detail = draft.detail
        if draft.chosen is not None or detail is None or detail.section is None:
            return
        best = draft.results[0]
        if self.catalog.is_procedure(best.entry_id):
            return
        for result in draft.results[1:]:
            if (
                result.confidence >= self.min_confidence
                and self.catalog.is_procedure(result.entry_id)
                and self.catalog.refines(best.entry_id, result.entry_id)
            ):
                draft.chosen = result
                return

    def clarification(self, draft: Draft) -> Reply | None:
        """Near tie between the best results: ask which one is meant (never between
        variants of one procedure: those are offered after the answer)."""
        if draft.chosen is not None:
            return None
        family = {draft.results[0].entry_id, *self._family(draft.results[0].entry_id)}
        question = self.catalog.key(draft.text)
        close = [
            r
            for r in close_runners_up(draft.results, CLARIFY_SCORE_RATIO, self.min_confidence, self.index.confidence)
            if r.entry_id not in family and unasked_qualifier(question, self.catalog.names_of(r.entry_id)) is None
        ]
        if not close:
            return None
        options = [draft.results[0], *close]
        buttons = [self._choice_button(r) for r in options]
        return Reply(
            [Message(text("answer.clarify"), buttons)],
            ReplyStatus.clarification,
            slots={Slot.pending_question: draft.text},
            confidence=draft.results[0].confidence,
        )

    def best_passage(self, draft: Draft) -> Reply:
        """The best result; of a procedure, the section asked for when one was."""
        best = draft.chosen or draft.results[0]
        detail = draft.detail
        asked_section = detail.section if detail is not None else None
        procedure = self.catalog.is_procedure(best.entry_id)
        if asked_section and procedure and best.heading_path[1:2] != [asked_section]:
            reply = self.procedure_detail(best.entry_id, detail, draft.turn)
        elif not asked_section and procedure and (UNKNOWN in best.text or self._only_names(best.entry_id, draft)):
            # "xin giấy hôn thú": a procedure's name alone gets its summary, never
            # a section that only says the source holds nothing on it
            reply = self.procedure_detail(best.entry_id, None, draft.turn)
        else:
            reply = self._result_reply(best, draft.turn)
        reply.confidence = best.confidence
        return reply

    def add_notes(self, reply: Reply, draft: Draft) -> Reply:
        """What the question needs first goes first (a long question was cut; the
        district level it asks about is gone); an answer that names an abolished
        unit, as source records still do, gets the same note after its text."""
        if not reply.messages:
            return reply
        message = reply.messages[0]
        first = list(draft.notes)
        level = fold_accents(draft.turn.entities.get(Entity.level.value) or "")
        if level in ("huyen", "cap huyen") or _DISTRICT.search(fold_accents(draft.text)):
            first.append(text("answer.two_level_note"))
        elif mentions_abolished_units(message.text):
            self._append(message, text("answer.two_level_note"))
        if reply.status == ReplyStatus.answered and reply.entry_ids:
            legal_note = note_for_answer(self.registry, message.text)
            if legal_note:  # the answer cites a document since amended or replaced
                self._append(message, legal_note)
        if first:
            message.text = "\n".join(first) + "\n\n" + message.text
        return reply

    @staticmethod
    def _append(message: Message, note: str) -> None:
        """A note after an answer's text, before its closing offer."""
        offer = f"\n\n{text('answer.offer')}"
        body = message.text.removesuffix(offer)
        message.text = f"{body}\n\n{note}" + (offer if body != message.text else "")

    def procedure_answer(self, entry_id: str, detail: DetailKind | None, turn: Turn) -> Reply:
        """A section of a procedure chosen in the procedure form, with its notes."""
        return self.add_notes(self.procedure_detail(entry_id, detail, turn), Draft(turn))

    # -- answers -------------------------------------------------------------

    def procedure_detail(self, entry_id: str, detail: DetailKind | None, turn: Turn, full: bool = False) -> Reply:
        """One section of a procedure (its summary when no detail was asked),
        short unless ``full``, the user is in detail mode, or it is the legal basis."""
        entry = self.catalog.entries[entry_id]
        section = detail.section if detail and detail.section else "Tóm tắt"
        rows = entry.sections.get(section)
        if not rows:
            first = self.index.passages[entry.rows[0]]
            missing = text("answer.missing_section", title=entry.title, section=section.lower())
            return Reply(
                [answer_message(f"{missing}\n\n{passage_citation(first)}", self._offer(entry_id, None, False))],
                ReplyStatus.answered,
                slots=self._focus(entry_id, first["passage_id"], detail),
                entry_ids=[entry_id],
            )
        passages = [self.index.passages[row] for row in rows]
        body = "\n".join(p["text"] for p in passages)
        if detail is not None and detail.code == "documents":
            body = common_first(body)
        if detail is not None and detail.code == "place":
            agency_rows = entry.sections.get(BY_CODE["agency"].section or "", [])
            lead = where_done("\n".join(self.index.passages[row]["text"] for row in agency_rows))
            body = f"{lead}\n{body}" if lead else body
        full = full or turn.detail_mode or (detail is not None and detail.code == "legal_basis")
        short = body if full else shorten(body)
        answer = f"{entry.title} › {section}\n\n{short}\n\n{passage_citation(passages[0])}"
        return Reply(
            [answer_message(answer, self._offer(entry_id, detail, shortened=short != body))],
            ReplyStatus.answered,
            slots=self._focus(entry_id, passages[0]["passage_id"], detail),
            entry_ids=[entry_id],
        )

    def _result_reply(self, result: SearchResult, turn: Turn) -> Reply:
        heading = " › ".join(result.heading_path)
        body = result.text if turn.detail_mode else shorten(result.text)
        answer = f"{heading}\n\n{body}\n\n{passage_citation({'citation': result.citation, 'url': result.url})}"
        shown = None
        if result.entry_type == "procedure" and len(result.heading_path) > 1:
            shown = next((k for k in kinds(PROCEDURE_OFFER) if k.section == result.heading_path[1]), None)
        return Reply(
            [answer_message(answer, self._offer(result.entry_id, shown, shortened=body != result.text))],
            ReplyStatus.answered,
            slots=self._focus(result.entry_id, result.passage_id, shown),
            entry_ids=[result.entry_id],
        )

    def _full_passage(self, entry_id: str, passage_id: str | None, detail: DetailKind) -> Reply:
        entry = self.catalog.entries[entry_id]
        passages = [self.index.passages[row] for row in entry.rows]
        focus = next((p for p in passages if p["passage_id"] == passage_id), passages[0])
        same_section = [p for p in passages if p["heading_path"] == focus["heading_path"]]
        body = "\n".join(p["text"] for p in same_section)
        heading = " › ".join(focus["heading_path"])
        answer = f"{heading}\n\n{body}\n\n{passage_citation(focus)}"
        if detail.code == "legal_basis":
            answer = f"{passage_citation(focus)}\n\n{heading}\n\n{body}"
        return Reply(
            [answer_message(answer, self._offer(entry_id, detail, shortened=False))],
            ReplyStatus.answered,
            slots=self._focus(entry_id, focus["passage_id"], None),
            entry_ids=[entry_id],
        )

    # -- the procedure form ----------------------------------------------------

    def procedure_named(self, name: str) -> str | None:
        """The procedure a user's words name: exactly, within the text, or by search."""
        cleaned = clean_text(name)
        if not has_words(cleaned):
            return None
        return self.catalog.resolve(cleaned) or self.catalog.find_in(cleaned) or self._procedure_by_search(cleaned)

    def procedure_suggestions(self, typed: str, limit: int = 3) -> list[Button]:
        """Procedures close to what the user typed, as buttons; the most asked
        ones when nothing is close (a list of unrelated guesses helps nobody)."""
        results = self.index.search(clean_text(typed), k=10) if has_words(typed) else []
        ids = [r.entry_id for r in results if r.entry_type == "procedure" and r.confidence >= SUGGESTION_MIN_CONFIDENCE]
        named = self.catalog.find_in(clean_text(typed)) if has_words(typed) else None
        if named is not None:  # the procedure its words name comes first
            ids = [named, *(i for i in ids if i != named)]
        ids = ids[:limit] or [i for i in COMMON_PROCEDURES if self.catalog.is_procedure(i)]
        return [self._procedure_button(i) for i in ids]

    def _procedure_button(self, entry_id: str) -> Button:
        title = self.catalog.entries[entry_id].title
        return Button(title, build_payload(Intent.ask_procedure, procedure=entry_id), ButtonKind.choice)

    def _procedure_by_search(self, name: str) -> str | None:
        """The procedure a name means when it is not a known name: the best
        procedure result, if every word of the name is in it, it is confident and
        no other procedure is ("giấy xác nhận" fits marital status and land certificates alike)."""
        if len(self.catalog.key(name)) < 2:
            return None
        procedures = [r for r in self.index.search(name, k=3) if r.entry_type == "procedure"]
        sure = [r for r in procedures if r.confidence >= self.min_confidence and r.lexical_coverage == 1.0]
        return sure[0].entry_id if len(sure) == 1 and sure[0] is procedures[0] else None

    # -- fixed replies -----------------------------------------------------------

    @staticmethod
    def ask_which_procedure(detail: DetailKind | None) -> Reply:
        """The procedure form takes over (it asks, with buttons) and keeps the detail asked."""
        return Reply([], ReplyStatus.form_started, slots={Slot.last_detail: detail.code if detail else None})

    def procedure_not_held(self, rule: ScopeRule, draft: Draft) -> Reply:
        """Declined: the procedure asked for is not in the knowledge base; the
        nearest ones it holds are offered."""
        ids = [r.entry_id for r in draft.results if self.catalog.is_procedure(r.entry_id)]
        if draft.named:
            ids.insert(0, draft.named)
        buttons = [self._procedure_button(i) for i in list(dict.fromkeys(ids))[:CLARIFY_OPTIONS]]
        message = text("answer.procedure_not_held", topic=rule.name, contact=contact_sentence(self.contact))
        reply = Reply([Message(message, [*buttons, handoff_button()])], ReplyStatus.declined)
        reply.confidence = draft.results[0].confidence if draft.results else 0.0
        return reply

    def not_found(self, nearest: list[Button] | None = None) -> Reply:
        """Honestly declined; entries that came near are offered to choose, never answered."""
        message = text(
            "answer.not_found_nearest" if nearest else "answer.not_found", contact=contact_sentence(self.contact)
        )
        return Reply([Message(message, [*(nearest or []), handoff_button()])], ReplyStatus.declined)

    def _nearest(self, results: list[SearchResult]) -> list[Button]:
        """Results below the answer threshold but not far from it, as choices."""
        near = [r for r in results if r.confidence >= NEAREST_MIN_CONFIDENCE][:CLARIFY_OPTIONS]
        return [self._choice_button(r) for r in near]

    @staticmethod
    def unknown_choice() -> Reply:
        return Reply([Message(text("answer.unknown_choice"))], ReplyStatus.unknown_choice)

    def _offer(self, entry_id: str, shown: DetailKind | None, shortened: bool) -> list[Button]:
        codes = PROCEDURE_OFFER if self.catalog.is_procedure(entry_id) else OTHER_OFFER
        if shortened and "full" not in codes:
            codes = ("full", *codes)
        if not shortened:
            codes = tuple(c for c in codes if c != "full")
        return [section_button(kind) for kind in kinds(codes) if kind != shown] + self._other_cases(entry_id)

    def _variants_near(self, target: str, draft: Draft) -> list[str]:
        """The variants of the procedure named and of the first results: "chồng
        người Hàn Quốc … đăng ký khai sinh" finds the FAQ on the birth-registration
        deadline first, and its procedure's foreign variant through the results."""
        near = [target, *(r.entry_id for r in draft.results[:SCOPE_FAMILY_RESULTS])]
        members = [m for entry_id in near for m in (entry_id, *self._family(entry_id))]
        return [m for m in dict.fromkeys(members) if m != target]

    def _family(self, entry_id: str) -> list[str]:
        """The other variants of a procedure: its common case and that one's
        variants, or its own variants; the shortest titles (the commonest) first."""
        common = self.catalog.common_case(entry_id)
        members = [common, *self.catalog.variants(common)] if common else self.catalog.variants(entry_id)
        members = [m for m in dict.fromkeys(members) if m != entry_id]
        return sorted(members, key=lambda m: (len(self.catalog.entries[m].title), m))

    def _other_cases(self, entry_id: str) -> list[Button]:
        """ "Trường hợp khác: …" buttons; the level is named when titles are alike."""
        buttons = []
        title = self.catalog.entries[entry_id].title
        for other in self._family(entry_id)[:OTHER_CASES]:
            entry = self.catalog.entries[other]
            name = f"{entry.title} ({entry.level.lower()})" if entry.title == title and entry.level else entry.title
            label = text("answer.other_case", title=name)
            if len(label) > BUTTON_LABEL_CHARS:
                label = label[: BUTTON_LABEL_CHARS - 1].rstrip() + "…"
            buttons.append(Button(label, self._choice_payload(other), ButtonKind.choice))
        return buttons

    def _choice_button(self, result: SearchResult) -> Button:
        """A result offered to choose; chosen, it answers the pending question."""
        return Button(result.title, self._choice_payload(result.entry_id), ButtonKind.choice)

    def _choice_payload(self, entry_id: str) -> str:
        intent = Intent.ask_procedure if self.catalog.is_procedure(entry_id) else Intent.ask_programme
        return build_payload(intent, entry_id=entry_id)

    @staticmethod
    def _focus(entry_id: str, passage_id: str, detail: DetailKind | None) -> dict[Slot, Any]:
        return {
            Slot.focus_entry: entry_id,
            Slot.focus_passage: passage_id,
            Slot.last_detail: detail.code if detail else None,
        }


@cache
def legal_registry() -> Registry:
    """Loaded once per process: every replier (one per index version) shares it."""
    return load_registry()


def handoff_button() -> Button:
    """ "Gặp cán bộ hỗ trợ": offered wherever the assistant cannot answer."""
    return Button(text("answer.handoff_button"), build_payload(Intent.request_human), ButtonKind.handoff)


class ReplierForIndex:
    """One replier per index object: a publish swaps the index, and the next
    call gets a replier built on that very object (never a cached replier of
    another version paired with a newer index)."""

    def __init__(self, min_confidence: float, contact: Contact) -> None:
        self.min_confidence = min_confidence
        self.contact = contact
        self._lock = threading.Lock()
        self._replier: Replier | None = None

    def __call__(self, index: SearchIndex) -> Replier:
        with self._lock:
            if self._replier is None or self._replier.index is not index:
                self._replier = Replier(index, self.min_confidence, self.contact)
            return self._replier


def close_runners_up(
    results: list[SearchResult],
    ratio: float,
    threshold: float,
    confidence: Callable[[float, float, int], float],
) -> list[SearchResult]:
    """Results after the best that nearly tie with it and could also answer. In a
    near tie the rankings split their first places between the two, so a
    runner-up's confidence counts the pair's votes: whether the answer is one of them."""
    best = results[0]
    return [
        r
        for r in results[1:CLARIFY_OPTIONS]
        if r.score >= ratio * best.score
        and confidence(r.dense_score, r.lexical_coverage, best.votes + r.votes) >= threshold
    ]
