"""Parse procedure records of the National Public Service Portal (dichvucong.gov.vn).

The crawled records flattened the portal's HTML tables, so cells run into each
other ("Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(...)"). These parsers
recover the rows from the patterns the portal always uses; a value the record
does not give stays ``None`` and is shown as unknown, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.ingest.facts import DOCUMENT_TYPES, document_numbers, nfc

NO_INFO = "Không có thông tin"

CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
CHANNELS = ("Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính")
_CHANNEL_SPLIT = re.compile(r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=\d|" + NO_INFO + r"|Miễn phí)")
_TIME = re.compile(
    r"^(?P<time>" + NO_INFO + r"|\d+(?:[.,]\d+)?(?:\s*(?:Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm|Phút))?)"
)
_FEE = re.compile(
    r"^(?P<fee>Miễn phí|" + NO_INFO + r"|Lệ phí\s*:?\s*[\d.,]+\s*(?:Việt Nam Đồng|Đồng|VNĐ)|"
    r"(?:Phí|Lệ phí)?\s*[\d.,]+\s*(?:Việt Nam Đồng|Đồng|VNĐ|đồng|USD))"
)

DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_QUANTITY = re.compile(r"(\d+\s*(?:bản|Bản)\s*(?:chính|sao)(?:\s*(?:hoặc|và)\s*(?:\d+\s*)?(?:bản\s*)?(?:chính|sao))?)")

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
_RESULT_CODE = re.compile(r"Mã:\s*KQ\.[A-Z0-9]+\.\d+")
_PAGE_CHROME = re.compile(r"Từ khóa.*$", re.S)


@dataclass(frozen=True)
class Channel:
    """One row of the channel table. ``note`` is everything after the fee; ``fee_note`` is the
    part of it that explains the fee (the bracket right after the amount), ``description``
    the rest (how to submit, opening hours)."""

    kind: str
    time: str | None
    fee: str | None
    note: str | None
    fee_note: str | None = None
    description: str | None = None


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
        # A bare number means nothing to a citizen (1 hour? 1 day?): say what is missing.
        return f"dữ liệu gốc chỉ ghi số “{raw}”, không ghi đơn vị (giờ hay ngày); bạn hãy hỏi cơ quan tiếp nhận hồ sơ"
    for unit in ("Ngày", "Giờ", "Tháng", "Năm", "Phút"):
        raw = raw.replace(unit, unit.lower())
    return raw


def format_fee(raw: str | None) -> str | None:
    raw = known(raw)
    if raw is None:
        return None
    match = re.search(r"([\d.,]+)\s*(Việt Nam Đồng|Đồng|VNĐ|đồng|USD)", raw)
    if match:
        amount = match.group(1).replace(",", ".")
        return f"{amount} USD" if match.group(2) == "USD" else f"{amount} đồng"
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
        fee_note, description = split_fee_note(rest.strip())
        fee = format_fee(fee)
        if fee and fee_note and fee_note.startswith("/"):
            # "2,000 Việt Nam Đồng(/trang)Tại Ủy ban nhân dân cấp xã: ...": a unit, the details follow.
            fee, fee_note, description = fee + fee_note, description, None
        channels.append(
            Channel(
                kind=kind,
                time=format_time(time),
                fee=fee,
                note=note,
                fee_note=known(fee_note),
                description=known(description),
            )
        )
    return channels


def split_fee_note(rest: str) -> tuple[str | None, str | None]:
    """Split the text after the fee into the bracketed fee explanation and the rest."""
    if not rest.startswith("("):
        return None, rest or None
    depth = 0
    for position, char in enumerate(rest):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return rest[1:position].strip() or None, rest[position + 1 :].strip(" -") or None
    return rest[1:].strip() or None, None


_ATTACHMENT = re.compile(r"\s*(?:\(\d+\))?\.(?:docx?|pdf|xlsx?)$", re.I)
# Where a glued attachment name starts: after ".", ";" or ")" with no space, or a capital
# form word glued to the end of a word ("…quản lý thuếMẫu 03 ĐK TCT.docx").
_ATTACHMENT_START = re.compile(r"(?<=[.;)])(?=\S)|(?<=[a-zà-ỹđ])(?=Mẫu|Mau|Giấy|TK\d)")


def strip_attachment(name: str) -> str:
    """Drop the form's file name the crawl glued to a document's name ("….1.MuCT01…53.doc")."""
    extension = _ATTACHMENT.search(name)
    if not extension:
        return name
    starts = [m.start() for m in _ATTACHMENT_START.finditer(name, 0, extension.start())]
    if not starts:
        return name
    kept = name[: starts[-1]]
    kept = re.sub(r"(?<=[.;)])\d+\.$", "", kept)  # the form's own number ("1.", "8.")
    return kept.rstrip(" ;").strip() + " (mẫu đính kèm trên Cổng Dịch vụ công quốc gia)"


_GLUED_COUNT = re.compile(r"(\d{2,})(\d)(\s*(?:bản|Bản).*)", re.S)


def unglue_count(name: str, quantity: str) -> tuple[str, str]:
    """The crawl glues the count cell to the name cell: "… theo Mẫu số 18" + "1 bản chính" reads
    "Mẫu số 181 bản chính", "… ngày 13/02/2026" + "1 bản chính" reads "20261 bản chính". Counts
    in the records have one digit or two with a leading zero ("01", "02"): any longer run gives
    its last digit to the count and the rest back to the name."""
    glued = _GLUED_COUNT.fullmatch(quantity)
    if glued is None:
        return name, quantity
    return name + glued.group(1), glued.group(2) + glued.group(3)


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
            name, quantity = unglue_count(name, quantity)
            # "+) Khi …", "- .02 bộ …": list markers the crawl left in front of the name.
            name = re.sub(r"^[\s\-+).*]+", "", name).strip(" -+\n")
            if re.fullmatch(r"[\W_]*", name) and items:
                # "0 bản chính,1 bản sao": a second count of the same item (originals, copies).
                counts = [q for q in (items[-1][1], quantity.strip()) if q and not q.startswith("0")]
                items[-1] = (items[-1][0], " và ".join(counts) or items[-1][1])
            elif name and not re.fullmatch(r"[\W_]*", name):
                items.append((strip_attachment(name), quantity.strip()))
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
    """(kind, number) of every complete document number in the legal basis table.

    The table's title and code cells run together and are often cut or glued in the
    crawl, so the titles are not kept: only numbers that are complete are shown, each
    with the kind its code gives ("NĐ" → "Nghị định").
    """
    body = nfc(text.replace(LEGAL_HEADER, "", 1))
    numbers = document_numbers(body)
    documents = []
    for number in numbers:
        # "190/2025/NQ-QH15" is the code cell of "Nghị quyết số 190/2025/QH15": one resolution, listed once.
        same = re.sub(r"/NQ-((?:UBTVQH|QH)\d{2})$", r"/\1", number)
        if same != number and same in numbers:
            continue
        documents.append((_kind(body, number), number))
    return documents


def _kind(body: str, number: str) -> str:
    """The kind of document: from its type code ("NĐ" → "Nghị định"), or for the National
    Assembly's numbers (laws and resolutions alike end in "QH15") from the words before it."""
    suffix = number.split("/")[2]
    if re.fullmatch(r"(?:UBTVQH|QH)\d{2}", suffix):
        position = body.find(number)
        before = body[max(0, position - 40) : position]
        kinds = re.findall(r"Bộ luật|Luật|Nghị quyết|Pháp lệnh", before, re.I)
        return kinds[-1].capitalize() if kinds else "Văn bản"
    return DOCUMENT_TYPES.get(suffix.split("-")[0], "Văn bản")


def parse_results(text: str) -> list[str]:
    body = _PAGE_CHROME.sub("", text)
    return [name.strip() for name in _RESULT_CODE.split(body) if name.strip()]
