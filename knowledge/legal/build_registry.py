"""Build ``knowledge/legal/registry.yml`` from the sources kept in the repository.

Documents come from the portal records' legal basis tables (number, title, date), the
legal texts in ``knowledge/sources/legal`` and the programme summary (numbers and dates
only); relations (amended, replaced, expired) only from sentences that say so and name both
documents by number, each kept with its quote and source. Unclear wording gives no relation:
the document then stays ``in_force_unknown``.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.ingest.dichvucong import LEGAL_HEADER
from knowledge.ingest.facts import document_matches, nfc
from knowledge.legal.registry import (
    KIND_PATTERN,
    REGISTRY_PATH,
    LegalDocument,
    Registry,
    Relation,
    find_numbers,
    issuer_of,
    kind_of,
    unglued,
    year_of,
)
from knowledge.settings import REPO_ROOT

RECORDS = REPO_ROOT / "knowledge" / "sources" / "procedures" / "national-all.jsonl.gz"
LEGAL_DIR = REPO_ROOT / "knowledge" / "sources" / "legal"
# Summaries of documents whose text we do not keep (the programme's Resolution 76/NQ-CP): numbers
# and dates only, never a relation.
SUMMARIES = tuple(sorted((REPO_ROOT / "knowledge" / "sources").glob("article-*.txt")))
MAX_EVIDENCE_PER_RELATION = 3

_PASSIVE_AMEND = re.compile(r"(?:được|đã được)(?: bổ sung,)?[^;.()]{0,40}?sửa đổi[^;.()]{0,40}?\s(?:bởi|tại|theo)\s")
_ACTIVE_AMEND = re.compile(r"(?<!được )(?<!nội dung )\b[sS]ửa đổi,? bổ sung\b(?!\s+(?:bởi|tại|theo)\b)")
_PASSIVE_REPLACE = re.compile(r"(?:được|đã được|bị) thay thế(?: bởi| bằng)\s")
_ACTIVE_REPLACE = re.compile(r"(?<!được )(?<!bị )\bthay thế(?: cho)?\s+(?=(?:các\s+)?" + KIND_PATTERN + r")")
_EXPIRE = re.compile(r"\bhết hiệu lực\b")
_THIS = re.compile(KIND_PATTERN + r" này")
_CLAUSE_HEAD = re.compile(r"^\W*(?:\d+\.\s*)?(?:và\s+)?" + KIND_PATTERN + r"\b[^;]{0,80}?\bsố\s", re.I)
_AMENDER_HEAD = re.compile(r"^\s*Điều [\w.]+ (?:của )?" + KIND_PATTERN + r" số \S")
_AND_SAME = re.compile(r"\s+và\s+(" + KIND_PATTERN + r")(?:\s+số)?\s+$")
_OTHER_VERB = re.compile(r"\b(?:bởi|theo|tại|được|sửa đổi|thay thế|bãi bỏ)\b")
_GLUED = re.compile(r"(?<=[^\W\d_])\d{1,4}/(?:19|20)\d\d/")
# What may stand between "sửa đổi, bổ sung" / "thay thế" and the document it acts on.
_GAP = re.compile(
    r"^[\s,]*(?:(?:một số|các)\b[^;\d()]{0,60}?\s(?:của|tại)\s+"
    r"|(?i:Điều|khoản|điểm)\b[^;()]{0,40}?\s(?:(?:của|tại)\s+)?)?"
    r"(?:các\s+)?(?:" + KIND_PATTERN + r")?(?:\s+số)?\s*$",
    re.I,
)
_LIST_HEAD = re.compile(r"^\s*(?:và\s+)?(?:các\s+)?" + KIND_PATTERN + r"(?:\s+số)?\s+\S")
_CONDITION = re.compile(r"\b(?:khi|nếu|trường hợp|chưa|không)\b")
_DATE = re.compile(r"\s*(?:,\s*)?ngày\s+(\d{1,2})(?:/|\s+tháng\s+)(\d{1,2})(?:/|\s+năm\s+)(\d{4})")
_NOTE = re.compile(r"^\(Điều [\w.]+ " + KIND_PATTERN + r" số \S+, có hiệu lực thi hành")
_OWN_NUMBER = re.compile(
    r"^(?:\S+ )?[Ss]ố:\s*(\S+)\s*\|\s*[^,|]+,\s*(ngày [^|]+?)\s*\|"  # "Số: 25/2025/NĐ-CP | Hà Nội, ngày … |"
    r"|^[Ss]ố:\s*(\S+)\s*\n\*?[^,\n]+,\s*(ngày [^*|]+?)\*",  # "Số: 2629/QĐ-TTg" and "*Hà Nội, ngày …*" below
    re.M,
)
# Decisions and resolutions of the Government and ministries carry no year in their number
# ("Quyết định số 319/QĐ-TTg ngày 15/3/2018"): kept where a kind word names them. Provincial
# ones ("…/QĐ-UBND") are left out: every province has its own with the same numbers.
_YEARLESS_KIND = r"(?:Quyết định|Nghị quyết|Chỉ thị)"
_YEARLESS = re.compile(
    r"\b" + _YEARLESS_KIND + r"(?:\s+số)?\s+(\d{1,5}/(?:QĐ|NQ|CT)-(?!UBND|HĐND)[A-ZĐ][A-Za-zĐ]*)(?![\w/-])"
)
# A summary that dates the document it is about: "Ngày 15/7/2021, … ký ban hành Nghị quyết số 76/NQ-CP".
_SIGNED = re.compile(
    r"Ngày (\d{1,2})/(\d{1,2})/(\d{4}),[^.\n]{0,120}?ký ban hành " + _YEARLESS_KIND + r" số "
    r"(\d{1,5}/[A-ZĐ]+-[A-ZĐa-z]+)"
)
_OWN_TITLE = re.compile(r"ban hành (" + KIND_PATTERN + r" [^.*]+)\.")
# Sentences end at ". " before a capital, or where the Pháp điển glued the next heading ("….Điều 15.1.NĐ.49.").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s*(?=Điều \d+\.\d)|(?<=[.!?])\s+(?=[A-ZĐ\d(])")
# "Luật Cán bộ, công chức số 22/2008/QH12": a law's name written before its number.
_LAW_NAME = re.compile(r"\b((?:Bộ luật|Luật) [A-ZĐ][^;:()\d\n]{2,80}?) số (?=\d)")


@dataclass(frozen=True)
class Mention:
    number: str
    start: int
    end: int


@dataclass(frozen=True)
class Found:
    """A relation found in a text: ``subject`` is amended / replaced / expired (by ``other``)."""

    kind: str  # amended_by | replaced_by | expired
    subject: str
    other: str | None
    evidence: str
    uses_self: bool = False  # the sentence names the text's own document only as "<kind> này" or not at all


@dataclass
class Collected:
    """What the sources say about each number, before it becomes the registry."""

    titles: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    title_sources: dict[tuple[str, str], str] = field(default_factory=dict)
    kinds: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    dates: dict[str, dict[str, tuple[str, str]]] = field(default_factory=lambda: defaultdict(dict))
    relations: dict[tuple[str, str, str | None], list[Relation]] = field(default_factory=lambda: defaultdict(list))
    numbers: set[str] = field(default_factory=set)


def mentions(text: str) -> list[Mention]:
    """Every document number in ``text`` with where it is (canonical numbers)."""
    found = []
    for match in document_matches(unglued(text)):
        canonical = find_numbers(match.group(1))
        if canonical:
            found.append(Mention(canonical[0], match.start(1), match.end(1)))
    return found


def same_class(first: str, second: str) -> bool:
    """An amending or replacing document is of the amended one's kind (a circular cannot amend a law):
    a check that keeps a quote about one document from being read as about another."""

    if not second:
        return False

    def cls(number: str) -> str:
        suffix = number.split("/")[-1]
        head = suffix.split("-")[0]
        return "QH" if re.fullmatch(r"(?:UBTVQH|QH)\d\d", suffix) else {"TTLT": "TT"}.get(head, head)

    ordered = (year_of(first) or 0) <= (year_of(second) or 9999)
    return first != second and cls(first) == cls(second) and ordered


def _subject_before(
    clause: str, position: int, self_number: str | None, numbers: list[Mention], row: bool
) -> str | None:
    """Who acts in an active sentence: "<kind> này" is the text's own document, else the last
    number before the verb, else, in a portal row only, the row's code ("Nghị định sửa đổi … của …")."""
    before = [m for m in numbers if m.end <= position]
    if _THIS.search(clause[:position]):
        return self_number
    if before:
        return before[-1].number
    return self_number if row else None


def _objects_after(clause_text: str, clauses: list[str], index: int, start: int) -> list[str]:
    """The document right after the verb, and the heads of the list items that follow ("; Thông tư số …")."""
    first = [m for m in mentions(clause_text) if m.start >= start and m.start - start <= 160]
    if not first or not _GAP.match(clause_text[start : first[0].start]):
        return []
    objects = [first[0].number]
    # "… của Thông tư số A … và Thông tư số B": B too, if it is the very next document named and
    # nothing between says it belongs to another verb ("… được sửa đổi bởi C và D").
    following = [m for m in mentions(clause_text) if m.start > first[0].start]
    if following:
        between = clause_text[first[0].end : following[0].start]
        if _AND_SAME.search(between) and not _OTHER_VERB.search(between):
            if kind_of(following[0].number) == kind_of(first[0].number):
                objects.append(following[0].number)
    for item in clauses[index + 1 :]:
        if not _LIST_HEAD.match(item):
            break
        head = mentions(item)
        if not head or head[0].start > 100:
            break
        objects.append(head[0].number)
    return objects


def relations_in(sentence: str, self_number: str | None, row: bool = False) -> list[Found]:
    """The relations one sentence states, with ``self_number`` the document the sentence belongs to
    (``row``: a title cell of a portal table, whose code is the subject of a sentence without one)."""
    found: list[Found] = []
    clauses = sentence.split(";")
    for index, clause in enumerate(clauses):
        numbers = mentions(clause)
        for match in _PASSIVE_AMEND.finditer(clause):
            before = [m for m in numbers if m.end <= match.start()]
            after = [m for m in numbers if m.start >= match.end() and m.start - match.end() <= 80]
            if before and after:
                found.append(Found("amended_by", before[-1].number, after[0].number, sentence))
                for item in clauses[index + 1 :]:  # "…bởi Điều 1 Nghị định số A …; Điều 4 Nghị định số B …)"
                    more = mentions(item)
                    if not _AMENDER_HEAD.match(item) or not more:
                        break
                    found.append(Found("amended_by", before[-1].number, more[0].number, sentence))
        for match in _PASSIVE_REPLACE.finditer(clause):
            before = [m for m in numbers if m.end <= match.start()]
            after = [m for m in numbers if m.start >= match.end() and m.start - match.end() <= 80]
            if before and after:
                found.append(Found("replaced_by", before[-1].number, after[0].number, sentence))
        for pattern, kind in ((_ACTIVE_AMEND, "amended_by"), (_ACTIVE_REPLACE, "replaced_by")):
            for match in pattern.finditer(clause):
                actor = _subject_before(clause, match.start(), self_number, numbers, row)
                objects = _objects_after(clause, clauses, index, match.end())
                mine = actor == self_number
                found += [Found(kind, target, actor, sentence, mine) for target in objects if actor]
        for match in _EXPIRE.finditer(clause):
            head = _CLAUSE_HEAD.match(clause)
            if not head or not numbers or _CONDITION.search(clause[: match.start()]):
                continue
            by = self_number if _THIS.search(clause[match.end() :]) else None
            found.append(Found("expired", numbers[0].number, by, sentence, by is not None))
    return [item for item in found if item.kind == "expired" or same_class(item.subject, item.other or "")]


def legal_rows(text: str) -> list[tuple[str, str, str]]:
    """(title cell, number of the code cell, the code cell as written) of the portal's flattened legal basis table.

    A code cell ends a row where the next title starts (a capital letter) or the text ends; a
    number glued to the next number is the title's own mention of it ("Nghị định 05/2012/NĐ-CP05/…").
    """
    body = nfc(text)
    start = body.find(LEGAL_HEADER) + len(LEGAL_HEADER) if LEGAL_HEADER in body else 0
    matches = document_matches(unglued(body))
    rows = []
    for index, match in enumerate(matches):
        if match.start(1) < start:
            continue
        following = matches[index + 1] if index + 1 < len(matches) else None
        if following is not None and following.start(1) == match.end(1):
            continue
        after = body[match.end(1) : match.end(1) + 1]
        before = body[match.start(1) - 1 : match.start(1)]
        if after and not after.isupper() and (not before or before in " (“\"'"):
            continue
        numbers = find_numbers(match.group(1))
        if numbers:
            rows.append((body[start : match.start(1)], numbers[0], match.group(1)))
        start = match.end(1)
    return rows


def clean_title(title: str) -> str | None:
    """The title cell without the code cell's leading kind word the crawl glued to it."""
    title = title.strip(" ;,.-")
    title = re.sub(r"(?<=[a-zà-ỹ])" + KIND_PATTERN + r"(?: số)?$", "", title).strip()
    title = re.sub(r"(?<=[A-ZĐÀ-Ỹa-zà-ỹ])Số:?$", "", title).strip()  # the next cell's "Số:" label
    return title if len(title) >= 8 else None


def date_after(text: str, mention: Mention) -> tuple[str, str] | None:
    """The date written right after a number ("… 55/2021/TT-BCA ngày 15 tháng 5 năm 2021"), with its
    quote; only a date of the number's own year (a document is dated the year its number carries),
    any year for a number without one ("319/QĐ-TTg ngày 15/3/2018")."""
    match = _DATE.match(text, mention.end)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    if year != (year_of(mention.number) or year) or not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{day:02d}/{month:02d}/{year}", text[mention.start : match.end()]


def _note(
    collected: Collected, found: Iterable[Found], source: str, label: str, context: str | None, haystack: str
) -> None:
    """Keep each relation with its quote; a quote that is not literally in the source is dropped."""
    for item in found:
        evidence = item.evidence.strip()
        if evidence not in haystack or (item.uses_self and context is None):
            continue
        relation = Relation(
            document=item.other,
            evidence=evidence,
            source=source,
            source_label=label,
            context=context if item.uses_self else None,
        )
        kept = collected.relations[(item.kind, item.subject, item.other)]
        if len(kept) < MAX_EVIDENCE_PER_RELATION and all(r.evidence != relation.evidence for r in kept):
            kept.append(relation)


def _remember(collected: Collected, text: str, source: str) -> None:
    """Numbers, kinds, dates and laws' names a text gives."""
    for mention in mentions(text):
        name = _LAW_NAME.search(text, max(0, mention.start - 90), mention.start + 1)
        if name and name.end() == mention.start and re.fullmatch(r"\d+/\d{4}/(?:UBTVQH|QH)\d\d", mention.number):
            title = clean_title(name.group(1))
            if title and title in text and " này" not in title and "sửa đổi" not in title:
                collected.titles[mention.number][title] += 1
                collected.title_sources.setdefault((mention.number, title), source)
        collected.numbers.add(mention.number)
        kind = kind_of(mention.number, text[max(0, mention.start - 60) : mention.start])
        if kind:
            collected.kinds[mention.number][kind] += 1
        dated = date_after(text, mention)
        if dated:
            collected.dates[mention.number].setdefault(dated[0], (dated[1], source))
    for mention in yearless_mentions(text):
        collected.numbers.add(mention.number)
        collected.kinds[mention.number][kind_of(mention.number) or "Quyết định"] += 1
        dated = date_after(text, mention)
        if dated:
            collected.dates[mention.number].setdefault(dated[0], (dated[1], source))
    for signed in _SIGNED.finditer(text):
        number = find_numbers(signed.group(4))
        if number:
            day, month, year = (int(part) for part in signed.groups()[:3])
            collected.numbers.add(number[0])
            collected.dates[number[0]].setdefault(f"{day:02d}/{month:02d}/{year}", (signed.group(0), source))


def yearless_mentions(text: str) -> list[Mention]:
    """Numbers without a year that a kind word names ("Quyết định số 319/QĐ-TTg")."""
    found = []
    for match in _YEARLESS.finditer(text):
        canonical = find_numbers(match.group(1))
        if canonical and year_of(canonical[0]) is None:
            found.append(Mention(canonical[0], match.start(1), match.end(1)))
    return found


def read_records(path: Path = RECORDS) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        yield from map(json.loads, handle)


def record_source(code: str, path: Path = RECORDS) -> str:
    return f"{path.relative_to(REPO_ROOT)}#{code}"


def collect_records(collected: Collected, records: Iterable[dict]) -> None:
    for record in records:
        code = record["ma_thu_tuc"]
        source = record_source(code)
        label = f"Cổng Dịch vụ công quốc gia, căn cứ pháp lý của thủ tục {code}"
        for number in find_numbers(record.get("so_quyet_dinh") or ""):
            collected.numbers.add(number)
            collected.kinds[number]["Quyết định"] += 1
        table = nfc(record.get("can_cu_phap_ly") or "")
        for name, value in sorted(record.items()):  # fees, forms, results cite documents too
            if isinstance(value, str) and name not in ("source_path", "detail_url"):
                _remember(collected, nfc(value), source)
        for title, number, code in legal_rows(table):
            if not _GLUED.search(title):  # a code cell the split missed: the row is not trusted
                _note(collected, relations_in(title, number, row=True), source, label, f"{title.lstrip()}{code}", table)
            cleaned = clean_title(title)
            if cleaned and cleaned in table:
                collected.titles[number][cleaned] += 1
                collected.title_sources.setdefault((number, cleaned), source)


def _own_number(own: re.Match) -> str:
    return own.group(1) or own.group(3)


def _own_date(own: re.Match) -> str:
    return own.group(2) or own.group(4)


def legal_label(path: Path, text: str) -> str:
    own = _OWN_NUMBER.search(text)
    if own:
        kind = kind_of(_own_number(own), text[: own.start()] + " " + text[own.start() : own.start() + 5]) or "Văn bản"
        return f"{kind} số {find_numbers(_own_number(own))[0]}"
    title = re.search(r"^title:\s*(.+)$", text, re.M)
    return f"Bộ pháp điển, đề mục {title.group(1).strip()}" if title else path.name


def collect_legal(collected: Collected, directory: Path = LEGAL_DIR) -> None:
    """Sentences of the legal texts; the document a sentence belongs to is the file's own (a law,
    a decree) or, in a Pháp điển topic, the one the last "(Điều … số …, có hiệu lực …)" note names."""
    for path in sorted(directory.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        text = nfc(path.read_text(encoding="utf-8"))
        source = str(path.relative_to(REPO_ROOT))
        label = legal_label(path, text)
        _remember(collected, text, source)
        own = _OWN_NUMBER.search(text)
        self_number, context = None, None
        if own:
            self_number, context = find_numbers(_own_number(own))[0], own.group(0).strip()
            _own_document(collected, text, own, self_number, source)
        for line in text.splitlines():
            line = line.strip().strip("*").strip()
            if _NOTE.match(line):
                self_number, context = mentions(line)[0].number, line
            for sentence in _SENTENCE_END.split(line):
                _note(collected, relations_in(sentence, self_number), source, label, context, text)


def _own_document(collected: Collected, text: str, own: re.Match, number: str, source: str) -> None:
    """A whole legal text names itself in its header ("Số: 25/2025/NĐ-CP | Hà Nội, ngày …")."""
    date = _DATE.match(_own_date(own))
    if date and int(date.group(3)) == (year_of(number) or int(date.group(3))):
        day, month, year = (int(part) for part in date.groups())
        collected.dates[number].setdefault(f"{day:02d}/{month:02d}/{year}", (own.group(0).strip(), source))
    title = _OWN_TITLE.search(text)
    if title:
        collected.titles[number][title.group(1)] += 1
        collected.title_sources.setdefault((number, title.group(1)), source)
        collected.kinds[number][re.match(KIND_PATTERN, title.group(1)).group(0)] += 3


def _best_title(number: str, counts: Counter) -> str | None:
    """The title most sources give; one that is only the number ("Luật 51/2019/QH14") is a last resort."""
    if not counts:
        return None
    informative = {title: n for title, n in counts.items() if find_numbers(title) != [number] or len(title) > 40}
    pool = informative or dict(counts)
    return sorted(pool.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0][0]


def assemble(collected: Collected) -> Registry:
    relations: dict[str, dict[str, list[Relation]]] = defaultdict(lambda: defaultdict(list))
    for (kind, subject, _other), kept in sorted(collected.relations.items(), key=lambda item: str(item[0])):
        relations[subject][kind] += kept
        collected.numbers.add(subject)
    registry: Registry = {}
    for number in collected.numbers:
        title = _best_title(number, collected.titles.get(number, Counter()))
        kinds = collected.kinds.get(number, Counter())
        kind = sorted(kinds.items(), key=lambda item: (-item[1], item[0]))[0][0] if kinds else kind_of(number)
        dates = collected.dates.get(number, {})
        date, (date_evidence, date_source) = next(iter(dates.items())) if len(dates) == 1 else (None, (None, None))
        registry[number] = LegalDocument(
            number=number,
            kind=kind,
            title=title,
            title_source=collected.title_sources.get((number, title)) if title else None,
            issuer=issuer_of(number),
            date=date,  # sources that disagree on the date leave it unknown
            date_evidence=date_evidence,
            date_source=date_source,
            **relations.get(number, {}),
        )
    return registry


def sort_key(number: str) -> tuple:
    parts = number.split("/")
    year = int(parts[1]) if len(parts) == 3 else 0
    digits = re.match(r"\d+", parts[0])
    return (parts[-1], year, int(digits.group(0)) if digits else 0, number)


def collect_summaries(collected: Collected, paths: Iterable[Path] = SUMMARIES) -> None:
    for path in paths:
        _remember(collected, nfc(path.read_text(encoding="utf-8")), str(path.relative_to(REPO_ROOT)))


def build(records: Path = RECORDS, legal_dir: Path = LEGAL_DIR) -> Registry:
    collected = Collected()
    collect_records(collected, read_records(records))
    collect_legal(collected, legal_dir)
    collect_summaries(collected)
    return assemble(collected)


HEADER = """\
# Generated by `python -m knowledge legal-registry` (knowledge/legal/build_registry.py): do not edit by hand.
# Sources: knowledge/sources/procedures/national-all.jsonl.gz (legal basis tables), knowledge/sources/legal/*.md.
# Every status is a relation with its quote (evidence) and where it is (source); no quote, no status:
# in_force_unknown means our sources do not say (chưa có thông tin trong nguồn), not that it is in force.
"""


def write(registry: Registry, path: Path = REGISTRY_PATH) -> None:
    documents = [
        registry[number].model_dump(mode="json", exclude_none=True, exclude_defaults=False)
        for number in sorted(registry, key=sort_key)
    ]
    for document in documents:
        for key in ("amended_by", "replaced_by", "expired"):
            if not document[key]:
                del document[key]
    text = yaml.safe_dump({"documents": documents}, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(HEADER + text, encoding="utf-8")


def counts(registry: Registry) -> dict[str, int]:
    documents = list(registry.values())
    return {
        "documents": len(documents),
        "with title": sum(1 for d in documents if d.title),
        "with date": sum(1 for d in documents if d.date),
        "amended": sum(1 for d in documents if d.status == "amended"),
        "replaced": sum(1 for d in documents if d.status == "replaced"),
        "expired": sum(1 for d in documents if d.status == "expired"),
    }
