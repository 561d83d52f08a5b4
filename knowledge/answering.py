"""Turn search results into what the assistant says, with its legal basis."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.search import SearchResult

SHORT_ANSWER_CHARS = 600


@dataclass(frozen=True)
class Answer:
    text: str
    found: bool
    confidence: float
    entry_ids: list[str] = field(default_factory=list)


def shorten(text: str, limit: int = SHORT_ANSWER_CHARS) -> str:
    """Cut at the last sentence or line end before ``limit`` characters."""
    if len(text) <= limit:
        return text
    window = text[:limit]
    cut = max(window.rfind(". "), window.rfind(";\n"), window.rfind(".\n"), window.rfind("\n"))
    if cut < limit // 3:
        cut = window.rfind(" ")
    return text[: cut + 1].rstrip() + " …"


def format_citation(result: SearchResult) -> str:
    citation = f"Căn cứ: {result.citation}."
    if result.url:
        citation += f" Nguồn: {result.url}"
    return citation


def compose_answer(results: list[SearchResult], min_confidence: float) -> Answer:
    """The best passage and its citation, or an honest "not found"."""
    if not results or results[0].confidence < min_confidence:
        best = results[0].confidence if results else 0.0
        return Answer(text="", found=False, confidence=best)
    best = results[0]
    heading = " › ".join(best.heading_path)
    text = f"{heading}\n\n{shorten(best.text)}\n\n{format_citation(best)}"
    return Answer(text=text, found=True, confidence=best.confidence, entry_ids=[best.entry_id])
