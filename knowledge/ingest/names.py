"""Plain titles and aliases of imported procedures, generated from the portal's official names.

The official name carries bureaucratic wrapping people never type ("Thủ tục …",
"(thực hiện tại cấp tỉnh)", "… theo Nghị định số …"): the plain title drops it and
keeps what tells procedures apart ("có yếu tố nước ngoài", "lưu động", "cấp lại").
Aliases add the name of each action of a combined procedure ("Cấp, cấp lại Giấy
phép X" → "cấp giấy phép X", "cấp lại giấy phép X") and the common names people use
for official words, from a small reviewed rules file (``alias_rules.yml``: "giấy phép
lái xe" → "bằng lái xe"). Nothing here is typed per procedure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from knowledge.ingest.facts import nfc
from knowledge.settings import REPO_ROOT
from knowledge.text import fold_accents

ALIAS_RULES = REPO_ROOT / "knowledge" / "sources" / "procedures" / "alias_rules.yml"

# "Thủ tục đăng ký khai sinh" → "đăng ký khai sinh"; "Thủ tục hải quan …" is the procedure's name.
_PROCEDURE_WORD = re.compile(r"^\s*thủ tục\s+(?!hải quan\b)", re.I)
# Where it is done: the level field says it ("(thực hiện tại cấp tỉnh)", "(cấp Bộ)", "(cấp xã)").
_LEVEL_NOTE = re.compile(
    r"\s*\(\s*(?:thực hiện (?:tại|ở) )?(?:cấp (?:trung ương|bộ|tỉnh|huyện|xã)(?:,\s*|\s+và\s+|\s+hoặc\s+)?)+\s*\)",
    re.I,
)
# "(thay thế - cấp Bộ)", "(1.010737)": notes of the portal's editors, not of the name.
_EDITOR_NOTE = re.compile(r"\s*\((?:[^()]{0,30}\s)?cấp (?:trung ương|bộ|tỉnh|huyện|xã)\)|\s*\(\d\.\d{6}\)", re.I)
# "… thực hiện bằng dịch vụ công (trực tuyến) một phần hoặc trực tiếp thực hiện tại cấp trung ương, cấp tỉnh, cấp xã"
_CHANNEL_AND_LEVEL_TAIL = re.compile(
    r"\s+(?:thực hiện\s+)?bằng dịch vụ công\b.*$|\s+(?:trực tiếp\s+)?thực hiện tại cấp\b.*$", re.I
)
# Trailing legal references: "… theo quy định tại Nghị định số …", "… tại Nghị quyết số 30a/2008/NQ-CP …".
_LEGAL_TAIL = re.compile(
    r"\s*,?\s+(?:theo|tại)\s+(?:quy định (?:tại|của)\s+)?(?:(?:Điều|khoản|điểm)\s+\d+\w*\s+(?:của\s+)?)*"
    r"(?:Luật|Bộ luật|Nghị định|Thông tư|Nghị quyết|Quyết định|Pháp lệnh)\b.*$"
    r"|\s+theo quy định(?: của (?:pháp luật|Chính phủ))?\s*$",
    re.I,
)
# A parenthesis this long explains rather than names (the list of works a building permit covers).
MAX_QUALIFIER_WORDS = 12
_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")
# Actions a combined procedure lists before its object ("Cấp, cấp lại, điều chỉnh Giấy phép …").
ACTIONS = (
    "cấp mới", "cấp lại", "cấp đổi", "cấp", "đổi", "điều chỉnh", "gia hạn", "sửa đổi", "bổ sung", "thu hồi",
    "đăng ký lại", "đăng ký", "thay đổi", "chấm dứt", "công nhận", "thẩm định", "phê duyệt", "chấp thuận",
    "xác nhận", "chuyển đổi", "hủy", "huỷ", "xóa", "xoá", "tạm ngừng", "đình chỉ", "khôi phục", "miễn", "giảm",
)  # fmt: skip
_ACTION = "(?:" + "|".join(sorted(map(re.escape, ACTIONS), key=len, reverse=True)) + ")"
_ACTION_LIST = re.compile(
    rf"^(?P<actions>{_ACTION}(?:\s*,\s*{_ACTION})*(?:\s*,?\s+(?:và|hoặc)\s+{_ACTION}|\s*,\s*{_ACTION}))\s+(?P<object>\S.*)$",
    re.I,
)
_WORD_RUN = re.compile(r"\w+")
# Where the name of what is done ends and its qualifiers begin: "Chứng thực chữ ký | trong các giấy tờ".
# Not at "," (a list: "khảo sát, đánh giá"), nor at short words that also sit inside words ("chứng từ").
_QUALIFIER_START = re.compile(
    r"\s*[;(]|\s+(?:cho|đối với|trong các|trong trường hợp|trường hợp|của|tại|theo|thuộc)\s", re.I
)
# A head that ends on one of these was cut inside a phrase ("… hành nghề công chứng sau").
_DANGLING = re.compile(r"\s(?:sau|trước|và|hoặc|các|là|mà|với|khi|đã|được|có|do|từ|về|để|không)$", re.I)
MIN_HEAD_WORDS = 3
# Verbs of the administration, not of the citizen: "Giải quyết hưởng bảo hiểm xã hội một lần".
_OFFICE_VERBS = re.compile(r"^(?:giải quyết|đề nghị|thực hiện|tiếp nhận hồ sơ)\s+", re.I)


def _clean(text: str) -> str:
    return re.sub(r"\s+([,;.])", r"\1", re.sub(r"\s+", " ", text)).strip(" .;,")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def plain_title(official: str) -> str:
    """The official name without its bureaucratic wrapping, its qualifiers kept."""
    title = _clean(nfc(official))
    title = _PROCEDURE_WORD.sub("", title)
    title = _LEVEL_NOTE.sub("", title)
    title = _EDITOR_NOTE.sub("", title)
    title = _CHANNEL_AND_LEVEL_TAIL.sub("", title)
    title = _LEGAL_TAIL.sub("", title)
    title = _PARENTHESIS.sub(
        lambda m: "" if len(m.group(1).split()) > MAX_QUALIFIER_WORDS or not m.group(1).strip() else m.group(0), title
    )
    title = _clean(title)
    # "Thủ tục Đăng ký cấp …": the second word was capitalised only because it came first.
    return _capitalised(title) if len(title) >= 3 else _capitalised(_clean(nfc(official)))


def head(title: str) -> str | None:
    """The name before its first qualifier ("Cấp Phiếu Lý lịch tư pháp cho công dân …" → "Cấp Phiếu
    Lý lịch tư pháp"), without the administration's own verbs; None when nothing is cut or one word is left."""
    bare = _OFFICE_VERBS.sub("", title)
    match = _QUALIFIER_START.search(bare, 1)
    short = _clean(bare[: match.start()]) if match else bare
    if short == title or len(short.split()) < MIN_HEAD_WORDS or _DANGLING.search(short):
        return None
    return short


def action_names(title: str) -> list[str]:
    """The name of each action of a combined procedure: "Cấp, cấp lại Giấy phép X" → "cấp giấy
    phép X", "cấp lại giấy phép X"; [] for a procedure of one action."""
    match = _ACTION_LIST.match(title)
    if not match:
        return []
    actions = re.split(r"\s*,\s*|\s+(?:và|hoặc)\s+", match.group("actions"))
    actions = list(dict.fromkeys(action.strip().lower() for action in actions if action.strip()))
    if len(actions) < 2:
        return []
    obj = match.group("object")
    obj = obj[:1].lower() + obj[1:] if obj[:1].isupper() and not obj[1:2].isupper() else obj
    return [f"{action} {obj}" for action in actions]


@dataclass(frozen=True)
class AliasRule:
    """Official words (matched whole, in any case) and the common names people use for them."""

    official: str
    common: tuple[str, ...]
    why: str

    def pattern(self) -> re.Pattern[str]:
        return _official_words(self.official)


@cache
def _official_words(official: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in official.split()]
    return re.compile(r"(?<!\w)" + r"\s*,?\s+".join(words) + r"(?!\w)", re.I)


def load_alias_rules(path: Path = ALIAS_RULES) -> list[AliasRule]:
    items = yaml.safe_load(path.read_text("utf-8")) or []
    rules = []
    for number, item in enumerate(items):
        official, common, why = item.get("official"), item.get("common"), item.get("why")
        if not official or not common or not why:
            raise ValueError(f"{path}: rule {number + 1} needs official, common and why")
        rules.append(AliasRule(nfc(str(official)), tuple(nfc(str(name)) for name in common), str(why)))
    # Longer official words first: "xóa đăng ký thường trú" before "đăng ký thường trú".
    return sorted(rules, key=lambda rule: len(rule.official.split()), reverse=True)


def common_names(name: str, rules: list[AliasRule]) -> list[str]:
    """``name`` with official words replaced by what people call them (one rule at a time;
    a rule whose words lie inside a longer rule's match is not applied)."""
    taken: list[tuple[int, int]] = []
    found: list[str] = []
    for rule in rules:
        match = rule.pattern().search(name)
        if not match or any(start < match.end() and match.start() < end for start, end in taken):
            continue
        taken.append(match.span())
        for common in rule.common:
            found.append(_clean(name[: match.start()] + " " + common + " " + name[match.end() :]))
    return found


@lru_cache(maxsize=65536)
def folded(text: str) -> str:
    return " ".join(_WORD_RUN.findall(fold_accents(_PARENTHESIS.sub(" ", text))))


# How firmly an alias names its procedure: the whole name said otherwise, or only its head.
FULL, SHORT = 1, 2


def generated_names(title: str, rules: list[AliasRule]) -> list[tuple[str, int]]:
    """Aliases of an imported procedure, each with how firmly it names it: each action's name,
    the name without the administration's verbs, a short name in brackets (FULL); the name before
    its qualifiers (SHORT); and the common names of each (alias_rules.yml). Lower case, none that
    only repeats the title or another alias."""
    full = [title, *action_names(title)]
    bare = _OFFICE_VERBS.sub("", title)
    full += [bare] if bare != title else []
    # A short name in brackets: "(đăng ký sang tên xe)".
    named = [m.group(1) for m in _PARENTHESIS.finditer(title) if re.match(_ACTION + r"\s", m.group(1), re.I)]
    full += [name for name in named if len(name.split()) >= 4]
    short = [name for name in map(head, full) if name]
    candidates = [(name, FULL) for name in full[1:]]
    candidates += [(name, FULL) for item in full for name in common_names(item, rules)]
    candidates += [(name, SHORT) for item in short for name in (item, *common_names(item, rules))]
    seen = {folded(title)}
    aliases = []
    for alias, firmness in candidates:
        alias = _clean(_PARENTHESIS.sub(" ", alias))
        alias = alias[:1].lower() + alias[1:] if alias[:1].isupper() and not alias[1:2].isupper() else alias
        key = folded(alias)
        if len(key) >= 3 and key not in seen:
            seen.add(key)
            aliases.append((alias, firmness))
    return aliases


def generated_aliases(official: str, title: str, rules: list[AliasRule]) -> list[str]:
    """The aliases of one procedure, before the catalogue keeps those that name it alone."""
    return [alias for alias, _ in generated_names(title, rules)]


def keep_distinct(names: dict[str, tuple[str, list[tuple[str, int]]]]) -> dict[str, tuple[str, list[str]]]:
    """Keep an alias only where it names one procedure of the catalogue. Each form the catalog
    matches ("cấp phiếu lý lịch tư pháp" is also "phiếu lý lịch tư pháp") belongs to the titles
    that have it, else to the full names that have it, else to the short ones; an alias is kept
    when every form of it belongs to its own procedure alone. Records of the same plain title
    (the same procedure at another level) count as one."""
    from knowledge.catalog import name_forms

    def forms(name: str) -> set[str]:
        return {folded(form) for form, _ in name_forms(name)}

    owners: dict[str, tuple[int, set[str]]] = {}  # form -> (firmness, families)

    def claim(form: str, firmness: int, family: str) -> None:
        held = owners.get(form)
        if held is None or firmness < held[0]:
            owners[form] = (firmness, {family})
        elif firmness == held[0]:
            held[1].add(family)

    for title, aliases in names.values():
        family = folded(title)
        for form in forms(title):
            claim(form, 0, family)
        for alias, firmness in aliases:
            for form in forms(alias):
                claim(form, firmness, family)
    kept = {}
    for code, (title, aliases) in names.items():
        family = folded(title)
        kept[code] = (title, [a for a, _ in aliases if all(owners[f][1] == {family} for f in forms(a))])
    return kept


def catalogue_names(records: list[dict], rules: list[AliasRule]) -> dict[str, tuple[str, list[str]]]:
    """code -> (plain title, aliases) of every named record, aliases naming one procedure only."""
    names = {}
    for record in records:
        official = (record.get("ten_thu_tuc") or "").strip()
        if official:
            title = plain_title(official)
            names[str(record.get("ma_thu_tuc"))] = (title, generated_names(title, rules))
    return keep_distinct(names)


def slug(title: str, max_length: int = 60) -> str:
    """An entry id from a title: accent-folded words joined by "-", cut at a word."""
    words = _WORD_RUN.findall(fold_accents(_PARENTHESIS.sub(" ", title)).replace("_", " "))
    text = ""
    for word in words:
        candidate = f"{text}-{word}" if text else word
        if len(candidate) > max_length and text:
            break
        text = candidate
    return text or "thu-tuc"
