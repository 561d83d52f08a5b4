"""What every channel shares: splitting long replies, reading button payloads,
the fixed sentences the channels send themselves."""

from __future__ import annotations

import re

from dialogue.contract import Entity, Intent, parse_payload

# A message longer than Telegram's own limit is refused, not cut: nobody types
# more, and a huge body must never reach NLU or the tracker store.
MAX_MESSAGE_CHARS = 4096
_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+|\n+")


def split_message(text: str, limit: int) -> list[str]:
    """Chunks of at most ``limit`` characters, cut after a sentence or a line
    when possible, else at a space, else hard."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cuts = [m.end() for m in _SENTENCE_END.finditer(window)]
        cut = cuts[-1] if cuts and cuts[-1] > limit // 3 else window.rfind(" ") + 1 or limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def is_rating_payload(payload: str) -> bool:
    """A 👍/👎 button's payload, read by the contract (not by its title)."""
    parsed = parse_payload(payload)
    return parsed is not None and parsed.intent == Intent.give_feedback and Entity.rating.value in parsed.entities
