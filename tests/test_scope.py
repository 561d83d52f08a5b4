import pytest

from knowledge.scope import outside_scope, scope_rules
from knowledge.text import syllables

pytestmark = pytest.mark.unit


def words(text: str) -> tuple[str, ...]:
    return tuple(syllables(text))


def test_a_qualifier_the_entry_does_not_name_puts_the_question_outside_it() -> None:
    marriage = [words("Đăng ký kết hôn"), words("đăng ký kết hôn trong nước")]
    rule = outside_scope(words("dang ky ket hon voi nguoi nuoc ngoai can gi"), marriage)
    assert rule is not None and rule.name == "có yếu tố nước ngoài"
    assert outside_scope(words("đăng ký kết hôn cần giấy tờ gì"), marriage) is None


def test_import_is_not_registering_a_household() -> None:
    residence = [words("Đăng ký thường trú"), words("nhập khẩu"), words("nhập hộ khẩu")]
    assert outside_scope(words("nhap khau xe o to da qua su dung can dieu kien gi"), residence) is not None
    assert outside_scope(words("nhập khẩu về nhà chồng làm trên vneid được không"), residence) is None


def test_an_entry_that_names_the_qualifier_is_in_scope() -> None:
    foreign = [words("Đăng ký kết hôn có yếu tố nước ngoài")]
    assert outside_scope(words("kết hôn với người nước ngoài"), foreign) is None


def test_every_rule_reads_and_asks_something() -> None:
    rules = scope_rules()
    assert len(rules) >= 5
    assert all(rule.asks and rule.entry_says and rule.name for rule in rules)
