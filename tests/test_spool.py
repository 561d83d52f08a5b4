"""The feedback spool: replays are idempotent and a poison entry never blocks later writes."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from feedback.store import FeedbackStore, Outcome

pytestmark = pytest.mark.unit


@pytest.fixture()
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}", "salt", spool_path=tmp_path / "spool.jsonl")


def record(store: FeedbackStore) -> str:
    return store.record_answer("u1", "rest", "đăng ký khai sinh", ["dang-ky-khai-sinh"], "procedure", "v1")


def spool_the_last_write_again(store: FeedbackStore, captured: list[dict]) -> None:
    """What happens when a write reached the database but the client saw a
    connection error: the same write is also in the spool."""
    store.spool.append(captured[-1])


def test_a_write_that_succeeded_and_was_also_spooled_is_replayed_as_a_no_op(
    store: FeedbackStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    captured: list[dict] = []
    apply = store._apply
    monkeypatch.setattr(store, "_apply", lambda op: (captured.append(op), apply(op))[1])
    answer_id = record(store)
    spool_the_last_write_again(store, captured)
    assert store.rate(answer_id, True) == Outcome.stored, "the new write is not refused"
    assert not store.spool.pending() and not store.spool.dead_letters.exists(), "the duplicate was a no-op"
    assert store.answers_count() == 1


def test_a_poison_entry_goes_to_the_dead_letter_file_and_later_writes_are_stored(
    store: FeedbackStore, caplog: pytest.LogCaptureFixture
) -> None:
    answer_id = record(store)
    # an entry from before write ids existed, duplicating a stored answer: it can never be applied
    poison = {
        "op": "answer",
        "id": answer_id,
        "conversation": "x",
        "channel": "rest",
        "question": "q",
        "entry_ids": [],
        "topic": "faq",
        "index_version": "v1",
        "at": "2026-11-01T00:00:00+00:00",
    }
    store.spool.append(poison)
    store.spool.path.open("a", encoding="utf-8").write("{not json\n")
    with caplog.at_level(logging.ERROR):
        assert store.rate(answer_id, False) == Outcome.stored
    assert not store.spool.pending()
    dead = [json.loads(line) for line in store.spool.dead_letters.read_text(encoding="utf-8").splitlines()]
    assert [d.get("id") for d in dead if "op" in d] == [answer_id] and "IntegrityError" in dead[-1]["error"]
    assert any("unreadable_line" in d for d in dead)
    assert "cannot be applied" in caplog.text
    second = record(store)
    assert store.rate(second, True) == Outcome.stored and store.answers_count() == 2


def test_replaying_the_same_write_twice_changes_nothing(store: FeedbackStore) -> None:
    answer_id = record(store)
    store.rate(answer_id, True)
    write = {
        "op": "rating",
        "answer_id": answer_id,
        "satisfied": False,
        "at": "2026-11-01T00:00:00+00:00",
        "write_id": "f" * 32,
    }
    assert store._apply(write) == Outcome.updated
    assert store._apply(write) == Outcome.unchanged
