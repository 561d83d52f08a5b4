"""What the assistant says about legal documents: whether one is in force, and a note
after an answer that cites one since amended, replaced or expired.

Only from the legal registry (``knowledge/legal/registry.yml``): the status with the
quote and source that state it. Where our sources say nothing it says so and points to
the national legal database; it never says "còn hiệu lực", which no source here states.
The sentences are in ``dialogue/texts.yml`` (``legal.*``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dialogue.texts import text
from knowledge.legal.asked import asked_document
from knowledge.legal.registry import LegalDocument, Registry, Relation, Status, find_numbers

SHOWN_QUOTES = 1  # the shortest quote; the registry keeps them all


def _flat(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _others(registry: Registry, relations: list[Relation]) -> str:
    numbers = list(dict.fromkeys(relation.document for relation in relations if relation.document))
    return ", ".join(
        registry[n].citation() if n in registry else text("legal.other_document", number=n) for n in numbers
    )


def _sources(relations: list[Relation]) -> str:
    return "; ".join(dict.fromkeys(relation.source_label for relation in relations))


def _relations(document: LegalDocument) -> list[Relation]:
    return {
        Status.replaced: document.replaced_by,
        Status.expired: document.expired,
        Status.amended: document.amended_by,
    }.get(document.status, [])


def status_clause(registry: Registry, document: LegalDocument) -> str | None:
    """'Nghị định số … đã được sửa đổi, bổ sung bởi … (theo …)'; None for a status our sources do not give."""
    relations = _relations(document)
    if not relations:
        return None
    values = {"document": document.citation(), "others": _others(registry, relations), "sources": _sources(relations)}
    if document.status == Status.replaced:
        return text("legal.replaced_by", **values)
    if document.status == Status.expired:
        return text("legal.expired_under" if values["others"] else "legal.expired", **values)
    return text("legal.amended_by", **values)


def status_note(registry: Registry, numbers: Iterable[str]) -> str | None:
    """The note after an answer that cites an amended, replaced or expired document;
    None when every cited document is in force or its status unknown to our sources."""
    clauses = [
        clause
        for number in dict.fromkeys(numbers)
        if number in registry and (clause := status_clause(registry, registry[number]))
    ]
    return text("legal.note", clauses="; ".join(clauses)) if clauses else None


def note_for_answer(registry: Registry, answer_text: str) -> str | None:
    """``status_note`` for the numbers an answer's text cites."""
    return status_note(registry, find_numbers(answer_text))


def _quote(relation: Relation) -> str:
    where = relation.source_label
    if relation.context and relation.context != relation.evidence:
        where = text("legal.evidence_at", source=where, context=_flat(relation.context))
    return text("legal.evidence_line", quote=_flat(relation.evidence), where=where)


def _describe(document: LegalDocument) -> list[str]:
    unknown = text("legal.no_info")
    return [
        text("legal.heading", document=document.citation()),
        text("legal.title_line", title=_flat(document.title) if document.title else unknown),
        text("legal.issuer_line", issuer=document.issuer or unknown),
        text("legal.date_line", date=document.date or unknown),
    ]


def _status_lines(registry: Registry, document: LegalDocument) -> list[str]:
    database = text("legal.database")
    relations = _relations(document)
    if not relations:
        return [text("legal.unknown_status", no_info=text("legal.no_info"), database=database)]
    lines = [text("legal.status_line", clause=status_clause(registry, document))]
    shown = sorted(relations, key=lambda relation: len(relation.evidence))[:SHOWN_QUOTES]
    lines += [_quote(relation) for relation in shown]
    if document.status == Status.amended:
        lines.append(text("legal.amended_still_applies"))
    lines.append(text("legal.check_latest", database=database))
    return lines


def answer_status(registry: Registry, question: str) -> str | None:
    """The answer to a question about a document's validity; None when the question is
    not one or names no document."""
    asked = asked_document(registry, question)
    if asked is None:
        return None
    if asked.document is None:
        name = LegalDocument(number=asked.number, kind=asked.kind).citation()
        return text(
            "legal.not_in_registry", document=name, no_info=text("legal.no_info"), database=text("legal.database")
        )
    return "\n".join([*_describe(asked.document), *_status_lines(registry, asked.document)])
