"""Rating flows and the report, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from dialogue.ratings import FeedbackTurn, goodbye, handle_feedback
from dialogue.texts import text
from feedback.report import build_report, iso_week, to_markdown, write_charts, write_csv
from feedback.store import FeedbackStore, Outcome

pytestmark = pytest.mark.unit
ALREADY_RATED = text("ratings.already_rated")
ASK_CSAT = text("ratings.ask_csat")
ASK_REASON = text("ratings.ask_reason")
INVALID_VALUE = text("ratings.invalid_value")
THANKS_COMMENT = text("ratings.thanks_comment")
THANKS_RATING = text("ratings.thanks_rating")
UNKNOWN_ANSWER = text("ratings.unknown_answer")
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this module, dropped afterwards."""
    name = f"feedback_test_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN, autocommit=True)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({error}); .ci/run starts it")
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FeedbackStore]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'feedback.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    feedback = FeedbackStore(url, "salt", spool_path=tmp_path / "spool.jsonl")
    yield feedback
    if request.param == "postgresql":
        with feedback.engine.begin() as connection:
            for table in (
                "ratings",
                "answers",
                "conversation_ratings",
                "unanswered_questions",
                "handoff_requests",
                "applied_writes",
            ):
                connection.exec_driver_sql(f"DELETE FROM {table}")
    feedback.engine.dispose()


def turn(text: str = "", comment_for: str | None = None, last: str | None = None, **entities: str) -> FeedbackTurn:
    return FeedbackTurn("0912345678", "telegram", "s1", text, entities, comment_for, last)


def answer(store: FeedbackStore, entry: str = "dang-ky-khai-sinh", channel: str = "telegram") -> str:
    return store.record_answer("0912345678", channel, "khai sinh cần gì, gọi 0912345678", [entry], "procedure", "v1")


def test_thumbs_up_is_stored_once_even_on_a_double_click(store: FeedbackStore) -> None:
    answer_id = answer(store)
    assert handle_feedback(store, turn(answer_id=answer_id, rating="up")).messages[0].text == THANKS_RATING
    assert handle_feedback(store, turn(answer_id=answer_id, rating="up")).messages[0].text == ALREADY_RATED
    assert build_report(store).overall == {"rated": 1, "satisfied": 1, "csat": 100.0}


def test_thumbs_down_asks_why_once_and_takes_a_comment(store: FeedbackStore) -> None:
    answer_id = answer(store)
    reply = handle_feedback(store, turn(answer_id=answer_id, rating="down"))
    assert reply.messages[0].text == ASK_REASON and len(reply.messages[0].buttons) == 4
    assert reply.slots == {"comment_for": answer_id}
    handle_feedback(store, turn(answer_id=answer_id, reason="wrong_info"))
    comment = handle_feedback(store, turn("thông tin phí cũ rồi, email tôi a@b.vn", comment_for=answer_id))
    assert comment.messages[0].text == THANKS_COMMENT
    report = build_report(store)
    assert report.overall["csat"] == 0.0 and report.reasons == {"wrong_info": 1}
    assert report.comments[0]["comment"] == "thông tin phí cũ rồi, email tôi [email]"
    assert report.lowest_rated_entries[0]["entry_id"] == "dang-ky-khai-sinh"


def test_a_later_rating_lands_on_the_earlier_answer(store: FeedbackStore) -> None:
    first, second = answer(store, "dang-ky-khai-sinh"), answer(store, "dang-ky-ket-hon")
    handle_feedback(store, turn(answer_id=second, rating="up"))
    handle_feedback(store, turn(answer_id=first, rating="down"))
    entries = build_report(store).by_entry
    assert entries["dang-ky-khai-sinh"]["csat"] == 0.0 and entries["dang-ky-ket-hon"]["csat"] == 100.0


def test_changing_ones_mind_updates_the_rating(store: FeedbackStore) -> None:
    answer_id = answer(store)
    assert store.rate(answer_id, False) == Outcome.stored
    assert store.rate(answer_id, True) == Outcome.updated
    assert build_report(store).overall["satisfied"] == 1


def test_unknown_answer_and_bad_values_are_refused(store: FeedbackStore) -> None:
    assert handle_feedback(store, turn(answer_id="khong-co", rating="up")).messages[0].text == UNKNOWN_ANSWER
    answer_id = answer(store)
    assert handle_feedback(store, turn(answer_id=answer_id, rating="7")).messages[0].text == INVALID_VALUE
    assert handle_feedback(store, turn(answer_id=answer_id, reason="vì sao")).messages[0].text == INVALID_VALUE
    assert handle_feedback(store, turn(stars="9")).messages[0].text == INVALID_VALUE
    assert build_report(store).overall["rated"] == 0


def test_conversation_csat_once_per_session(store: FeedbackStore) -> None:
    assert goodbye(answers_given=0, csat_asked=False).messages[-1].text != ASK_CSAT, "no CSAT after small talk only"
    ask = goodbye(answers_given=2, csat_asked=False)
    assert ask.messages[-1].text == ASK_CSAT and len(ask.messages[-1].buttons) == 5
    assert len(goodbye(answers_given=2, csat_asked=True).messages) == 1, "asked once"
    handle_feedback(store, turn(stars="4"))
    handle_feedback(store, turn(stars="4"))
    handle_feedback(store, turn(stars="2"))  # changed mind in the same session
    csat = build_report(store).conversation_csat
    assert csat["rated"] == 1 and csat["distribution"]["2"] == 1


def test_report_groups_by_week_channel_topic_and_exports(store: FeedbackStore, tmp_path: Path) -> None:
    before = dt.datetime.now(dt.UTC)
    for channel, up in (("telegram", True), ("telegram", False), ("webchat", True)):
        store.rate(answer(store, channel=channel), up)
    store.record_unanswered("u1", "webchat", "giá vàng hôm nay", 0.1, "v1")
    store.record_unanswered("u2", "webchat", "giá vàng hôm nay", 0.1, "v1")
    report = build_report(store)
    # the clock is read around the writes: a run across Sunday midnight puts them in two weeks
    weeks = {iso_week(before), iso_week(dt.datetime.now(dt.UTC))}
    assert set(report.by_week) <= weeks
    assert sum(report.by_week[w]["rated"] for w in report.by_week) == 3
    if len(weeks) == 1:
        assert report.by_week[weeks.pop()] == {"rated": 3, "satisfied": 2, "csat": 66.7}
    assert report.by_channel["telegram"]["csat"] == 50.0 and report.by_channel["webchat"]["csat"] == 100.0
    assert report.by_topic["procedure"]["rated"] == 3
    assert report.unanswered == [{"question": "giá vàng hôm nay", "count": 2}]
    text = to_markdown(report)
    assert "66.7%" in text and "SIPAS" in text
    assert (tmp_path / "csv" / "by_channel.csv") in write_csv(report, tmp_path / "csv")
    charts = write_charts(report, tmp_path / "charts")
    assert {p.suffix for p in charts} == {".png", ".svg"} and all(p.stat().st_size > 1000 for p in charts)


def test_report_counts_volume_by_hour_bot_only_resolution_and_top_questions(store: FeedbackStore) -> None:
    answered = store.record_answer("a", "telegram", "Làm hộ chiếu ở đâu?", ["cap-ho-chieu"], "procedure", "v1")
    store.rate(answered, True)
    store.record_answer("a", "telegram", "cảm ơn", [], "none", "v1", status="small_talk")
    disliked = store.record_answer("b", "webchat", "làm hộ chiếu  ở đâu", ["cap-ho-chieu"], "procedure", "v1")
    store.rate(disliked, False)
    store.record_answer("c", "webchat", "làm hộ chiếu ở đâu", ["cap-ho-chieu"], "procedure", "v1")
    store.record_handoff("c", "webchat", [{"who": "user", "text": "gặp cán bộ"}])
    store.record_answer("d", "webchat", "giá vàng", [], "none", "v1", status="declined")
    store.record_answer("e", "webchat", "xin chào", [], "none", "v1", status="small_talk")
    report = build_report(store)
    # a, b, c, d asked something; only a got an answer without 👎 or a handoff; e only greeted
    assert report.resolution == {"conversations": 4, "resolved_by_bot": 1, "pct": 25.0}
    assert report.top_questions[0] == {"question": "làm hộ chiếu ở đâu", "count": 3, "answered_pct": 100.0}
    assert {row["question"] for row in report.top_questions} == {"làm hộ chiếu ở đâu", "giá vàng"}
    assert sum(report.volume_by_hour["telegram"]) == 2 and sum(report.volume_by_hour["webchat"]) == 4
    hour = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).hour
    assert report.volume_by_hour["webchat"][hour] in (4, 0), "counted in Vietnam time"
    assert "Tỷ lệ tự giải quyết: 25.0%" in to_markdown(report)


def test_stored_questions_never_hold_personal_data(store: FeedbackStore) -> None:
    answer(store)
    with store.session() as session:
        from feedback.models import AnswerRecord

        [row] = session.query(AnswerRecord).all()
    assert "0912345678" not in row.question and "0912345678" not in row.conversation


def test_nothing_is_lost_while_the_database_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "feedback.db"
    store = FeedbackStore(f"sqlite:///{path}?timeout=0.2", "salt", spool_path=tmp_path / "spool.jsonl")
    answer_id = answer(store)
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN EXCLUSIVE")  # another process holds the database
    assert store.rate(answer_id, False) == Outcome.queued
    assert store.explain(answer_id, reason="off_topic") == Outcome.queued
    second = answer(store, "dang-ky-ket-hon")  # queued too, and still ratable
    assert store.rate(second, True) == Outcome.queued
    assert len(store.spool.pending()) == 4
    blocker.rollback()
    blocker.close()
    assert store.flush_spool() == 4 and not store.spool.pending()
    report = build_report(store)
    assert report.overall == {"rated": 2, "satisfied": 1, "csat": 50.0}
    assert report.reasons == {"off_topic": 1}
