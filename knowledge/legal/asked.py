"""Which document a question like "văn bản này còn hiệu lực không?" asks about.

By its number ("nghị định 123/2015/NĐ-CP", "tt 01/2022/tt-bnv"), or by kind, name and
year when exactly one document of the registry fits ("Luật Cư trú 2020"). The answer's
wording is the dialogue's (``dialogue/legal_status.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.legal.registry import LegalDocument, Registry, find_numbers, kind_of
from knowledge.text import fold_accents

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


@dataclass(frozen=True)
class AskedDocument:
    number: str
    kind: str | None
    document: LegalDocument | None  # None: a number the registry does not hold


def asked_document(registry: Registry, question: str) -> AskedDocument | None:
    """The document a question about validity names; None when the question is not
    about validity or names no document."""
    if not is_status_question(question):
        return None
    numbers = find_numbers(question)
    if numbers:
        return AskedDocument(numbers[0], kind_of(numbers[0]), registry.get(numbers[0]))
    document = by_name(registry, question)
    return AskedDocument(document.number, document.kind, document) if document else None
