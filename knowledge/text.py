"""Vietnamese text normalisation for accent-insensitive lexical matching.

Citizens often type without diacritics ("lam giay khai sinh o dau") and
Vietnamese words span several syllables, so lexical terms are accent-folded
syllables plus adjacent syllable pairs (a cheap stand-in for word segmentation).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

_WORD = re.compile(r"[0-9a-z]+")
_SPACES = re.compile(r"\s+")


def fold_accents(text: str) -> str:
    """Lowercase and strip Vietnamese diacritics: 'Đăng ký' -> 'dang ky'."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d").replace("\u0111", "d")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def has_diacritics(text: str) -> bool:
    """True when the text carries Vietnamese marks (or đ), i.e. folding changes it."""
    lowered = text.lower()
    return fold_accents(lowered) != unicodedata.normalize("NFC", lowered)


def syllables(text: str) -> list[str]:
    """Accent-folded syllables of ``text``, punctuation dropped."""
    return _WORD.findall(fold_accents(text))


def lexical_terms(text: str, synonyms: dict[str, str] | None = None) -> list[str]:
    """Syllables and syllable bigrams, after expanding known abbreviations."""
    words = syllables(text)
    if synonyms:
        expanded: list[str] = []
        for word in words:
            expanded.extend(synonyms.get(word, word).split())
        words = expanded
    return words + [f"{a}_{b}" for a, b in pairwise(words)]


def clean_whitespace(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
