"""Render a national portal procedure record as a knowledge-base entry (Markdown).

The generated files are ordinary content files: admins may edit them, and
``python -m knowledge import-procedures`` regenerates them from the records.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from knowledge.ingest.dichvucong import (
    DocumentGroup,
    known,
    parse_channels,
    parse_documents,
    parse_legal_basis,
    parse_results,
)
from knowledge.ingest.facts import amounts, document_numbers, nfc, repair_numbers
from knowledge.ingest.fees import MIXED_FREE, Fee, channel_fee, expired_sentence, fee_basis, reconcile

# libyaml when present (the same text as the pure-Python dumper, a fifth of the time: the
# catalogue import renders thousands of entries).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
UNKNOWN = "Dữ liệu gốc trên Cổng Dịch vụ công quốc gia không ghi thông tin này."
PORTAL = "Cổng Dịch vụ công quốc gia"
COMMUNE_BODY = "Ủy ban nhân dân cấp xã"
# The portal's folder of each ministry's records -> the body that published them.
MINISTRIES = {
    "bo-cong-an": "Bộ Công an",
    "bo-tu-phap": "Bộ Tư pháp",
    "bo-tai-chinh": "Bộ Tài chính",
    "bo-nong-nghiep-mt": "Bộ Nông nghiệp và Môi trường",
    "bo-xay-dung": "Bộ Xây dựng",
    "ngan-hang-nha-nuoc": "Ngân hàng Nhà nước Việt Nam",
    "toa-an-nhan-dan": "Tòa án nhân dân tối cao",
}
# An agency at the commune ("Công an cấp Xã", "Chủ tịch Ủy ban nhân dân xã"; not "Bảo hiểm xã hội").
COMMUNE_LEVEL = re.compile(r"cấp xã|(?:[uủ][yỷ] ban nhân dân|ubnd|công an) xã", re.I)
CHANNEL_NAMES = {
    "Trực tuyến": "trực tuyến trên Cổng Dịch vụ công quốc gia",
    "Trực tiếp": "trực tiếp tại cơ quan tiếp nhận (Bộ phận Một cửa)",
    "Dịch vụ bưu chính": "qua dịch vụ bưu chính",
}


@dataclass(frozen=True)
class Selection:
    code: str
    id: str
    title: str
    aliases: list[str]


@dataclass(frozen=True)
class Override:
    """A reviewed correction of one record whose table contradicts its own text (overrides.yml).

    ``time``/``fee`` replace the summary sentence (``summary``) and the section (``detail``);
    ``sections`` replace whole sections; ``quotes`` are the record's own words the
    correction rests on (a test checks each is in the record), ``law`` the words of a held
    legal text (file under knowledge/sources/legal/ → quote).
    """

    why: str
    quotes: list[str]
    time: dict[str, str] | None = None
    fee: dict[str, str] | None = None
    place: str | None = None
    agency: str | None = None
    sections: dict[str, str] | None = None
    law: dict[str, list[str]] | None = None
    # {text as the record has it: corrected text}: a typo the record's own other fields contradict.
    corrections: dict[str, str] | None = None


# A postal row that only mails the result back ("Trả kết quả qua dịch vụ bưu chính"):
# a way to receive the result, not to apply (the applicant must come in person).
RETURN_BY_POST = re.compile(r"^\W*Trả kết quả qua dịch vụ bưu chính", re.I)
# An online row that only books a time and place for the visit.
BOOKING_ONLY = re.compile(r"để đăng ký thời gian, địa điểm", re.I)


def returns_result_only(channel) -> bool:
    """True for a postal row whose text says the result is mailed back and never that files are sent."""
    if channel.kind != "Dịch vụ bưu chính":
        return False
    text = " ".join(part for part in (channel.fee_note, channel.description, channel.note) if part)
    return bool(re.search(r"Trả kết quả qua dịch vụ bưu chính", text, re.I)) and not re.search(
        r"\bnộp\b|gửi hồ sơ", text, re.I
    )


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _section(title: str, text: str | None) -> str:
    return f"## {title}\n{text.strip() if text and text.strip() else UNKNOWN}\n"


def _times(channels) -> str | None:
    """One line per channel for the time limit; None when no channel gives it."""
    if not any(c.time for c in channels):
        return None
    return _bullets(list(dict.fromkeys(f"{c.kind}: {c.time or 'không có thông tin'}" for c in channels)))


def _fees(channels, fees: list[Fee], legal: list[tuple[str, str]]) -> str | None:
    """The fee in force per channel, then what ended and which circulars set the fees."""
    if not any(fee.text for fee in fees):
        return None
    pairs = zip(channels, fees, strict=True)
    lines = list(dict.fromkeys(f"{c.kind}: {f.text or 'không có thông tin'}" for c, f in pairs))
    text = _bullets(lines)
    extra = [
        expired_sentence(sorted({d for fee in fees for d in fee.expired_until})),
        fee_basis(legal, [fee.text or "" for fee in fees]),
    ]
    return "\n\n".join([text, *[line for line in extra if line]])


def _brief(fee: str) -> str:
    """The fee for the summary: its first sentence, the fee proper ("Lệ phí …") and any
    reduction still in force ("… đến hết ngày …"); the rest is in the fee section."""
    sentences = re.split(r"(?<=[.;])\s+(?=[A-ZĐ])", fee)
    kept = [
        s for n, s in enumerate(sentences) if n == 0 or (s.startswith("Lệ phí") and amounts(s)) or "đến hết ngày" in s
    ]
    # Who sets the fee comes first when the record's amount is only the rate its council may change.
    council = next((s for s in sentences if "Hội đồng nhân dân" in s), None)
    if council and council not in kept:
        if re.fullmatch(r"[\d.,]+ (?:đồng|USD)\.?", kept[0]):
            kept[0] = f"{council.rstrip('.;')} (dữ liệu gốc ghi {kept[0].rstrip('.')})."
        else:
            kept.insert(1, council)
    return " ".join(kept).rstrip(".;")


def _fee_summary(channels, fees: list[Fee]) -> str | None:
    """One fee sentence: the same for every channel, or grouped by channel where they differ."""
    by_text: dict[str, list[str]] = {}
    for channel, fee in zip(channels, fees, strict=True):
        if fee.text and not fee.text.startswith(MIXED_FREE):
            by_text.setdefault(fee.text.rstrip(".;"), []).append(channel.kind.lower())
    if not by_text:
        return None
    if len(by_text) == 1:
        return "Phí, lệ phí: " + _brief(next(iter(by_text))) + "."
    parts = [f"{', '.join(dict.fromkeys(kinds))}: {_brief(text)}" for text, kinds in by_text.items()]
    return "Phí, lệ phí: " + "; ".join(parts) + "."


def _summary(
    title: str,
    level: str | None,
    agency: str | None,
    kinds: list[str],
    channels,
    fees,
    override: Override | None = None,
    by_post: bool = False,
) -> str:
    """A short overview passage: what general questions about the procedure need first."""
    sentences = [f"Thủ tục {title[0].lower() + title[1:]}"]
    sentences[0] += f" do {agency} giải quyết" if agency else ""
    sentences[0] += f" ({level.lower()})." if level else "."
    if override and override.place:
        sentences.append(override.place)
    elif kinds:
        sentences.append("Hình thức nộp: " + ", ".join(kind.lower() for kind in kinds) + ".")
    if by_post:
        sentences.append("Có thể nhận kết quả qua dịch vụ bưu chính.")
    times = list(dict.fromkeys(c.time for c in channels if c.time))
    if override and override.time:
        sentences.append("Thời hạn giải quyết: " + override.time["summary"].rstrip(".") + ".")
    elif len(times) == 1:
        sentences.append("Thời hạn giải quyết: " + times[0] + ".")
    elif times and len({c.kind for c in channels}) < len(channels):
        # A channel listed twice: the rows are cases, not channels (overrides.yml names the cases).
        sentences.append("Thời hạn giải quyết: tùy trường hợp, " + "; ".join(times) + " (xem mục Thời hạn giải quyết).")
    elif times:
        # Several time limits: each with the channels it belongs to, as the record's table gives them.
        by_time: dict[str, list[str]] = {}
        for channel in channels:
            by_time.setdefault(channel.time or "không có thông tin", []).append(channel.kind.lower())
        parts = [f"{', '.join(dict.fromkeys(kinds))}: {time}" for time, kinds in by_time.items()]
        sentences.append("Thời hạn giải quyết: " + "; ".join(parts) + ".")
    fee = "Phí, lệ phí: " + override.fee["summary"].rstrip(".") + "." if override and override.fee else None
    fee = fee or _fee_summary(channels, fees)
    if fee:
        sentences.append(fee + " (Chi tiết ở mục Phí, lệ phí.)")
    return " ".join(sentences)


def _agency(record: dict, level: str | None) -> str | None:
    """The agencies of the record, with the commune People's Committee where the record says it acts.

    Records of commune-level procedures often list only the other bodies (notaries,
    missions abroad) although their steps and fees name the commune committee, where
    most citizens go.
    """
    agency = known(record.get("co_quan_thuc_hien")) or known(record.get("co_quan_co_tham_quyen"))
    agency = re.sub(r"\s+", " ", nfc(agency)).rstrip(". ") if agency else None
    if agency:  # "Công an cấp Xã", "Uỷ ban Nhân dân" → "Công an cấp xã", "Ủy ban nhân dân"
        agency = re.sub(r"\bcấp (Xã|Tỉnh|Huyện|Bộ)\b", lambda m: "cấp " + m.group(1).lower(), agency)
        agency = agency.replace("Uỷ ban", "Ủy ban").replace("Ủy ban Nhân dân", "Ủy ban nhân dân")
    text = nfc(" ".join(str(v) for v in record.values() if isinstance(v, str)))
    names_commune = agency and COMMUNE_LEVEL.search(agency)
    if level and "Cấp xã" in level and COMMUNE_BODY in text and not names_commune:
        return f"{COMMUNE_BODY}, {agency}" if agency else COMMUNE_BODY
    return agency


def _documents(groups: list[DocumentGroup]) -> list[DocumentGroup]:
    """Move documents to hand in (a quantity of one or more) out of the notes into the first list.

    The portal files some forms, such as the birth registration form, in an untitled table
    after a "Lưu ý" block, where they would read as notes; "0 bản chính" marks a note,
    not a document.
    """
    if not groups:
        return groups
    moved: list[tuple[str, str]] = []
    kept: list[DocumentGroup] = []
    for number, group in enumerate(groups):
        items = [(name, "" if quantity.startswith("0") else quantity) for name, quantity in group.items]
        untitled = number > 0 and group.case is None
        if untitled or (number > 0 and group.case.startswith("Lưu ý")):
            moved += [item for item in items if item[1]]
            items = [item for item in items if not item[1]]
        if untitled and kept:
            kept[-1] = DocumentGroup(case=kept[-1].case, items=kept[-1].items + items)
        else:
            kept.append(DocumentGroup(case=group.case, items=items))
    kept[0] = DocumentGroup(case=kept[0].case, items=moved + kept[0].items)
    # Lead-ins left last in their list ("… các giấy tờ sau:") introduced documents moved away.
    for number, group in enumerate(kept):
        items = list(group.items)
        while items and items[-1][0].rstrip().endswith(":"):
            items.pop()
        kept[number] = DocumentGroup(case=group.case, items=items)
    return [group for group in kept if group.items]


def render_procedure(
    record: dict, selection: Selection, reviewed: dt.date, override: Override | None = None, audience: str = "citizen"
) -> str:
    for wrong, right in (override.corrections or {}).items() if override else ():
        record = {key: v.replace(wrong, right) if isinstance(v, str) else v for key, v in record.items()}
    all_channels = parse_channels(record.get("cach_thuc_thuc_hien", ""))
    channels = [channel for channel in all_channels if not returns_result_only(channel)]
    by_post = len(channels) < len(all_channels)
    documents = _documents(parse_documents(record.get("thanh_phan_ho_so", "")))
    legal = parse_legal_basis(record.get("can_cu_phap_ly", ""))
    results = parse_results(record.get("ket_qua_xu_ly", ""))
    level = known(record.get("cap_thuc_hien"))
    agency = override.agency if override and override.agency else _agency(record, level)
    fees = reconcile([channel_fee(channel, reviewed) for channel in channels])
    numbers = document_numbers("\n".join(str(v) for v in record.values() if isinstance(v, str)))

    front = {
        "id": selection.id,
        "title": selection.title,
        "type": "procedure",
        "audience": audience,
        "aliases": selection.aliases,
        "procedure_code": selection.code,
        "level": level,
        "ministry": MINISTRIES[record["ministry_dir"]],
        "source": {
            "document": f"Thủ tục hành chính mã {selection.code} trên {PORTAL}"
            + (f" (công bố tại Quyết định số {record['so_quyet_dinh']})" if known(record.get("so_quyet_dinh")) else ""),
            "section": repair_numbers(f"{record['ten_thu_tuc'].strip()}, dữ liệu thu thập tháng 6-7/2026", numbers),
            "url": record.get("detail_url") or None,
        },
        "last_reviewed": reviewed,
    }
    who = [f"Tên đầy đủ: {record['ten_thu_tuc'].strip()}"]
    who.append(f"Cấp thực hiện: {level}" if level else "Cấp thực hiện: không có thông tin")
    who.append(f"Cơ quan thực hiện: {agency}" if agency else "Cơ quan thực hiện: không có thông tin trong dữ liệu gốc")
    if known(record.get("doi_tuong_thuc_hien")):
        who.append(f"Đối tượng thực hiện: {record['doi_tuong_thuc_hien'].strip()}")
    if known(record.get("linh_vuc")):
        who.append(f"Lĩnh vực: {record['linh_vuc'].strip()}")

    kinds = list(
        dict.fromkeys(
            "trực tuyến (chỉ đăng ký thời gian, địa điểm làm thủ tục)"
            if channel.kind == "Trực tuyến" and BOOKING_ONLY.search(channel.description or "")
            else channel.kind
            for channel in channels
        )
    )
    place = None
    if kinds:
        names = []
        for channel in channels:
            name = CHANNEL_NAMES.get(channel.kind, channel.kind)
            if channel.kind == "Trực tuyến" and BOOKING_ONLY.search(channel.description or ""):
                name = "đăng ký trực tuyến thời gian, địa điểm làm thủ tục, rồi đến nộp trực tiếp"
            names.append(name)
        place = "Có thể nộp hồ sơ " + "; ".join(dict.fromkeys(names)) + "."
    if by_post:
        paid = any("phí" in (c.note or "").lower() for c in all_channels if returns_result_only(c))
        place = (
            (place + " " if place else "")
            + "Có thể nhận kết quả qua dịch vụ bưu chính"
            + (" (trả phí dịch vụ bưu chính)." if paid else ".")
        )
    if override and override.place:
        place = override.place + (" " + place if place else "")

    doc_lines: list[str] = []
    for group in documents:
        if group.case:
            doc_lines.append(f"\n### {group.case.rstrip(':')}")
        doc_lines.extend(f"- {name}" + (f" ({quantity})" if quantity else "") for name, quantity in group.items)

    # An override without "detail" corrects only the summary; the section stays as generated.
    time_text = override.time.get("detail") if override and override.time else None
    fee_text = override.fee.get("detail") if override and override.fee else None
    time_text = time_text or _times(channels)
    parts = [
        _section("Tóm tắt", _summary(selection.title, level, agency, kinds, channels, fees, override, by_post)),
        _section("Cơ quan và cấp thực hiện", _bullets(who)),
        _section("Nơi nộp và cách nộp", place),
        _section("Thời hạn giải quyết", time_text),
        _section("Phí, lệ phí", fee_text or _fees(channels, fees, legal)),
        _section("Thành phần hồ sơ", "\n".join(doc_lines).strip()),
        _section("Trình tự thực hiện", known(record.get("trinh_tu_thuc_hien"))),
        _section("Yêu cầu, điều kiện", known(record.get("yeu_cau_dieu_kien"))),
        _section("Kết quả", _bullets(results) if results else None),
        _section("Căn cứ pháp lý", _bullets([f"{kind} số {number}" for kind, number in legal]) if legal else None),
    ]
    for title, replacement in (override.sections or {}).items() if override else ():
        # "{field}" stands for a field of the record (text the crawl filed under another heading).
        fields = {key: (known(value) or "") for key, value in record.items() if isinstance(value, str)}
        index = next(n for n, part in enumerate(parts) if part.startswith(f"## {title}\n"))
        parts[index] = _section(title, replacement.format_map(fields))
    parts = [repair_numbers(part, numbers) for part in parts]
    body = "\n".join(parts)
    # Abolished units the record still names ("UBND huyện", "thị trấn") are not
    # annotated here: the dialogue adds its one two-level note to any answer
    # showing them (knowledge/local_government.py, dialogue/replier.py).
    header = yaml.dump(front, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n{body}"
