"""Recognise the facts an entry carries over from its sources: document numbers, amounts, time limits.

The importer uses these to show only numbers that are real and complete, and the
faithfulness tests use them to check that every fact in an entry is found in its
record. A Vietnamese document number is "<number>/<year>/<type>-<issuer>[-<issuer>…]"
(``123/2015/NĐ-CP``, ``05/2015/TTLT-BTP-BCA-BYT``) or "<number>/<year>/QH<term>" for
a law; the crawled records glue them to the text around them ("Luật Hộ tịch60/2014/QH13",
"...QH1360/2014/QH13Thông tư"), so the issuers are matched from a closed list rather
than "any capitals".
"""

from __future__ import annotations

import re
import unicodedata

DOCUMENT_TYPES = {
    "TTLT": "Thông tư liên tịch",
    "TT": "Thông tư",
    "NĐ": "Nghị định",
    "NQLT": "Nghị quyết liên tịch",
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "PL": "Pháp lệnh",
}
ISSUERS = (
    "CP", "TTg", "BTC", "BTP", "BCA", "BNNMT", "BNNPTNT", "BGTVT", "BXD", "NHNN", "BTNMT", "BKHĐT", "BYT",
    "BCT", "BLĐTBXH", "UBND", "HĐND", "BQP", "BVHTTDL", "VPCP", "BKHCN", "TANDTC", "VKSNDTC", "BNV", "BGDĐT",
    "BTTTT", "BNG", "UBDT", "KTNN", "BHXH", "MTTQVN", "TLĐLĐVN",
)  # fmt: skip
_ISSUER = "(?:" + "|".join(sorted(ISSUERS, key=len, reverse=True)) + r"|(?:UBTVQH|QH)\d{2})"
_TYPE = "(?:" + "|".join(sorted(DOCUMENT_TYPES, key=len, reverse=True)) + ")"
_SUFFIX = rf"(?:(?:UBTVQH|QH)\d{{2}}|{_TYPE}(?:-{_ISSUER})+)"
# A number stands alone, or right after a law code or a year it was glued to
# ("QH13" + "60/2014/QH13", "Luật Cư trú 2020" + "68/2020/QH14").
_BEFORE = r"(?:(?<![\d.,/])|(?<=QH\d\d)|(?<=[^\d](?:19|20)\d\d))"
# After the code: the end, a non-digit that does not continue the code ("-Quy định" does,
# "-B" cut from "-BLĐTBXH" does not), or the next number glued on.
_AFTER = r"(?=$|[^\d\-]|-(?![A-ZĐ]+(?![a-zà-ỹđ]))|\d{1,4}(?:\.\w{1,3})?/\d{4}/)"
DOCUMENT_NUMBER = re.compile(rf"{_BEFORE}(\d{{1,4}}(?:\.\d{{1,3}}|\.?[a-zđ])?/(?:19|20)\d\d/{_SUFFIX}){_AFTER}")
# Anything that looks like the start of a document number, well-formed or not.
# (Form codes such as "02/2025/LLTP" are not document numbers.)
LOOSE_DOCUMENT_NUMBER = re.compile(
    r"\d+(?:\.\w+|[a-z])?/(?:19|20)\d\d/(?:TTLT|TT|NĐ|ND|NQ|QĐ|QD|CT|PL|UBTVQH|QH)(?:[A-ZĐ0-9](?![a-zà-ỹđ])|-|(?<=TT)g)*"
)

AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:Việt Nam Đồng|đồng|Đồng|VNĐ|đ\b|USD)", re.I)
# Glued cells ("7 Ngày làm việcKhông có thông tin") end a unit before a capital letter.
TIME_LIMIT = re.compile(r"(?<![\d/])(\d{1,3})\s*((?i:ngày làm việc|giờ làm việc|ngày|giờ|tháng|năm))(?![a-zà-ỹđ/])")
EXPIRY = re.compile(r"đến (?:hết )?ngày (\d{1,2})/(\d{1,2})/(\d{4})")


def nfc(text: str) -> str:
    """Records and entries mix composed and decomposed diacritics; compare them composed."""
    return unicodedata.normalize("NFC", text)


# Every document number has "/<year>/" at most 9 characters after its start: the regular
# expression is only tried there (what ``DOCUMENT_NUMBER.finditer`` finds, several times faster
# on long records, which the catalogue import reads thousands of).
_YEAR = re.compile(r"/(?=(?:19|20)\d\d/)")
_LONGEST_HEAD = 10


def document_matches(text: str) -> list[re.Match[str]]:
    """The matches of ``DOCUMENT_NUMBER`` in ``text``, as ``finditer`` gives them."""
    matches: list[re.Match[str]] = []
    last_end = 0
    for anchor in _YEAR.finditer(text):
        if anchor.start() < last_end:
            continue
        for start in range(max(last_end, anchor.start() - _LONGEST_HEAD), anchor.start()):
            match = DOCUMENT_NUMBER.match(text, start)
            if match:
                matches.append(match)
                last_end = match.end()
                break
    return matches


def document_numbers(text: str) -> list[str]:
    """The well-formed document numbers in ``text``, in order, each once."""
    return list(dict.fromkeys(match.group(1) for match in document_matches(nfc(text))))


def malformed_numbers(text: str) -> list[str]:
    """Number-like tokens that are not a complete document number (cut, or glued to more code)."""
    text = nfc(text)
    if not _YEAR.search(text):  # every number-like token has "/<year>/"
        return []
    good = {m.start(1): m.end(1) for m in document_matches(text)}
    bad = []
    for match in LOOSE_DOCUMENT_NUMBER.finditer(text):
        end = good.get(match.start())
        tail = text[end : match.end()] if end is not None else ""
        if end is None or tail[:1] == "-" or tail[:1].isdigit():
            bad.append(match.group(0))
    return bad


def normalise_amount(raw: str) -> str:
    """'70,000' and '70.000' are the same amount."""
    return raw.replace(",", ".")


# The currency words of AMOUNT, matched in the lower-cased text (faster than ignoring case).
_CURRENCY = re.compile(r"việt nam đồng|đồng|vnđ|đ\b|usd")
_NUMBER_CHARS = frozenset("0123456789.,")
_DIGITS = frozenset("0123456789")


def _matches_before(
    text: str, pattern: re.Pattern[str], anchors: re.Pattern[str], digits: frozenset[str], longest: int
) -> list[re.Match[str]]:
    """The matches of ``pattern`` in ``text``, as ``finditer`` gives them, tried only
    where a run of ``digits`` before an ``anchors`` word starts, if it is at most
    ``longest`` long: several times faster on long records."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: no shortcut
        return list(pattern.finditer(text))
    matches = []
    for anchor in anchors.finditer(lowered):
        end = anchor.start()
        while end > 0 and text[end - 1].isspace():
            end -= 1
        start = end
        while start > 0 and text[start - 1] in digits and end - start <= longest:
            start -= 1
        if 1 <= end - start <= longest and (match := pattern.match(text, start)):
            matches.append(match)
    return matches


def amount_matches(text: str) -> list[re.Match[str]]:
    """The matches of ``AMOUNT`` in ``text``: digits before a currency word."""
    return _matches_before(text, AMOUNT, _CURRENCY, _NUMBER_CHARS, len(text))


def amounts(text: str) -> set[str]:
    """Money amounts in ``text`` (digits only, thousands with dots)."""
    return {normalise_amount(match.group(1)) for match in amount_matches(nfc(text))}


_TIME_UNIT = re.compile(r"ngày làm việc|giờ làm việc|ngày|giờ|tháng|năm")


def time_limit_matches(text: str) -> list[re.Match[str]]:
    """The matches of ``TIME_LIMIT`` in ``text``: one to three digits before a unit word."""
    return _matches_before(text, TIME_LIMIT, _TIME_UNIT, _DIGITS, 3)


def time_limits(text: str) -> set[tuple[int, str]]:
    """(number, unit) pairs such as (7, 'ngày làm việc'); leading zeros do not matter."""
    return {(int(m.group(1)), m.group(2).lower()) for m in time_limit_matches(nfc(text))}


_CLAUSE_BREAK = re.compile(r"\n|(?<=[.;)])\s*(?=[-+]?\s*[A-ZĐ])|\(\s*[-+]\s+|\s[-+]\s+(?=[A-ZĐ])")


def fee_clauses(text: str) -> list[str]:
    """The sentences and list items of a fee note, each with its own amounts and dates."""
    clauses = (clause.strip(" -+;()\t") for clause in _CLAUSE_BREAK.split(nfc(text)))
    return [clause for clause in clauses if clause]


def repair_numbers(text: str, known: list[str]) -> str:
    """Complete cut document numbers from the record's own complete ones, or say they are cut.

    "Thông tư số 66/2023/TT-" becomes "66/2023/TT-BCA" when the record cites exactly one
    number starting so; otherwise the broken number is not shown as if it were one.
    """
    text = nfc(text)

    def fix(match: re.Match) -> str:
        return _completed(match.group(1), known) + (" " if match.group(2).isalpha() else "")

    for token in sorted(set(malformed_numbers(text)), key=len, reverse=True):
        text = re.sub(rf"(?<![\d.])({re.escape(token)})(?![A-ZĐ0-9](?![a-zà-ỹđ]))(?=(\w?))", fix, text)
    return text


def _completed(token: str, known: list[str]) -> str:
    """The one complete number of the record that the cut ``token`` starts, or the token marked as cut."""
    head = re.match(r"[^/]+/\d{4}/[A-ZĐ]+", token)
    candidates = {n for n in known if n.startswith(head.group(0))} if head else set()
    if len(candidates) == 1:
        return candidates.pop()
    return token.split("/")[0] + "/" + token.split("/")[1] + " (số hiệu không đầy đủ trong dữ liệu gốc)"
