"""Search quality checks on the shipped content (behaviour, not speed)."""

from pathlib import Path

import pytest

from knowledge.embedder import Embedder
from knowledge.index import current_version
from knowledge.search import SearchIndex

pytestmark = pytest.mark.index


@pytest.fixture(scope="module")
def index(index_dir: Path, embedder: Embedder) -> SearchIndex:
    return SearchIndex(index_dir / current_version(index_dir), embedder)


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Chính phủ số là gì?", "nq76-chinh-phu-so"),
        ("chinh phu so la gi", "nq76-chinh-phu-so"),
        ("cải cách hành chính 2021-2030 gồm mấy nội dung", "nq76-sau-noi-dung"),
        ("lấy người dân, doanh nghiệp làm trung tâm", "nq76-quan-diem"),
        ("lam giay khai sinh o dau", "dang-ky-khai-sinh"),
        ("dang ky hkd can gi", "dang-ky-ho-kinh-doanh"),
        ("sang ten so do", "dang-ky-bien-dong-dat-dai"),
        ("mất cccd phải làm sao", "cap-lai-the-can-cuoc"),
    ],
)
def test_finds_the_matching_entry(index: SearchIndex, question: str, entry_id: str) -> None:
    assert index.search(question, k=3)[0].entry_id == entry_id


def test_results_carry_what_the_bot_needs(index: SearchIndex) -> None:
    best = index.search("Chính phủ số là gì?", k=5)[0]
    assert best.citation.startswith("Nghị quyết số 76/NQ-CP")
    assert best.heading_path[0] == best.title and best.text
    assert best.confidence >= 0.5, "confident enough to be answered"


def test_off_topic_question_has_low_confidence(index: SearchIndex) -> None:
    on_topic = index.search("Chính phủ số là gì?", k=1)[0].confidence
    off_topic = index.search("công thức nấu phở bò ngon", k=1)[0].confidence
    assert off_topic < 0.5 < on_topic


def test_empty_query_returns_nothing(index: SearchIndex) -> None:
    assert index.search("   ") == []


def test_at_most_one_result_per_entry(index: SearchIndex) -> None:
    results = index.search("cải cách hành chính", k=10)
    assert len({r.entry_id for r in results}) == len(results)


def test_votes_count_the_rankings_that_put_the_entry_first(index: SearchIndex) -> None:
    candidates = index.candidates("đăng ký khai sinh cho con")
    assert candidates is not None
    firsts = [index.passages.entry_ids[rows[0]] for rows in candidates.rankings.values() if rows]
    results = index.search("đăng ký khai sinh cho con", k=3)
    for result in results:
        assert result.votes == firsts.count(result.entry_id)
    assert results[0].entry_id == "dang-ky-khai-sinh" and results[0].votes >= 3, "a plain name: the rankings agree"
    assert results[0].confidence > results[1].confidence
    # the confidence grows with agreement, all else equal
    assert index.confidence(0.85, 0.8, 4) > index.confidence(0.85, 0.8, 1)
