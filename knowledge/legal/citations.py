"""Check the documents the entries cite against the registry (the answers' notes about them
are the dialogue's: ``dialogue/legal_status.py``).

A citation of a document the registry does not hold is only a warning (the registry knows
what our sources know, not every law). A citation of a document our sources say was
replaced is an error unless the entry itself says so: the entry would otherwise send a
citizen to a text that no longer applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.entries import Entry
from knowledge.ingest.facts import nfc
from knowledge.legal.registry import LegalDocument, Registry, Status, find_numbers

REPLACED_NOTE = "đã được thay thế"


@dataclass(frozen=True)
class Finding:
    entry_id: str
    number: str
    message: str

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.number}: {self.message}"


def cited_text(entry: Entry) -> str:
    """What an entry cites: its source line and its body."""
    return nfc(f"{entry.source.document}\n{entry.source.section or ''}\n{entry.body}")


def replacement_noted(entry: Entry, document: LegalDocument) -> bool:
    """The entry names a replacing document anywhere, or has a line that says this document
    "đã được thay thế" (a note about another document does not count)."""
    text = cited_text(entry)
    replacing = {relation.document for relation in document.replaced_by if relation.document}
    if replacing & set(find_numbers(text)):
        return True
    return any(REPLACED_NOTE in line.lower() and document.number in find_numbers(line) for line in text.splitlines())


def check_entries(entries: Iterable[Entry], registry: Registry) -> tuple[list[Finding], list[Finding]]:
    """(warnings, errors): a warning per cited number the registry does not hold, an error per
    citation of a replaced document the entry does not say is replaced."""
    warnings: list[Finding] = []
    errors: list[Finding] = []
    for entry in entries:
        for number in find_numbers(cited_text(entry)):
            document = registry.get(number)
            if document is None:
                warnings.append(Finding(entry.id, number, "not in the legal registry"))
            elif document.status == Status.replaced and not replacement_noted(entry, document):
                by = ", ".join(sorted({r.document for r in document.replaced_by if r.document})) or "?"
                errors.append(Finding(entry.id, number, f"cites a replaced document (replaced by {by}) without a note"))
    return warnings, errors
