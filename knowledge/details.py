"""What a follow-up question asks about a procedure, and where the answer is.

Every procedure entry has the same sections (see knowledge/ingest/render.py);
a detail kind names one of them. NLU extracts the ``detail`` entity; the
keyword patterns here are the fallback when it does not, and both speak the
same codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import fold_accents


@dataclass(frozen=True)
class DetailKind:
    code: str
    section: str | None  # heading in a procedure entry; None = not one section
    pattern: re.Pattern[str]


# "công an phường làm hay ủy ban phường làm": which body, asked as a choice.
_BODIES = "(cong an|uy ban|ubnd|so|bo|xa|phuong|tinh)"


def _words(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(phrases) + r")\b")


# Order matters: the first kind whose pattern matches the folded text wins.
DETAIL_KINDS: tuple[DetailKind, ...] = (
    DetailKind(
        "legal_basis",
        "Căn cứ pháp lý",
        _words(
            "can cu",
            "co so phap ly",
            "van ban phap luat",
            "dieu luat",
            "quy dinh o dau",
            "theo luat nao",
            "nghi dinh nao",
            "thong tu nao",
            "luat nao",
            "van ban nao",
            "van ban phap ly",
            "van ban phap luat nao",
        ),
    ),
    DetailKind(
        "full",
        None,
        _words("chi tiet", "day du", "toan van", "xem het", "doc them", "noi ro hon", "xem them"),
    ),
    DetailKind(
        "fee",
        "Phí, lệ phí",
        _words(
            "le phi",
            "phi",
            "bao nhieu tien",
            "bn tien",
            "nhiu tien",
            "may tien",
            "nhieu tien",
            r"(het|ton|mat) (bao nhieu|bn|nhieu)(?! (ngay|lau|thoi gian|hom|thang|tuan|buoi|gio|lan))",
            "mat tien",
            "mat phi",
            "ton phi",
            "mat dong nao",
            "ton dong nao",
            "nop tien",
            "tra tien",
            "mien phi",
        ),
    ),
    DetailKind(
        "time",
        "Thời hạn giải quyết",
        _words(
            "bao lau",
            "bn lau",
            "may ngay",
            "may hom",
            "may tuan",
            "may thang",
            "thoi han",
            "thoi gian",
            "bao nhieu ngay",
            "bn ngay",
            "khi nao co",
            "bao gio co",
            "khi nao thi co",
            "bao gio thi co",
            "lau khong",
            "lau ko",
            "trong ngay",
            "lay luon",
            "duoc duyet",
        ),
    ),
    DetailKind(
        "documents",
        "Thành phần hồ sơ",
        _words(
            "giay to",
            "ho so",
            "can mang",
            "mang theo",
            "chuan bi",
            "can nhung gi",
            "can gi",
            "can j",
            "can nhung j",
            r"(?<!nhan )(?<!cap )giay gi",
            "giay to j",
            "mang gi",
            "mang j",
            "mag theo",
            "can mag",
            "nhung giay",
            "ban ve",
            "to khai",
            "documents",
            "papers",
            "thanh phan",
        ),
    ),
    DetailKind(
        "steps",
        "Trình tự thực hiện",
        _words("cac buoc", "trinh tu", "quy trinh", "lam the nao", "tung buoc"),
    ),
    DetailKind(
        "conditions",
        "Yêu cầu, điều kiện",
        _words(
            "dieu kien", "yeu cau", "ai duoc", "doi tuong", "truong hop nao", "bao nhieu tuoi", "bn tuoi", "du tuoi"
        ),
    ),
    DetailKind(
        "result",
        "Kết quả",
        _words(
            "ket qua", "nhan duoc gi", "duoc cap gi", "nhan giay gi", "duoc nhan giay", "nhan duoc giay", "cap giay gi"
        ),
    ),
    DetailKind(
        "agency",
        "Cơ quan và cấp thực hiện",
        _words(
            "co quan nao",
            "ai giai quyet",
            "cap nao",
            "ai cap",
            "do ai",
            "tham quyen",
            rf"{_BODIES}\b.{{0,30}}\bhay\b.{{0,12}}\b{_BODIES}",
        ),
    ),
    DetailKind(
        "place",
        "Nơi nộp và cách nộp",
        _words(
            "o dau",
            "noi nop",
            "nop dau",
            "len dau",
            "cho nao",
            "truc tuyen",
            "online",
            "onl",
            "qua mang",
            "tren mang",
            "vneid",
            "dvc",
            "dich vu cong",
            "truc tiep",
            "buu dien",
            "buu chinh",
        ),
    ),
)
BY_CODE = {kind.code: kind for kind in DETAIL_KINDS}
# What a procedure answer offers next, as buttons.
PROCEDURE_OFFER = ("documents", "fee", "time", "place", "legal_basis")
OTHER_OFFER = ("full", "legal_basis")


def without_details(text: str) -> str:
    """The folded text with every detail phrase taken out: what the question
    is about beyond "how much", "where", "which papers"."""
    folded = fold_accents(text)
    for kind in DETAIL_KINDS:
        folded = kind.pattern.sub(" ", folded)
    return folded


def detect_detail(text: str) -> DetailKind | None:
    folded = fold_accents(text)
    for kind in DETAIL_KINDS:
        if kind.pattern.search(folded):
            return kind
    return None


def detail_kind(code: str | None) -> DetailKind | None:
    return BY_CODE.get(code) if code else None
