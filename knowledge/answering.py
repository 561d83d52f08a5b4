"""How an answer is cut to a short version and how it cites its source."""

from __future__ import annotations

SHORT_ANSWER_CHARS = 600


def shorten(text: str, limit: int = SHORT_ANSWER_CHARS) -> str:
    """Cut at the last sentence or line end before ``limit`` characters."""
    if len(text) <= limit:
        return text
    window = text[:limit]
    cut = max(window.rfind(". "), window.rfind(";\n"), window.rfind(".\n"), window.rfind("\n"))
    if cut < limit // 3:
        cut = window.rfind(" ")
    return text[: cut + 1].rstrip() + " …"


def format_citation(citation: str, url: str | None) -> str:
    """ "Căn cứ: <document, article/section>." and the source link when there is one."""
    text = f"Căn cứ: {citation}."
    return f"{text} Nguồn: {url}" if url else text
