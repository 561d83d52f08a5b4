"""Split entries into passages that keep their heading path.

A passage is what the search returns and the bot quotes, so it must stand on
its own: it carries the entry title and the headings above it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from knowledge.entries import Entry
from knowledge.text import clean_whitespace

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MAX_PASSAGE_CHARS = 1200


@dataclass(frozen=True)
class Passage:
    passage_id: str
    entry_id: str
    entry_type: str
    audience: str
    title: str
    heading_path: list[str]
    text: str
    citation: str
    url: str | None
    aliases: list[str]
    level: str | None = None  # of a procedure: where it is done ("Cấp xã", "Cấp tỉnh", …)

    def embedding_text(self) -> str:
        """What the dense model sees: headings give the passage its topic."""
        return " > ".join(self.heading_path) + ". " + self.text

    def lexical_text(self) -> str:
        return " ".join([*self.heading_path, *self.aliases, self.text])

    def to_dict(self) -> dict:
        return asdict(self)


def _sections(body: str) -> list[tuple[list[str], str]]:
    """(heading stack, text) for each run of text under a heading."""
    stack: list[tuple[int, str]] = []
    sections: list[tuple[list[str], str]] = []
    lines: list[str] = []

    def flush() -> None:
        text = "\n".join(lines).strip()
        if text:
            sections.append(([title for _, title in stack], text))
        lines.clear()

    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            flush()
            level = len(match.group(1))
            stack = [item for item in stack if item[0] < level]
            stack.append((level, match.group(2).strip()))
        else:
            lines.append(line)
    flush()
    return sections


def _chunks(text: str) -> list[str]:
    """Keep paragraphs whole; merge small ones up to MAX_PASSAGE_CHARS."""
    chunks: list[str] = []
    current = ""
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if current and len(current) + len(paragraph) > MAX_PASSAGE_CHARS:
            chunks.append(current)
            current = paragraph
        else:
            current = f"{current}\n\n{paragraph}" if current else paragraph
    if current:
        chunks.append(current)
    return chunks


def _tidy(chunk: str) -> str:
    """Fold whitespace inside lines but keep list items on their own lines."""
    return "\n".join(clean_whitespace(line) for line in chunk.splitlines() if line.strip())


def split_entry(entry: Entry) -> list[Passage]:
    passages = []
    for headings, text in _sections(entry.body):
        for chunk in _chunks(text):
            passages.append(
                Passage(
                    passage_id=f"{entry.id}#{len(passages)}",
                    entry_id=entry.id,
                    entry_type=entry.type.value,
                    audience=entry.audience.value,
                    title=entry.title,
                    heading_path=[entry.title, *headings],
                    text=_tidy(chunk),
                    citation=entry.source.citation(),
                    url=entry.source.url,
                    aliases=list(entry.aliases),
                    level=entry.level,
                )
            )
    return passages
