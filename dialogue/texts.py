"""The catalogue of fixed text citizens see (``dialogue/texts.yml``).

One file to edit the wording in every channel and the widget; the code names
a sentence by its key (``text("answer.no_words")``). PyYAML only, so the Rasa
environment (the web chat and REST channels) loads it too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template
from typing import Any

import yaml

CATALOGUE = Path(__file__).with_name("texts.yml")


@cache
def catalogue() -> dict[str, Any]:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def entry(key: str) -> Any:
    """The value at a dotted key: a sentence, or a section (a mapping or list)."""
    node: Any = catalogue()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no text {key!r} in {CATALOGUE.name}")
        node = node[part]
    return node


def text(key: str, **values: object) -> str:
    """One sentence, its ``${name}`` placeholders filled; a missing value is an error."""
    sentence = entry(key)
    if not isinstance(sentence, str):
        raise KeyError(f"{key!r} in {CATALOGUE.name} is a section, not a sentence")
    return Template(sentence).substitute({name: str(value) for name, value in values.items()})
