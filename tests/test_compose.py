import pytest

from dialogue.compose import format_citation, shorten

pytestmark = pytest.mark.unit


def test_citation_names_the_document_and_links_the_source() -> None:
    assert format_citation("Nghị quyết số 76/NQ-CP ngày 15/7/2021, mục III", None) == (
        "Căn cứ: Nghị quyết số 76/NQ-CP ngày 15/7/2021, mục III."
    )
    assert format_citation("Thủ tục mã 1.001193", "https://dichvucong.gov.vn/x").endswith(
        "Nguồn: https://dichvucong.gov.vn/x"
    )


def test_shorten_cuts_at_a_sentence_end() -> None:
    text = "Câu một rất dài. " * 60
    short = shorten(text, 100)
    assert len(short) <= 102 and short.endswith("dài. …")
    assert shorten("ngắn", 100) == "ngắn"
