"""Abbreviations people type ("cccd", "hkd") mapped to the words they stand for."""

from __future__ import annotations

from pathlib import Path

import yaml

from knowledge.entries import ContentError
from knowledge.text import fold_accents, syllables

SYNONYMS_FILE = "synonyms.yml"


def load_synonyms(content_dir: Path) -> dict[str, str]:
    """Single-syllable abbreviation -> accent-folded expansion."""
    path = content_dir / SYNONYMS_FILE
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: expected a mapping of abbreviation: expansion")
    synonyms: dict[str, str] = {}
    for key, value in raw.items():
        folded = syllables(str(key))
        if len(folded) != 1 or not isinstance(value, str) or not value.strip():
            raise ContentError(f"{path}: field '{key}': an abbreviation is one word with a text expansion")
        synonyms[folded[0]] = " ".join(syllables(fold_accents(value)))
    return synonyms
