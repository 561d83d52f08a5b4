from knowledge.answering import compose_answer, shorten
from knowledge.search import SearchResult


def result(confidence: float, text: str = "Chính phủ số là nội dung thứ sáu.") -> SearchResult:
    return SearchResult(
        entry_id="nq76-chinh-phu-so",
        title="Chính phủ số",
        heading_path=["Chính phủ số", "Khái niệm"],
        text=text,
        citation="Nghị quyết số 76/NQ-CP ngày 15/7/2021, mục III",
        url=None,
        entry_type="programme",
        score=0.03,
        dense_score=0.9,
        lexical_coverage=1.0,
        confidence=confidence,
    )


def test_answer_quotes_the_passage_and_cites_it() -> None:
    answer = compose_answer([result(0.9)], min_confidence=0.5)
    assert answer.found and answer.entry_ids == ["nq76-chinh-phu-so"]
    assert "Chính phủ số là nội dung thứ sáu." in answer.text
    assert answer.text.endswith("Căn cứ: Nghị quyết số 76/NQ-CP ngày 15/7/2021, mục III.")


def test_low_confidence_is_not_an_answer() -> None:
    answer = compose_answer([result(0.2)], min_confidence=0.5)
    assert not answer.found and answer.confidence == 0.2
    assert not compose_answer([], min_confidence=0.5).found


def test_shorten_cuts_at_a_sentence_end() -> None:
    text = "Câu một rất dài. " * 60
    short = shorten(text, 100)
    assert len(short) <= 102 and short.endswith("dài. …")
    assert shorten("ngắn", 100) == "ngắn"
