"""Whether an entry is about the procedure a question asks for, beyond the name
both share: the rules in ``scope_rules.yml`` (reviewed by hand) name what makes a
question about a different procedure ("với người nước ngoài", "nhập khẩu ô tô")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.catalog import contains_run
from knowledge.text import syllables

RULES_FILE = Path(__file__).with_name("scope_rules.yml")


@dataclass(frozen=True)
class ScopeRule:
    name: str
    asks: tuple[tuple[str, ...], ...]
    entry_says: tuple[tuple[str, ...], ...]
    # Words that make an entry a variant, never the default: a question that
    # does not ask for it goes to a confident entry without them ("nhận con
    # nuôi" is not "… nuôi con nuôi có yếu tố nước ngoài").
    variant_says: tuple[tuple[str, ...], ...] = ()
    # What else asks for the variant ("bị mất", "hết hạn"), beyond `asks` and
    # `variant_says` themselves.
    variant_asks: tuple[tuple[str, ...], ...] = ()
    # The variant words must open a name ("Cấp lại giấy phép …"): "Cấp, cấp lại,
    # điều chỉnh giấy phép …" is the procedure itself.
    variant_opens: bool = False

    def asked_in(self, question: tuple[str, ...]) -> bool:
        return any(contains_run(question, phrase) for phrase in self.asks)

    def variant_asked_in(self, question: tuple[str, ...]) -> bool:
        return self.asked_in(question) or any(
            contains_run(question, phrase) for phrase in (*self.variant_says, *self.variant_asks)
        )

    def makes_variant(self, names: list[tuple[str, ...]]) -> bool:
        if self.variant_opens:
            return any(name[: len(phrase)] == phrase for name in names for phrase in self.variant_says)
        return any(contains_run(name, phrase) for name in names for phrase in self.variant_says)

    def said_by(self, names: list[tuple[str, ...]]) -> bool:
        return any(contains_run(name, phrase) for name in names for phrase in self.entry_says)


@lru_cache(maxsize=1)
def scope_rules(path: Path = RULES_FILE) -> tuple[ScopeRule, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        ScopeRule(
            name=item["name"],
            asks=tuple(tuple(syllables(p)) for p in item["asks"]),
            entry_says=tuple(tuple(syllables(p)) for p in item["entry_says"]),
            variant_says=tuple(tuple(syllables(p)) for p in item.get("variant_says", ())),
            variant_asks=tuple(tuple(syllables(p)) for p in item.get("variant_asks", ())),
            variant_opens=bool(item.get("variant_opens", False)),
        )
        for item in data
    )


def outside_scope(question: tuple[str, ...], entry_names: list[tuple[str, ...]]) -> ScopeRule | None:
    """The first rule by which the question asks for something the entry (its
    title and aliases, as folded syllables) is not about; None when it fits."""
    return next((r for r in scope_rules() if r.asked_in(question) and not r.said_by(entry_names)), None)


def unasked_qualifier(question: tuple[str, ...], entry_names: list[tuple[str, ...]]) -> ScopeRule | None:
    """The first rule whose variant words the entry says and the question does
    not ask for: the entry is a variant the question did not ask about."""
    return next(
        (
            r
            for r in scope_rules()
            if r.variant_says and r.makes_variant(entry_names) and not r.variant_asked_in(question)
        ),
        None,
    )
