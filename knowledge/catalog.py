"""The procedures a user can name, and how to recognise them in free text.

Citizens name a procedure in many ways ("làm giấy khai sinh", "khai sinh",
"lam cccd"): every title and alias, with leading verbs such as "làm" or
"đăng ký" dropped, is a name of its entry. Names are compared as accent-folded
syllables with abbreviations expanded, so typing without diacritics works. The
same names feed the NLU lookup table and entity synonyms (``nlu_data.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from knowledge.text import syllables

_PARENTHESES = re.compile(r"\([^)]*\)")
# Words that open a name without telling procedures apart ("làm hộ chiếu" is
# "hộ chiếu"); stripped one after another.
LEADING_WORDS = ("thủ tục", "làm", "xin", "đăng ký", "cấp")
# After these, "cấp"/"đăng ký" is part of the name ("cấp lại", "đăng ký lại").
KEEP_PREFIX_BEFORE = ("lại", "đổi")
# Words of a variant's title that do not, alone, say which variant is asked
# ("đối với", "của", "cho"): a question containing them does not name the qualifier.
FUNCTION_WORDS = frozenset(
    "co va cua cho doi voi tai trong theo tu den la duoc cac mot nhung khi o ve tren duoi hoac nguoi".split()
)
# When the same procedure is published at several levels, the one a citizen
# meets first is the common case.
LEVEL_ORDER = ("xã", "tỉnh", "bộ", "trung ương")
# Words of a variant's title that mark it as one ("Đăng ký lại khai sinh", "Cấp đổi …").
VARIANT_MARKERS = frozenset({"lai", "doi"})


@dataclass(frozen=True)
class CatalogEntry:
    entry_id: str
    title: str
    entry_type: str
    aliases: tuple[str, ...]
    level: str | None = None
    # heading directly under the title -> passage rows, in document order
    sections: dict[str, list[int]] = field(default_factory=dict, compare=False)

    @property
    def rows(self) -> list[int]:
        """Every passage row of the entry, in document order."""
        return sorted(row for rows in self.sections.values() for row in rows)


def contains_run(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether ``part`` occurs in ``words`` as consecutive items (whole syllables)."""
    size = len(part)
    return any(words[start : start + size] == part for start in range(len(words) - size + 1))


def name_forms(name: str) -> list[tuple[str, int]]:
    """``name`` and its shorter forms, each with the number of words stripped."""
    forms = [(_PARENTHESES.sub(" ", name).strip().lower(), 0)]
    forms[0] = (" ".join(forms[0][0].split()), 0)
    current = forms[0][0]
    stripped = 0
    while True:
        for word in LEADING_WORDS:
            rest = current[len(word) :].lstrip()
            if current.startswith(word + " ") and rest and not rest.startswith(KEEP_PREFIX_BEFORE):
                current = rest
                stripped += 1
                forms.append((current, stripped))
                break
        else:
            return forms


class Catalog:
    """Entries of a published index, and the procedure names that point at them."""

    def __init__(self, entries: Iterable[CatalogEntry], abbreviations: dict[str, str] | None = None) -> None:
        self.abbreviations = abbreviations or {}
        self._names_of: dict[str, list[tuple[str, ...]]] = {}
        self.entries = {entry.entry_id: entry for entry in entries}
        # folded syllable tuple -> (priority, entry id); the least stripped,
        # shortest source name wins when two procedures share a short form
        best: dict[tuple[str, ...], tuple[tuple[int, int], str]] = {}
        self.surface_names: dict[str, str] = {}  # name as written -> entry id
        # Names of the other entries (FAQs, programme): "sang tên sổ đỏ" is an FAQ,
        # and must not be read as the procedure its shorter part "sổ đỏ" names.
        self.other_names: set[tuple[str, ...]] = set()
        for entry in self.entries.values():
            if entry.entry_type != "procedure":
                self.other_names |= {self.key(alias) for alias in entry.aliases if len(self.key(alias)) > 1}
                continue
            for source in (entry.title, *entry.aliases):
                for form, stripped in name_forms(source):
                    key = self.key(form)
                    if len(key) < 1:
                        continue
                    priority = (stripped, len(source))
                    if key not in best or priority < best[key][0]:
                        best[key] = (priority, entry.entry_id)
                        self.surface_names[form] = entry.entry_id
        self.names = {key: entry_id for key, (_, entry_id) in best.items()}
        self.surface_names = {
            form: entry_id for form, entry_id in self.surface_names.items() if self.names[self.key(form)] == entry_id
        }
        self._longest = max((len(key) for key in (*self.names, *self.other_names)), default=0)

    def key(self, text: str) -> tuple[str, ...]:
        words: list[str] = []
        for word in syllables(text):
            words.extend(syllables(self.abbreviations.get(word, word)))
        return tuple(words)

    def get(self, entry_id: str | None) -> CatalogEntry | None:
        return self.entries.get(entry_id) if entry_id else None

    def is_procedure(self, entry_id: str | None) -> bool:
        entry = self.get(entry_id)
        return entry is not None and entry.entry_type == "procedure"

    def resolve(self, text: str | None) -> str | None:
        """The procedure a name or an entity value denotes: an entry id given
        as is (synonym-mapped entities), an exact name, else None."""
        if not text:
            return None
        if self.is_procedure(text):
            return text
        return self.names.get(self.key(text))

    def find_in(self, text: str) -> str | None:
        """The procedure named anywhere in ``text``: the longest name that
        occurs as whole syllables wins ("nhận con nuôi" over "nhận con"). Words
        inside a longer name of another entry ("sổ đỏ" in "sang tên sổ đỏ", an
        FAQ) name no procedure: the search decides."""
        found = self.find_name_in(text)
        return found[0] if found else None

    def find_name_in(self, text: str) -> tuple[str, tuple[str, ...]] | None:
        """Like ``find_in``, with the words that named the procedure."""
        words = self.key(text)
        taken: set[int] = set()  # positions inside a longer name of another entry
        for size in range(min(self._longest, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                window = words[start : start + size]
                span = set(range(start, start + size))
                entry_id = self.names.get(window)
                if entry_id is not None and (size > 1 or len(window[0]) >= 3) and not span & taken:
                    return entry_id, window
                if window in self.other_names:
                    taken |= span
        return None

    def names_of(self, entry_id: str) -> list[tuple[str, ...]]:
        """The entry's title and aliases as folded syllables (computed once per entry:
        the dialogue asks for them several times a turn)."""
        names = self._names_of.get(entry_id)
        if names is None:
            entry = self.entries[entry_id]
            names = [self.key(_PARENTHESES.sub(" ", name)) for name in (entry.title, *entry.aliases)]
            self._names_of[entry_id] = names
        return names

    def refines(self, entry_id: str, named: str, name: tuple[str, ...] = ()) -> bool:
        """Whether the entry is about what the procedure ``named`` (called
        ``name`` in the question) is about, more precisely: its title or an alias
        contains that name or a name of ``named`` ("gia hạn tạm trú" for "tạm
        trú", "thời hạn đăng ký khai sinh" for "khai sinh", "cấp lại giấy phép
        lái xe" for "giấy phép lái xe")."""
        entry = self.entries[named]
        wanted = {name} | {self.key(form) for source in (entry.title, *entry.aliases) for form, _ in name_forms(source)}
        targets = self.names_of(entry_id)
        return any(len(part) > 1 and contains_run(words, part) for part in wanted if part for words in targets)

    # -- families of variants ------------------------------------------------------

    def _stripped_title(self, entry_id: str) -> tuple[str, ...]:
        """The title without its leading verbs ("đăng ký khai sinh" -> "khai sinh")."""
        return self.key(name_forms(self.entries[entry_id].title)[-1][0])

    @cached_property
    def _families(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        """(variant -> its common case, entry -> its variants and same-name siblings).

        A procedure is a variant of another when that one's whole title (two words
        at least) occurs in its own title, once "lại"/"đổi" are set aside ("Đăng ký
        khai sinh lưu động", "Đăng ký lại khai sinh", "Cấp đổi thẻ căn cước" of
        "Cấp thẻ căn cước"; not "Cấp bản sao … giấy khai sinh" of "Đăng ký khai
        sinh"); the longest such title is its common case. Procedures of the same
        title (published at several levels) are siblings.
        """
        procedures = [e.entry_id for e in self.entries.values() if e.entry_type == "procedure"]
        titles = {entry_id: self._title_key(entry_id) for entry_id in procedures}
        by_title: dict[tuple[str, ...], list[str]] = {}
        for entry_id in procedures:
            by_title.setdefault(titles[entry_id], []).append(entry_id)
        for same in by_title.values():
            same.sort(key=lambda i: (self._level_rank(i), i))
        base: dict[str, str] = {}
        variants: dict[str, list[str]] = {}
        for entry_id in procedures:
            own = titles[entry_id]
            words = tuple(w for w in own if w not in VARIANT_MARKERS)
            # every run of two words or more, shorter than the title, that is another title
            found = [
                words[start:end]
                for start in range(len(words))
                for end in range(start + 2, len(words) + 1)
                if end - start < len(own) and words[start:end] in by_title
            ]
            if found:
                common = by_title[max(found, key=len)][0]
                base[entry_id] = common
                variants.setdefault(common, []).append(entry_id)
            siblings = [i for i in by_title[own] if i != entry_id]
            if siblings:
                variants.setdefault(entry_id, []).extend(siblings)
        return base, variants

    def _title_key(self, entry_id: str) -> tuple[str, ...]:
        return self.key(_PARENTHESES.sub(" ", self.entries[entry_id].title))

    def _level_rank(self, entry_id: str) -> int:
        level = (self.entries[entry_id].level or "").lower()
        return next((rank for rank, name in enumerate(LEVEL_ORDER) if name in level), len(LEVEL_ORDER))

    def common_case(self, entry_id: str) -> str | None:
        """The procedure this one is a variant of, if any."""
        return self._families[0].get(entry_id)

    def variants(self, entry_id: str) -> list[str]:
        """The variants of a procedure and the same procedure at other levels."""
        return self._families[1].get(entry_id, [])

    def qualifier(self, variant: str, common: str) -> set[str]:
        """The words that tell a variant from its common case ("luu", "dong")."""
        leading = {word for phrase in LEADING_WORDS for word in self.key(phrase)}
        return set(self._stripped_title(variant)) - set(self._stripped_title(common)) - FUNCTION_WORDS - leading

    def names_qualifier(self, text: str, variant: str, common: str) -> bool:
        """Whether a question asks for the variant: it holds half its qualifier words or more."""
        qualifier = self.qualifier(variant, common)
        return bool(qualifier) and 2 * len(qualifier & set(self.key(text))) >= len(qualifier)


def catalog_from_passages(passages: Iterable[dict], abbreviations: dict[str, str] | None = None) -> Catalog:
    """Entries and their sections, from an index's passages in row order."""
    entries: dict[str, CatalogEntry] = {}
    for row, passage in enumerate(passages):
        entry = entries.get(passage["entry_id"])
        if entry is None:
            entry = CatalogEntry(
                entry_id=passage["entry_id"],
                title=passage["title"],
                entry_type=passage["entry_type"],
                aliases=tuple(passage["aliases"]),
                level=passage.get("level"),
            )
            entries[entry.entry_id] = entry
        section = passage["heading_path"][1] if len(passage["heading_path"]) > 1 else ""
        entry.sections.setdefault(section, []).append(row)
    return Catalog(entries.values(), abbreviations)
