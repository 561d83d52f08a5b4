"""Parse procedure records of the National Public Service Portal (dichvucong.gov.vn).

The crawled records flattened the portal's HTML tables, so cells run into each
other ("Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(...)"). These parsers
recover the rows from the patterns the portal always uses; a value the record
does not give stays ``None`` and is shown as unknown, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NO_INFO = "Không có thông tin"

CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
CHANNELS = ("Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính")
_CHANNEL_SPLIT = re.compile(r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=\d|" + NO_INFO + r"|Miễn phí)")
_TIME = re.compile(
    r"^(?P<time>" + NO_INFO + r"|\d+(?:[.,]\d+)?(?:\s*(?:Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm|Phút))?)"
)
_FEE = re.compile(
    r"^(?P<fee>Miễn phí|" + NO_INFO + r"|Lệ phí\s*:?\s*[\d.,]+\s*(?:Việt Nam Đồng|Đồng|VNĐ)|"
    r"(?:Phí|Lệ phí)?\s*[\d.,]+\s*(?:Việt Nam Đồng|Đồng|VNĐ|đồng))"
)

DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_QUANTITY = re.compile(r"(\d+\s*(?:bản|Bản)\s*(?:chính|sao)(?:\s*(?:hoặc|và)\s*(?:\d+\s*)?(?:bản\s*)?(?:chính|sao))?)")

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# A document code glued to the end of its title: "...Luật Hộ tịch60/2014/QH13".
# The code ends where the next title starts: an uppercase letter followed by a
# lowercase one ("...TT-BTCNghị định"), an all-caps word, or the end.
_LEGAL_CODE = re.compile(
    r"(?<=[^\s\d/.])(\d+(?:\.\d+)?/\d{4}/[A-ZĐ][A-ZĐ0-9]*?(?:-[A-ZĐ0-9]+?)*?)"
    r"(?=$|[\s.,;]|[A-ZĐ][a-zđà-ỹ]|[A-ZĐ]{2,}\s|(?<=\d)[a-zđà-ỹ])"
)

_RESULT_CODE = re.compile(r"Mã:\s*KQ\.[A-Z0-9]+\.\d+")
_PAGE_CHROME = re.compile(r"Từ khóa.*$", re.S)


@dataclass(frozen=True)
class Channel:
    kind: str
    time: str | None
    fee: str | None
    note: str | None


@dataclass(frozen=True)
class DocumentGroup:
    case: str | None
    items: list[tuple[str, str]]


def known(value: str | None) -> str | None:
    """``None`` for the portal's empty markers, else the trimmed value."""
    if value is None:
        return None
    value = value.strip()
    return None if not value or value == NO_INFO or value.strip("-* ") == "" else value


def _strip_parentheses(text: str) -> str:
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        return text[1:-1].strip()
    if text.startswith("("):
        return text[1:].strip()
    return text


def format_time(raw: str | None) -> str | None:
    raw = known(raw)
    if raw is None:
        return None
    if re.fullmatch(r"\d+(?:[.,]\d+)?", raw):
        return f"{raw} (dữ liệu gốc không ghi đơn vị)"
    return raw.replace("Ngày làm việc", "ngày làm việc").replace("Ngày", "ngày")


def format_fee(raw: str | None) -> str | None:
    raw = known(raw)
    if raw is None:
        return None
    match = re.search(r"([\d.,]+)\s*(?:Việt Nam Đồng|Đồng|VNĐ|đồng)", raw)
    if match:
        amount = match.group(1).replace(",", ".")
        return f"{amount} đồng"
    return raw.lower() if raw == "Miễn phí" else raw


def parse_channels(text: str) -> list[Channel]:
    """Rows of the 'Cách thức thực hiện' table: channel, time, fee, note."""
    body = text.replace(CHANNEL_HEADER, "", 1)
    parts = _CHANNEL_SPLIT.split(body)
    channels = []
    for kind, cell in zip(parts[1::2], parts[2::2], strict=True):
        rest = cell
        time_match = _TIME.match(rest)
        time = time_match.group("time") if time_match else None
        rest = rest[time_match.end() :] if time_match else rest
        fee_match = _FEE.match(rest.strip())
        fee = fee_match.group("fee") if fee_match else None
        rest = rest.strip()[fee_match.end() :] if fee_match else rest
        note = known(_strip_parentheses(rest))
        channels.append(Channel(kind=kind, time=format_time(time), fee=format_fee(fee), note=note))
    return channels


def parse_documents(text: str) -> list[DocumentGroup]:
    """Groups of required documents, each item with its quantity."""
    text = text.replace("* Giấy tờ phải nộp:", "").strip()
    sections = text.split(DOCUMENT_HEADER)
    if len(sections) == 1:
        return [DocumentGroup(case=None, items=[(text, "")])] if known(text) else []
    groups = []
    case = known(sections[0].strip(" -*:"))
    for number, section in enumerate(sections[1:], start=1):
        pieces = _QUANTITY.split(section)
        items = []
        for name, quantity in zip(pieces[0::2], pieces[1::2], strict=False):
            name = name.strip(" -+\n")
            if name:
                items.append((name, quantity.strip()))
        trailing = pieces[-1].strip(" -*:\n") if len(pieces) % 2 == 1 else ""
        next_case = None
        if number < len(sections) - 1:
            next_case = known(trailing)
        elif trailing:
            items.append((trailing, ""))
        if items:
            groups.append(DocumentGroup(case=case, items=items))
        case = next_case
    return groups


def parse_legal_basis(text: str) -> list[tuple[str, str]]:
    """(title, code) pairs of the legal basis table."""
    body = text.replace(LEGAL_HEADER, "", 1)
    documents = []
    start = 0
    for match in _LEGAL_CODE.finditer(body):
        title = body[start : match.start()].strip(" .;,")
        if title:
            documents.append((title, match.group(1)))
        start = match.end()
    return documents


def parse_results(text: str) -> list[str]:
    body = _PAGE_CHROME.sub("", text)
    return [name.strip() for name in _RESULT_CODE.split(body) if name.strip()]
