"""The texts a hand-written FAQ or programme entry may take its figures from.

Generated procedure entries are checked against the one record they come from
(``faithfulness.py``). A hand-written entry cites a legal document, the programme
summary or portal procedures by code; every figure and date it states must be found
in the kept copy of what it cites (``knowledge/sources``), or in the few facts the
project's own brief gives (``knowledge/sources/givens.md``). An entry whose source the
repository does not hold may state no figure at all.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache

from knowledge.entries import Entry
from knowledge.ingest.facts import document_numbers, nfc
from knowledge.ingest.faithfulness import record_text
from knowledge.ingest.procedures import CITED_RECORDS
from knowledge.legal.build_registry import LEGAL_DIR, RECORDS, SUMMARIES

GIVENS = LEGAL_DIR.parent / "givens.md"
RECORD_FILES = (RECORDS, CITED_RECORDS)
# Numbers without a year ("76/NQ-CP") as well as full ones ("63/2010/NĐ-CP").
_CITED_NUMBER = re.compile(r"\d+(?:/\d{4})?/[A-ZĐ]+(?:-[A-ZĐ]+)*")
_PROCEDURE_CODE = re.compile(r"(?<![\d.])\d\.\d{6}(?!\d)")
# A figure: a number, a percentage or a date ("95%", "50.000", "01/7/2025", "2021 - 2030").
_FIGURE = re.compile(r"(?<![\w/.,])\d+(?:/\d+){0,2}(?:,\d+)?(?:\s?%)?(?![\w/])")
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_LEADING_ZERO = re.compile(r"(?<!\d)0(\d)(?=/)")
_WORDED_DATE = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")


def normalise(text: str) -> str:
    """One spelling of a figure: "50,000" and "50.000" -> "50000", "ngày 01 tháng 7 năm
    2025" and "01/7/2025" -> "1/7/2025"."""
    text = _WORDED_DATE.sub(lambda m: f"{int(m.group(1))}/{int(m.group(2))}/{m.group(3)}", nfc(text))
    return _LEADING_ZERO.sub(r"\1", _THOUSANDS.sub("", text))


@dataclass(frozen=True)
class KeptText:
    name: str
    raw: str  # to find which documents it holds
    figures: str  # normalised, to find figures in


def _kept(name: str, raw: str) -> KeptText:
    raw = nfc(raw)
    return KeptText(name, raw, normalise(raw))


@cache
def legal_texts() -> tuple[KeptText, ...]:
    paths = [*(path for path in sorted(LEGAL_DIR.glob("*.md")) if path.name.lower() != "readme.md"), *SUMMARIES]
    return tuple(_kept(path.name, path.read_text(encoding="utf-8")) for path in paths)


@cache
def givens() -> KeptText:
    return _kept(GIVENS.name, GIVENS.read_text(encoding="utf-8"))


@cache
def records() -> dict[str, KeptText]:
    kept: dict[str, KeptText] = {}
    for path in RECORD_FILES:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for record in map(json.loads, handle):
                kept[record["ma_thu_tuc"]] = _kept(record["ma_thu_tuc"], record_text(record))
    return kept


def cited_numbers(text: str) -> set[str]:
    return set(document_numbers(text)) | set(_CITED_NUMBER.findall(text))


def sources_of(entry: Entry) -> list[KeptText]:
    """The kept texts of what the entry cites: legal texts holding a document number its
    source line names, and the records of the procedure codes it names anywhere."""
    cited = nfc(f"{entry.source.document or ''}\n{entry.source.section or ''}")
    numbers = cited_numbers(cited)
    legal = [kept for kept in legal_texts() if any(number in kept.raw for number in numbers)]
    codes = dict.fromkeys(_PROCEDURE_CODE.findall(f"{cited}\n{entry.body}"))
    return legal + [records()[code] for code in codes if code in records()]


def stated_figures(entry: Entry) -> set[str]:
    """The figures of the body, document numbers and procedure codes set aside."""
    body = nfc(entry.body)
    for number in sorted(cited_numbers(body), key=len, reverse=True):
        body = body.replace(number, " ")
    body = normalise(_PROCEDURE_CODE.sub(" ", body))
    return {match.group(0) for match in _FIGURE.finditer(body)}


def _found(figure: str, texts: list[KeptText]) -> bool:
    pattern = re.escape(figure).replace(r"\ ", r"\s?")
    if re.fullmatch(r"(?:19|20)\d\d", figure):  # a year may stand inside a document number
        found = re.compile(rf"(?<!\d){pattern}(?!\d)")
    else:
        found = re.compile(rf"(?<![\d/.,]){pattern}(?![\d/]|[.,]\d)")
    return any(found.search(text.figures) for text in texts)


def untraced_figures(entry: Entry) -> list[str]:
    """Figures the entry states that no kept source of it holds."""
    texts = [*sources_of(entry), givens()]
    return sorted(figure for figure in stated_figures(entry) if not _found(figure, texts))
