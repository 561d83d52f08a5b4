"""The core faithfulness checks of a generated procedure entry against its record.

Every document number, amount, time limit and agency an entry states must be found in
the record it was generated from; "miễn phí" only where the record charges nothing; no
expired reduction shown as current. ``tests/test_faithfulness.py`` runs these on the
curated entries, and ``knowledge.ingest.catalogue`` on every imported record: a record
whose entry fails one is rejected with the check's name, never shipped with a wrong fact.
"""

from __future__ import annotations

import datetime as dt
import re

from knowledge.entries import Entry
from knowledge.ingest.facts import EXPIRY, amounts, document_numbers, fee_clauses, malformed_numbers, nfc, time_limits
from knowledge.ingest.render import MINISTRIES

# A fee note that says something is charged: the provincial council sets it, a fee rate, a fee circular.
CHARGED = re.compile(r"Hội đồng nhân dân|mức thu|Luật phí và lệ phí|\d+/\d{4}/TT-BTC")


def record_text(record: dict) -> str:
    """Every field of the record, one per line so that fields do not run together."""
    return nfc("\n".join(str(value) for value in record.values() if isinstance(value, str)))


def entry_text(entry: Entry) -> str:
    """What a citizen can be shown: the source line and the body, without our own note."""
    return nfc(f"{entry.source.document}\n{entry.source.section or ''}\n{entry.body}")


def section(entry: Entry, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", entry.body, re.S | re.M)
    return nfc(match.group(1)) if match else ""


def fee_text(record: dict) -> str:
    return nfc(record.get("cach_thuc_thuc_hien") or "").replace("Phí, lệ phí", "")


def document_number_problems(entry: Entry, record: dict, record_words: str | None = None) -> list[str]:
    text = entry_text(entry)
    problems = [f"cut or glued document number {bad}" for bad in malformed_numbers(text)]
    missing = set(document_numbers(text)) - set(document_numbers(record_words or record_text(record)))
    if missing:
        problems.append(f"document numbers not in record {entry.procedure_code}: {sorted(missing)}")
    return problems


def ministry_problems(entry: Entry, record: dict) -> list[str]:
    expected = MINISTRIES.get(record.get("ministry_dir", ""))
    return [] if entry.ministry == expected else [f"ministry {entry.ministry!r}, the record's is {expected!r}"]


def amount_problems(entry: Entry, record: dict, record_words: str | None = None) -> list[str]:
    missing = amounts(entry_text(entry)) - amounts(record_words or record_text(record))
    return [f"amounts not in record {entry.procedure_code}: {sorted(missing)}"] if missing else []


def time_limit_problems(
    entry: Entry, record: dict, allowed: set[tuple[int, str]] = frozenset(), record_words: str | None = None
) -> list[str]:
    """``allowed``: limits a reviewed override takes from a held law (its quotes are checked apart)."""
    missing = time_limits(entry_text(entry)) - time_limits(record_words or record_text(record)) - set(allowed)
    return [f"time limits not in record {entry.procedure_code}: {sorted(missing)}"] if missing else []


def agencies_named(entry: Entry) -> list[str]:
    """The agencies the entry says handle the procedure (summary and agency line)."""
    names: list[str] = []
    summary = section(entry, "Tóm tắt")
    # The summary opens with the title, which may hold " do " itself ("… hết hạn do …").
    opening = f"Thủ tục {entry.title[:1].lower()}{entry.title[1:]}"
    summary = summary[len(opening) :] if summary.startswith(opening) else summary
    match = re.search(r" do (.+?) giải quyết", summary)
    if match:
        names += match.group(1).split(", ")
    line = re.search(r"^- Cơ quan thực hiện: (.+)$", section(entry, "Cơ quan và cấp thực hiện"), re.M)
    if line and "không có thông tin" not in line.group(1):
        names += line.group(1).split(", ")
    return [name.strip() for name in names if name.strip()]


def agency_problems(entry: Entry, record: dict, record_words: str | None = None) -> list[str]:
    text = re.sub(r"\s+", " ", record_words or record_text(record)).lower()  # the portal mixes in no-break spaces
    text = text.replace("uỷ", "ủy")  # both spellings of Ủy ban are the same body
    missing = [name for name in agencies_named(entry) if nfc(name).lower().replace("uỷ", "ủy") not in text]
    return [f"agencies not in record {entry.procedure_code}: {missing}"] if missing else []


def free_problems(entry: Entry, record: dict) -> list[str]:
    """'Miễn phí' is wrong when the record's note states an amount, a fee rate or the provincial council."""
    summary = section(entry, "Tóm tắt").lower()
    if not re.search(r"(?:phí, lệ phí|trực tuyến|trực tiếp|dịch vụ bưu chính): miễn phí", summary):
        return []
    fees = fee_text(record)
    stated = sorted(set(CHARGED.findall(fees))) or sorted(amounts(fees))
    return [f"summary says 'miễn phí' but the record states {stated}"] if stated else []


def expired_fee_problems(entry: Entry, record: dict) -> list[str]:
    """No reduction that ended before the review date is shown; one still in force is in the summary."""
    as_of = entry.last_reviewed
    text = entry_text(entry)
    summary = section(entry, "Tóm tắt")
    clauses = fee_clauses(fee_text(record))
    problems = []
    for clause in clauses:
        match = EXPIRY.search(clause)
        if not match:
            continue
        day, month, year = (int(part) for part in match.groups())
        try:
            ends = dt.date(year, month, day)
        except ValueError:
            problems.append(f"impossible date in a fee note: {match.group(0)}")
            continue
        if ends < as_of:
            others = {a for c in clauses if c != clause for a in amounts(c)}
            expired_only = amounts(clause) - others
            shown = [amount for amount in expired_only if re.search(rf"(?<![\d.]){re.escape(amount)}(?![\d])", text)]
            if shown:
                problems.append(f"expired amounts shown: {shown} ({clause[:80]})")
        elif match.group(0) not in summary:
            problems.append(f"reduction in force not in the summary: {clause[:100]}")
    return problems


def household_book_problems(entry: Entry, record: dict) -> list[str]:
    """The sổ hộ khẩu was valid only until 31/12/2022: a record that still requires it is outdated."""
    documents = section(entry, "Thành phần hồ sơ")
    found = re.search(r"sổ hộ khẩu|phiếu báo thay đổi hộ khẩu", documents, re.I)
    return [f"requires the {found.group(0)}"] if found else []


def presentation_problems(entry: Entry) -> dict[str, list[str]]:
    """Crawl debris an entry still shows (attachment file names, list markers left as bullets,
    a section cut off): not a wrong fact, so reported for the renderer's next fixes, not rejected."""
    found: dict[str, list[str]] = {}
    body = re.sub(r"https?://\S+", "", entry.body)
    names = re.findall(r"\S+\.(?:docx?|pdf|xlsx?)\b", body, re.I)
    if names:
        found["crawl file name in the text"] = names[:3]
    bullets = [line[2:].strip() for line in entry.body.splitlines() if line.startswith("- ")]
    broken = [
        text
        for text in bullets
        if not re.match(r"[\w(“\"]", text) or not re.search(r"\w", re.sub(r"\(\d+ bản [^)]*\)", "", text))
    ]
    if broken:
        found["bullet starting with punctuation or empty"] = [text[:60] for text in broken[:3]]
    for title in ("Thành phần hồ sơ", "Trình tự thực hiện", "Yêu cầu, điều kiện"):
        text = section(entry, title).strip()
        if re.search(r"(?:\(|tại mục)$", text):
            found.setdefault("section cut off", []).append(f"{title}: …{text[-40:]}")
    return found


# name -> check, for the importer's rejection reasons (each a fact checked against the record)
CORE_CHECKS = {
    "document number not in the record": document_number_problems,
    "ministry not the record's": ministry_problems,
    "amount not in the record": amount_problems,
    "time limit not in the record": time_limit_problems,
    "agency not in the record": agency_problems,
    "free although the record charges": free_problems,
    "fee reduction misstated (expired shown, or current left out)": expired_fee_problems,
    "requires the abolished household book (sổ hộ khẩu)": household_book_problems,
}
# The checks that compare text with the record's words (given once, computed once per record).
_TEXT_CHECKS = {document_number_problems, amount_problems, time_limit_problems, agency_problems}


def law_time_limits(override) -> set[tuple[int, str]]:
    """The time limits a reviewed override (overrides.yml) takes from a held law's words."""
    laws = (override.law or {}).values() if override else ()
    return {limit for quotes in laws for quote in quotes for limit in time_limits(quote)}


def problems(entry: Entry, record: dict, override=None) -> dict[str, list[str]]:
    """Every core check that fails, by name, with what it found."""
    words = record_text(record)
    found: dict[str, list[str]] = {}
    for name, check in CORE_CHECKS.items():
        if check is time_limit_problems:
            result = check(entry, record, law_time_limits(override), record_words=words)
        elif check in _TEXT_CHECKS:
            result = check(entry, record, record_words=words)
        else:
            result = check(entry, record)
        if result:
            found[name] = result
    return found
