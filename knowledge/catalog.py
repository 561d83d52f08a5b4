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

from knowledge.text import syllables

_PARENTHESES = re.compile(r"\([^)]*\)")
# Words that open a name without telling procedures apart ("làm hộ chiếu" is
# "hộ chiếu"); stripped one after another.
LEADING_WORDS = ("thủ tục", "làm", "xin", "đăng ký", "cấp")
# After these, "cấp"/"đăng ký" is part of the name ("cấp lại", "đăng ký lại").
KEEP_PREFIX_BEFORE = ("lại", "đổi")


@dataclass(frozen=True)
class CatalogEntry:
    entry_id: str
    title: str
    entry_type: str
    aliases: tuple[str, ...]
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

    def refines(self, entry_id: str, named: str, name: tuple[str, ...]) -> bool:
        """Whether the entry is about what the procedure ``named`` (called
        ``name`` in the question) is about, more precisely: its title or an alias
        contains that name or a name of ``named`` ("gia hạn tạm trú" for "tạm
        trú", "thời hạn đăng ký khai sinh" for "khai sinh", "cấp lại giấy phép
        lái xe" for "giấy phép lái xe")."""
        entry = self.entries[named]
        wanted = {name} | {self.key(form) for source in (entry.title, *entry.aliases) for form, _ in name_forms(source)}
        targets = self.names_of(entry_id)
        return any(len(part) > 1 and contains_run(words, part) for part in wanted if part for words in targets)


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
            )
            entries[entry.entry_id] = entry
        section = passage["heading_path"][1] if len(passage["heading_path"]) > 1 else ""
        entry.sections.setdefault(section, []).append(row)
    return Catalog(entries.values(), abbreviations)
