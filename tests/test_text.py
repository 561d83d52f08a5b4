import pytest

from knowledge.text import fold_accents, lexical_terms, syllables

pytestmark = pytest.mark.unit


def test_fold_accents_handles_all_vietnamese_marks_and_d_bar() -> None:
    assert fold_accents("Đăng ký KHAI SINH ở đâu? Chứng thực, Ủy ban") == "dang ky khai sinh o dau? chung thuc, uy ban"


def test_decomposed_and_composed_unicode_fold_the_same() -> None:
    composed = "Thủ tục"
    decomposed = "Thu\u0309 tu\u0323c"
    assert syllables(composed) == syllables(decomposed) == ["thu", "tuc"]


def test_lexical_terms_include_bigrams_and_expand_abbreviations() -> None:
    terms = lexical_terms("mất CCCD", {"cccd": "can cuoc cong dan"})
    assert terms[:5] == ["mat", "can", "cuoc", "cong", "dan"]
    assert "can_cuoc" in terms and "mat_can" in terms


def test_unaccented_and_accented_queries_give_the_same_terms() -> None:
    assert lexical_terms("Làm giấy khai sinh ở đâu") == lexical_terms("lam giay khai sinh o dau")
