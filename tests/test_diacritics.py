import pytest

from knowledge.diacritics import DiacriticRestorer

pytestmark = pytest.mark.unit

CORPUS = [
    "Đăng ký khai sinh cho con ở đâu. Làm giấy khai sinh ở Ủy ban nhân dân cấp xã.",
    "Cấp lại thẻ căn cước khi bị mất. Lệ phí cấp lại là bao nhiêu.",
    "Sang tên sổ đỏ khi mua bán đất.",
]


def test_restores_a_question_from_the_corpus_vocabulary() -> None:
    restorer = DiacriticRestorer(CORPUS)
    assert restorer.restore("lam giay khai sinh o dau") == "làm giấy khai sinh ở đâu"
    assert restorer.restore("sang ten so do") == "sang tên sổ đỏ"


def test_unknown_words_and_accented_words_stay_as_typed() -> None:
    restorer = DiacriticRestorer(CORPUS)
    assert restorer.restore("mat cccd") == "mất cccd"
    assert restorer.restore("Lệ phí xyz") == "lệ phí xyz"
    assert restorer.restore("") == ""
