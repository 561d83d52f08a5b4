"""How an answer is put together: cut to a short version, cited, offered more."""

from __future__ import annotations

import re

from core.settings import Contact
from dialogue.contract import ButtonKind, Intent, build_payload
from dialogue.messages import Button, Message
from dialogue.texts import text
from knowledge.details import DetailKind, detail_kind

SHORT_ANSWER_CHARS = 600
# Bullets about a special case ("Trường hợp trẻ em bị bỏ rơi …"): listed after
# what everyone needs, so the short version shows the common papers first.
_SPECIAL_CASE = re.compile(r"^- (Ví dụ: )?(Trường hợp|Nếu|Đối với|Riêng)\b")


def shorten(body: str, limit: int = SHORT_ANSWER_CHARS) -> str:
    """Cut at the last sentence or line end before ``limit`` characters."""
    if len(body) <= limit:
        return body
    window = body[:limit]
    cut = max(window.rfind(". "), window.rfind(";\n"), window.rfind(".\n"), window.rfind("\n"))
    if cut < limit // 3:
        cut = window.rfind(" ")
    return body[: cut + 1].rstrip() + " …"


def contact_sentence(contact: Contact) -> str:
    return text("answer.contact", office=contact.office, phone=contact.phone, hours=contact.hours)


def format_citation(citation: str, url: str | None) -> str:
    """ "Căn cứ: <document, article/section>." and the source link when there is one."""
    cited = text("answer.citation", citation=citation)
    return f"{cited} {text('answer.source', url=url)}" if url else cited


def passage_citation(passage: dict) -> str:
    return format_citation(passage["citation"], passage.get("url"))


def kinds(codes: tuple[str, ...]) -> list[DetailKind]:
    return [kind for code in codes if (kind := detail_kind(code)) is not None]


def section_button(kind: DetailKind) -> Button:
    return Button(
        text(f"detail_labels.{kind.code}"),
        build_payload(Intent.ask_procedure_detail, detail=kind.code),
        ButtonKind.section,
    )


def answer_message(body: str, offer: list[Button]) -> Message:
    """An answer ends with the offer of more detail, as buttons."""
    return Message(f"{body}\n\n{text('answer.offer')}" if offer else body, offer)


def common_first(body: str) -> str:
    """Within each run of bullets, the ones everyone needs first and the special
    cases after them under their own label (documents sections)."""
    lines = body.split("\n")
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        common = [line for line in run if not _SPECIAL_CASE.match(line)]
        special = [line for line in run if _SPECIAL_CASE.match(line)]
        out.extend(common)
        if common and special:
            out.append(text("answer.special_cases"))
        out.extend(special)
        run.clear()

    for line in lines:
        if line.startswith("- "):
            run.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


_AGENCY = re.compile(r"^- Cơ quan thực hiện: (.+)$", re.MULTILINE)
_LEVEL = re.compile(r"^- Cấp thực hiện: (.+)$", re.MULTILINE)


def where_done(agency_section: str) -> str | None:
    """ "Cơ quan giải quyết: Công an cấp xã (cấp xã)." from the entry's agency
    section, to lead an answer about where to apply; None when it says neither."""
    agency, level = _AGENCY.search(agency_section), _LEVEL.search(agency_section)
    if agency is None:
        return None
    level_text = level.group(1).strip().rstrip(".").lower() if level else ""
    return text("answer.where_done", agency=agency.group(1).strip().rstrip("."), level=level_text).replace(" ()", "")
