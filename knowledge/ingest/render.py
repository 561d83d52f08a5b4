"""Render a national portal procedure record as a knowledge-base entry (Markdown).

The generated files are ordinary content files: admins may edit them, and
``python -m knowledge import-procedures`` regenerates them from the records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from knowledge.ingest.dichvucong import (
    known,
    parse_channels,
    parse_documents,
    parse_legal_basis,
    parse_results,
)

UNKNOWN = "Dữ liệu gốc trên Cổng Dịch vụ công quốc gia không ghi thông tin này."
PORTAL = "Cổng Dịch vụ công quốc gia"
TWO_LEVEL_NOTE = (
    "Lưu ý: dữ liệu gốc của thủ tục này còn nhắc tới cấp huyện. Từ ngày 01/7/2025, chính quyền địa phương "
    "chỉ còn hai cấp (tỉnh và xã), không còn cấp huyện; bạn hãy liên hệ cơ quan cấp xã hoặc cấp tỉnh nơi cư trú "
    "để được hướng dẫn nơi nộp hồ sơ."
)
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


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _section(title: str, text: str | None) -> str:
    return f"## {title}\n{text.strip() if text and text.strip() else UNKNOWN}\n"


def _per_channel(channels, attribute: str) -> str | None:
    """One line per channel for the time or the fee; None when no channel gives it."""
    with_notes = attribute == "fee"
    if not any(getattr(c, attribute) or (with_notes and c.note) for c in channels):
        return None
    lines = []
    for channel in channels:
        line = f"{channel.kind}: {getattr(channel, attribute) or 'không có thông tin'}"
        if with_notes and channel.note:
            line += f" ({channel.note})"
        lines.append(line)
    return _bullets(list(dict.fromkeys(lines)))


def _summary(title: str, level: str | None, agency: str | None, kinds: list[str], channels) -> str:
    """A short overview passage: what general questions about the procedure need first."""
    sentences = [f"Thủ tục {title[0].lower() + title[1:]}"]
    sentences[0] += f" do {agency} giải quyết" if agency else ""
    sentences[0] += f" ({level.lower()})." if level else "."
    if kinds:
        sentences.append("Hình thức nộp: " + ", ".join(kind.lower() for kind in kinds) + ".")
    times = list(dict.fromkeys(c.time for c in channels if c.time))
    if times:
        sentences.append("Thời hạn giải quyết: " + "; ".join(times) + ".")
    fees = list(dict.fromkeys(c.fee for c in channels if c.fee))
    if fees:
        sentences.append("Phí, lệ phí: " + "; ".join(fees) + " (chi tiết ở mục Phí, lệ phí).")
    return " ".join(sentences)


def render_procedure(record: dict, selection: Selection, reviewed: dt.date) -> str:
    channels = parse_channels(record.get("cach_thuc_thuc_hien", ""))
    documents = parse_documents(record.get("thanh_phan_ho_so", ""))
    legal = parse_legal_basis(record.get("can_cu_phap_ly", ""))
    results = parse_results(record.get("ket_qua_xu_ly", ""))
    level = known(record.get("cap_thuc_hien"))
    agency = known(record.get("co_quan_thuc_hien")) or known(record.get("co_quan_co_tham_quyen"))

    front = {
        "id": selection.id,
        "title": selection.title,
        "type": "procedure",
        "audience": "citizen",
        "aliases": selection.aliases,
        "procedure_code": selection.code,
        "level": level,
        "source": {
            "document": f"Thủ tục hành chính mã {selection.code} trên {PORTAL}"
            + (f" (công bố tại Quyết định số {record['so_quyet_dinh']})" if known(record.get("so_quyet_dinh")) else ""),
            "section": f"{record['ten_thu_tuc'].strip()}, dữ liệu thu thập tháng 6-7/2026",
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

    kinds = list(dict.fromkeys(channel.kind for channel in channels))
    place = None
    if kinds:
        place = "Có thể nộp hồ sơ " + "; ".join(CHANNEL_NAMES.get(kind, kind) for kind in kinds) + "."

    doc_lines: list[str] = []
    for group in documents:
        if group.case:
            doc_lines.append(f"\n### {group.case.rstrip(':')}")
        doc_lines.extend(f"- {name}" + (f" ({quantity})" if quantity else "") for name, quantity in group.items)

    parts = [
        _section("Tóm tắt", _summary(selection.title, level, agency, kinds, channels)),
        _section("Cơ quan và cấp thực hiện", _bullets(who)),
        _section("Nơi nộp và cách nộp", place),
        _section("Thời hạn giải quyết", _per_channel(channels, "time")),
        _section("Phí, lệ phí", _per_channel(channels, "fee")),
        _section("Thành phần hồ sơ", "\n".join(doc_lines).strip()),
        _section("Trình tự thực hiện", known(record.get("trinh_tu_thuc_hien"))),
        _section("Yêu cầu, điều kiện", known(record.get("yeu_cau_dieu_kien"))),
        _section("Kết quả", _bullets(results) if results else None),
        _section("Căn cứ pháp lý", _bullets([f"{title} ({code})" for title, code in legal]) if legal else None),
    ]
    body = "\n".join(parts)
    if "huyện" in body.lower():
        parts.insert(1, _section("Lưu ý về chính quyền hai cấp", TWO_LEVEL_NOTE))
        body = "\n".join(parts)
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n{body}"
