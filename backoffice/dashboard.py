"""The satisfaction dashboard: feedback.report's figures, as tables, CSV and an
anonymised aggregate export (no question text, no comment, no conversation id)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from feedback.report import Report, build_report, write_csv
from feedback.store import FeedbackStore

CSV_TABLES = ("by_week", "by_channel", "by_topic", "by_entry", "unanswered", "top_questions", "by_hour")
OPEN_DATA_FIELDS = (
    "generated_at",
    "since",
    "answers",
    "replies_by_status",
    "overall",
    "by_week",
    "by_channel",
    "by_topic",
    "by_entry",
    "reasons",
    "conversation_csat",
    "volume_by_hour",
    "resolution",
    "definitions",
)


def report(store: FeedbackStore, days: int | None) -> Report:
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days) if days else None
    return build_report(store, since)


def table_csv(result: Report, name: str) -> str:
    """One table as feedback.report writes it for spreadsheets."""
    if name not in CSV_TABLES:
        raise KeyError(name)
    with tempfile.TemporaryDirectory() as tmp:
        write_csv(result, Path(tmp))
        return (Path(tmp) / f"{name}.csv").read_text(encoding="utf-8")


def open_data(result: Report) -> dict:
    """Aggregates only: counts and shares by week, channel, topic, entry, status and hour."""
    full = result.to_dict()
    return {name: full[name] for name in OPEN_DATA_FIELDS}
