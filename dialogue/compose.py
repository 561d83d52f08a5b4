"""How an answer is put together: cut to a short version, cited, offered more."""

from __future__ import annotations

from core.settings import Contact
from dialogue.contract import ButtonKind, Intent, build_payload
from dialogue.messages import Button, Message
from dialogue.texts import text
from knowledge.details import DetailKind, detail_kind

SHORT_ANSWER_CHARS = 600


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
