"""Answer "văn bản này còn hiệu lực không?" from the registry, and only from it.

The answer gives what the registry holds (title, issuer, date) and the status with the
quote and the source that state it. Where our sources say nothing it says so and points
to the national legal database: it never says "còn hiệu lực", which no source here states.
"""

from __future__ import annotations

import re

from knowledge.legal.citations import status_clause
from knowledge.legal.registry import LegalDocument, Registry, Relation, Status, find_numbers, kind_of
from knowledge.text import fold_accents

NO_INFO = "chưa có thông tin trong nguồn"
SHOWN_QUOTES = 1  # the shortest quote; the registry keeps them all
VBPL = "Cơ sở dữ liệu quốc gia về văn bản pháp luật (https://vbpl.vn)"

# Accent-folded words of a question about a document's validity.
_STATUS_QUESTION = re.compile(
    r"\b(?:hieu luc|con (?:ap dung|dung|duoc dung|gia tri|han)|het han|bi thay the|duoc thay the|thay the chua"
    r"|sua doi|bai bo|tinh trang)\b"
)
# Kinds as people write them, folded ("nđ" -> "nd"), longest first.
_KINDS = {
    "bo luat": "Bộ luật", "luat": "Luật", "phap lenh": "Pháp lệnh", "nghi dinh": "Nghị định", "nd": "Nghị định",
    "nghi quyet": "Nghị quyết", "nq": "Nghị quyết", "thong tu lien tich": "Thông tư liên tịch",
    "thong tu": "Thông tư", "tt": "Thông tư", "quyet dinh": "Quyết định", "qd": "Quyết định", "chi thi": "Chỉ thị",
}  # fmt: skip
_KIND_NAME = re.compile(
    r"\b(" + "|".join(sorted(_KINDS, key=len, reverse=True)) + r")\s+(.+?)\s*(?:nam\s+)?((?:19|20)\d\d)\b"
)
_FILLER = re.compile(r"\b(?:so|cua|ve|nay|ban hanh)\b")


def is_status_question(question: str) -> bool:
    return bool(_STATUS_QUESTION.search(fold_accents(question)))


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", fold_accents(text))).strip()


def by_name(registry: Registry, question: str) -> LegalDocument | None:
    """'Luật Cư trú 2020': the one document of that kind and year whose title is that name."""
    match = _KIND_NAME.search(_words(question))
    if not match:
        return None
    kind, year = _KINDS[match.group(1)], int(match.group(3))
    name = _FILLER.sub(" ", match.group(2)).split()
    if not name:
        return None
    wanted = " ".join(name)
    candidates = []
    for document in registry.values():
        if document.kind != kind or not document.title or not document.number.split("/")[1:2] == [str(year)]:
            continue
        title = _words(document.title)
        if re.search(rf"\b{re.escape(_words(kind))} {re.escape(wanted)}\b", title):
            candidates.append(document)
    named = rf"{re.escape(_words(kind))} {re.escape(wanted)}(?: nam)?(?: \d{{4}})?"
    exact = [d for d in candidates if re.fullmatch(named, _words(d.title or ""))]
    chosen = exact or candidates
    return chosen[0] if len(chosen) == 1 else None


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _quote(relation: Relation) -> str:
    where = relation.source_label
    if relation.context and relation.context != relation.evidence:
        where += f", tại: “{_flat(relation.context)}”"
    return f"“{_flat(relation.evidence)}” (nguồn: {where})"


def describe(document: LegalDocument) -> str:
    title = _flat(document.title) if document.title else None
    lines = [f"{document.citation()}:"]
    lines.append(f"- Tên/trích yếu: {title or NO_INFO}")
    lines.append(f"- Cơ quan ban hành: {document.issuer or NO_INFO}")
    lines.append(f"- Ngày ban hành: {document.date or NO_INFO}")
    return "\n".join(lines)


def status_lines(registry: Registry, document: LegalDocument) -> list[str]:
    if document.status == Status.in_force_unknown:
        return [
            f"- Hiệu lực: {NO_INFO}. Các nguồn chúng tôi lưu không nói văn bản này đã được sửa đổi, thay thế "
            f"hay hết hiệu lực, nên chúng tôi không thể khẳng định văn bản còn hiệu lực.",
            f"- Bạn hãy tra cứu tình trạng hiệu lực tại {VBPL}.",
        ]
    relations = {
        Status.replaced: document.replaced_by,
        Status.expired: document.expired,
        Status.amended: document.amended_by,
    }[document.status]
    lines = [f"- Tình trạng theo nguồn: {status_clause(registry, document)}."]
    shown = sorted(relations, key=lambda relation: len(relation.evidence))[:SHOWN_QUOTES]
    lines += [f"- Căn cứ: {_quote(relation)}" for relation in shown]
    if document.status == Status.amended:
        lines.append(
            "- Văn bản được sửa đổi, bổ sung vẫn có thể còn áp dụng ở các điều không bị sửa; các nguồn của chúng "
            "tôi không nói văn bản này đã hết hiệu lực hay bị thay thế."
        )
    lines.append(f"- Để biết tình trạng hiệu lực đầy đủ, mới nhất, bạn hãy tra cứu tại {VBPL}.")
    return lines


def answer_status(registry: Registry, question: str) -> str | None:
    """The answer to a question about a document's validity, or None when the question is not
    one or names no document."""
    if not is_status_question(question):
        return None
    numbers = find_numbers(question)
    if numbers:
        document = registry.get(numbers[0])
        if document is None:
            name = f"{kind_of(numbers[0]) or 'Văn bản'} số {numbers[0]}"
            return (
                f"{name} không có trong danh mục văn bản mà các nguồn của chúng tôi trích dẫn, "
                f"nên hiệu lực của văn bản: {NO_INFO}. Bạn hãy tra cứu tại {VBPL}."
            )
    else:
        document = by_name(registry, question)
        if document is None:
            return None
    return "\n".join([describe(document), *status_lines(registry, document)])
