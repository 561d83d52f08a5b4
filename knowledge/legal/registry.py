"""The registry of the legal documents our entries cite: number, title, issuer, date and status.

A wrong status stated to a citizen or a civil servant is the worst outcome, so every
status the registry holds is a relation with the quote that says so and where the quote
is (a file, or a portal record); a document no source speaks about stays
``in_force_unknown``. Numbers are normalised so that "NĐ -CP", "nd-cp" and
"Nghị định số 123/2015/NĐ-CP" all find the same entry.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge.ingest.facts import DOCUMENT_TYPES, ISSUERS, document_matches, nfc
from knowledge.text import fold_accents

REGISTRY_PATH = Path(__file__).with_name("registry.yml")

ISSUER_NAMES = {
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "BTC": "Bộ Tài chính",
    "BTP": "Bộ Tư pháp",
    "BCA": "Bộ Công an",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BGTVT": "Bộ Giao thông vận tải",
    "BXD": "Bộ Xây dựng",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BYT": "Bộ Y tế",
    "BCT": "Bộ Công Thương",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "BQP": "Bộ Quốc phòng",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "VPCP": "Văn phòng Chính phủ",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "TANDTC": "Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "BNV": "Bộ Nội vụ",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BNG": "Bộ Ngoại giao",
    "UBDT": "Ủy ban Dân tộc",
    "KTNN": "Kiểm toán nhà nước",
    "BHXH": "Bảo hiểm xã hội Việt Nam",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "TLĐLĐVN": "Tổng Liên đoàn Lao động Việt Nam",
}
# The words a text names a kind of document with, longest first (for regular expressions).
KIND_WORDS = (
    "Bộ luật", "Luật", "Pháp lệnh", "Nghị quyết liên tịch", "Nghị quyết", "Nghị định",
    "Thông tư liên tịch", "Thông tư", "Quyết định", "Chỉ thị",
)  # fmt: skip
KIND_PATTERN = "(?:" + "|".join(KIND_WORDS) + ")"

# ASCII-folded upper case -> the official spelling ("ND" -> "NĐ", "TTG" -> "TTg").
_CANONICAL = {fold_accents(code).upper(): code for code in (*DOCUMENT_TYPES, *ISSUERS)}
_LAW_CODE = re.compile(r"(?:UBTVQH|QH)\d{2}")
# A number as people type it: spaces around the slashes and dashes, any case, no diacritics.
_LOOSE = re.compile(
    r"(?<![\w/.])(\d{1,4}(?:\.\d{1,3})?[a-zđ]?)\s*/\s*(?:((?:19|20)\d\d)\s*/\s*)?"
    r"([a-zđ]{2,7}(?:\d{2})?(?:\s*-\s*[a-zđ0-9]{2,9})*)(?![\w/])",
    re.I,
)
_YEARLESS_TYPES = {"QĐ", "NQ", "CT"}  # decisions, resolutions, directives without a year ("76/NQ-CP")


class Status(str, Enum):
    in_force_unknown = "in_force_unknown"
    amended = "amended"
    replaced = "replaced"
    expired = "expired"


class Relation(BaseModel):
    """One statement of a source about a document: the other document, the quote, where it is."""

    model_config = ConfigDict(extra="forbid")

    document: str | None = None  # the amending / replacing / abolishing document, when the quote names it
    evidence: str = Field(min_length=10)
    source: str  # repository path, "#<procedure code>" for a portal record
    source_label: str  # the source as a reader would cite it, in Vietnamese
    context: str | None = None  # a second quote of the same source that names the subject ("Điều 48 …")


class LegalDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: str
    kind: str | None = None
    title: str | None = None
    title_source: str | None = None
    issuer: str | None = None
    date: str | None = None  # dd/mm/yyyy, the date of issue
    date_evidence: str | None = None
    date_source: str | None = None
    status: Status = Status.in_force_unknown
    amended_by: list[Relation] = Field(default_factory=list)
    replaced_by: list[Relation] = Field(default_factory=list)
    expired: list[Relation] = Field(default_factory=list)

    @model_validator(mode="after")
    def status_follows_relations(self) -> LegalDocument:
        """The status is never stated on its own: it is what the quoted relations say."""
        self.status = status_of(self)
        return self

    def citation(self) -> str:
        """'Nghị định số 123/2015/NĐ-CP', as the documents are named in Vietnamese text."""
        return f"{self.kind or 'Văn bản'} số {self.number}"


Registry = dict[str, LegalDocument]


def status_of(document: LegalDocument) -> Status:
    if document.replaced_by:
        return Status.replaced
    if document.expired:
        return Status.expired
    if document.amended_by:
        return Status.amended
    return Status.in_force_unknown


def _suffix(raw: str, has_year: bool) -> str | None:
    """The canonical code after the year ("nd -cp" -> "NĐ-CP"), or None if it is not a document code."""
    tokens = [token.strip() for token in raw.split("-") if token.strip()]
    folded = [fold_accents(token).upper() for token in tokens]
    if folded and _LAW_CODE.fullmatch(folded[0]):
        return folded[0] if has_year and len(folded) == 1 else None
    kind = _CANONICAL.get(folded[0]) if folded else None
    if kind not in DOCUMENT_TYPES or (not has_year and kind not in _YEARLESS_TYPES):
        return None
    parts = [kind]
    for token in folded[1:]:
        if _LAW_CODE.fullmatch(token):
            parts.append(token)
        elif token in _CANONICAL and _CANONICAL[token] not in DOCUMENT_TYPES:
            parts.append(_CANONICAL[token])
        elif len(parts) > 1 and re.fullmatch(r"[A-Z]{1,3}\d{1,3}", token):
            parts.append(token)  # a department of the issuer: "QĐ-BCA-C06"
        else:
            return None
    if len(parts) == 1 or len(set(parts)) < len(parts):
        return None  # no issuer, or one written twice ("NĐ-CP -CP"): not a code as typed
    if kind == "NQ" and len(parts) == 2 and _LAW_CODE.fullmatch(parts[1]):
        return parts[1]  # "190/2025/NQ-QH15" is the portal's spelling of "190/2025/QH15"
    return "-".join(parts)


def _compose(number: str, year: str | None, suffix: str) -> str:
    number = number.lower()
    if re.fullmatch(r"\d", number):
        number = "0" + number  # official numbers below 10 are written "01"
    return f"{number}/{year}/{suffix}" if year else f"{number}/{suffix}"


def unglued(text: str) -> str:
    """The importer's pattern wants no "." right before a number, but the crawl glues a sentence's
    end to the next number ("…Trung ương.106/2021/TT-BTC"): match on a copy with a space there
    (same length, so the offsets are the text's)."""
    return re.sub(r"(?<=[^\W\d_])\.(?=\d)", " ", text)


def normalise_number(text: str) -> str | None:
    """The canonical number of the first document ``text`` names ("Nghị định số 123/2015/nđ -cp"
    -> "123/2015/NĐ-CP"), or None."""
    found = find_numbers(text)
    return found[0] if found else None


def find_numbers(text: str) -> list[str]:
    """The canonical numbers of the documents ``text`` cites, in order, each once.

    The portal's glued cells are read with the importer's strict pattern; what people type
    (spaces, lower case, no diacritics) with a looser one, where the strict one found nothing.
    """
    text = nfc(text)
    loose: dict[int, tuple[int, str]] = {}
    for match in _LOOSE.finditer(text):
        canonical = _suffix(match.group(3), has_year=match.group(2) is not None)
        if canonical:
            loose[match.start()] = (match.end(), _compose(match.group(1), match.group(2), canonical))
    found: dict[int, str] = {}
    covered: list[tuple[int, int]] = []
    for match in document_matches(unglued(text)):
        number, year, suffix = match.group(1).split("/", 2)
        canonical = _suffix(suffix, has_year=True)
        if not canonical:
            continue
        strict = _compose(number, year, canonical)
        end, typed = loose.get(match.start(1), (match.end(1), strict))
        # "05/2015/TTLT-BTP -BCA-BYT": the strict pattern stops at the space, the loose one does not.
        found[match.start(1)] = typed if typed.startswith(strict) else strict
        covered.append((match.start(1), max(end, match.end(1))))
    for start, (_, number) in loose.items():
        if not any(begin <= start < end for begin, end in covered):
            found[start] = number
    return list(dict.fromkeys(found[start] for start in sorted(found)))


def kind_of(number: str, words_before: str = "") -> str | None:
    """The kind a number's code gives ("NĐ" -> "Nghị định"); for the National Assembly's codes
    (laws and resolutions alike end in "QH15") the kind word written before it, if any."""
    suffix = number.split("/")[-1]
    if _LAW_CODE.fullmatch(suffix):
        kinds = re.findall(KIND_PATTERN, words_before[-60:], re.I)
        return kinds[-1][:1].upper() + kinds[-1][1:].lower() if kinds else None
    return DOCUMENT_TYPES.get(suffix.split("-")[0])


def issuer_of(number: str) -> str | None:
    """The issuing body the code names ("TT-BCA" -> "Bộ Công an"; a joint circular names several)."""
    suffix = number.split("/")[-1]
    if suffix.startswith("UBTVQH"):
        return "Ủy ban Thường vụ Quốc hội"
    if suffix.startswith("QH"):
        return "Quốc hội"
    names = [ISSUER_NAMES[part] for part in suffix.split("-")[1:] if part in ISSUER_NAMES]
    return ", ".join(dict.fromkeys(names)) or None


def year_of(number: str) -> int | None:
    parts = number.split("/")
    return int(parts[1]) if len(parts) == 3 else None


def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: 12k lines in a fraction of the time
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
    documents = [LegalDocument.model_validate(item) for item in data.get("documents", [])]
    return {document.number: document for document in documents}


def lookup(registry: Registry, text_or_number: str) -> LegalDocument | None:
    """The registry's document for the first number ``text_or_number`` cites that it holds."""
    for number in find_numbers(text_or_number):
        if number in registry:
            return registry[number]
    return None
