"""The review queue: unanswered questions, 👎 answers and handoff requests from
the feedback store, grouped by meaning with the project's embedding model.

Each group gets one action (link to an entry as aliases, create an FAQ draft,
dismiss); its items are then recorded as handled and leave the queue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from backoffice.db import Database
from backoffice.models import ReviewHandled
from dialogue.texts import entry
from feedback.models import AnswerRecord, HandoffRequest, Rating, UnansweredQuestion
from knowledge.embedder import Embedder

KIND_LABELS = {"unanswered": "Chưa trả lời được", "disliked": "Bị đánh giá 👎", "handoff": "Xin gặp cán bộ"}
MAX_ITEMS = 2000


@dataclass(frozen=True)
class Item:
    key: str  # "u:<id>", "r:<answer id>", "h:<id>"
    kind: str
    text: str
    at: dt.datetime
    note: str = ""  # the reason and comment of a 👎, the handoff reference


@dataclass
class Group:
    items: list[Item] = field(default_factory=list)
    centroid: np.ndarray | None = None

    @property
    def id(self) -> str:
        return hashlib.sha256("|".join(sorted(i.key for i in self.items)).encode()).hexdigest()[:16]

    @property
    def newest(self) -> dt.datetime:
        return max(i.at for i in self.items)

    @property
    def questions(self) -> list[str]:
        """The distinct questions, most asked first."""
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.text] = counts.get(item.text, 0) + 1
        return sorted(counts, key=lambda text: -counts[text])

    @property
    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        return counts


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _handoff_question(transcript: list) -> str:
    """What the person asked before asking for a person: their last message that says something."""
    said = [line.get("text", "") for line in transcript if line.get("who") == "user" and line.get("text", "").strip()]
    said = [text for text in said if not text.startswith("/")]
    return said[-2] if len(said) >= 2 else (said[-1] if said else "")


def pending_items(db: Database) -> list[Item]:
    with db.session() as session:
        handled = set(session.scalars(select(ReviewHandled.item)))
        items = [
            Item(f"u:{row.id}", "unanswered", row.question, _aware(row.created_at))
            for row in session.scalars(
                select(UnansweredQuestion).order_by(UnansweredQuestion.created_at.desc()).limit(MAX_ITEMS)
            )
        ]
        disliked = session.execute(
            select(AnswerRecord, Rating)
            .join(Rating, Rating.answer_id == AnswerRecord.id)
            .where(Rating.satisfied.is_(False))
            .order_by(Rating.updated_at.desc())
            .limit(MAX_ITEMS)
        )
        for answer, rating in disliked:
            reason = entry("ratings.reasons").get(rating.reason, rating.reason) if rating.reason else None
            note = " · ".join(part for part in (reason, rating.comment) if part)
            items.append(Item(f"r:{answer.id}", "disliked", answer.question, _aware(rating.updated_at), note))
        for row in session.scalars(select(HandoffRequest).where(HandoffRequest.status == "open").limit(MAX_ITEMS)):
            text = _handoff_question(row.transcript or [])
            if text:
                items.append(Item(f"h:{row.id}", "handoff", text, _aware(row.created_at), row.reference))
    return [item for item in items if item.key not in handled]


def group_items(items: list[Item], embedder: Embedder, similarity: float) -> list[Group]:
    """Greedy grouping, newest first: an item joins the group whose mean vector
    is closest if the cosine reaches ``similarity``, else starts a group."""
    if not items:
        return []
    items = sorted(items, key=lambda item: item.at, reverse=True)
    texts = sorted({item.text for item in items})
    vectors = dict(zip(texts, embedder.queries(texts), strict=True))
    groups: list[Group] = []
    sums: list[np.ndarray] = []
    for item in items:
        vector = vectors[item.text]
        best, best_score = None, similarity
        for number, total in enumerate(sums):
            score = float(vector @ (total / np.linalg.norm(total)))
            if score >= best_score:
                best, best_score = number, score
        if best is None:
            groups.append(Group([item]))
            sums.append(vector.copy())
        else:
            groups[best].items.append(item)
            sums[best] += vector
    return sorted(groups, key=lambda g: (-len(g.items), -g.newest.timestamp()))


def mark_handled(db: Database, keys: list[str], action: str, actor: str) -> int:
    with db.session() as session, session.begin():
        done = set(session.scalars(select(ReviewHandled.item).where(ReviewHandled.item.in_(keys))))
        fresh = [key for key in dict.fromkeys(keys) if key not in done]
        session.add_all(ReviewHandled(item=key, action=action, actor=actor) for key in fresh)
        return len(fresh)
