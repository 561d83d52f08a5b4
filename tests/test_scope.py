import pytest

from knowledge.scope import outside_scope, scope_rules, unasked_qualifier
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


def test_a_nationality_asks_for_the_foreign_variant() -> None:
    birth = [words("Đăng ký khai sinh")]
    for question in (
        "chong nguoi Han Quoc, con sinh o Viet Nam thi dang ky khai sinh",
        "lấy chồng Nhật Bản làm khai sinh cho con",
    ):
        rule = outside_scope(words(question), birth)
        assert rule is not None and rule.name == "có yếu tố nước ngoài"
    # an entry about nationality or visas is itself about foreigners
    assert outside_scope(words("vợ người Lào xin quốc tịch"), [words("Nhập quốc tịch Việt Nam")]) is None


def test_a_country_one_travels_to_fits_a_passport_or_a_cross_border_permit() -> None:
    passport = [words("Cấp hộ chiếu phổ thông ở trong nước"), words("làm hộ chiếu")]
    assert outside_scope(words("toi muon lam ho chieu de di du lich thai lan"), passport) is None
    permit = [words("Cấp giấy phép vận tải qua biên giới")]
    assert outside_scope(words("xe khách chạy tuyến sang Campuchia xin giấy phép vận tải"), permit) is None
    # a foreign person is still outside the domestic passport's scope, and a country outside marriage's
    assert outside_scope(words("người nước ngoài làm hộ chiếu"), passport) is not None
    assert outside_scope(words("lấy chồng Hàn Quốc đăng ký kết hôn"), [words("Đăng ký kết hôn")]) is not None
    # a country alone still asks for the foreign variant of a procedure that has one
    foreign_birth = [words("Đăng ký khai sinh có yếu tố nước ngoài")]
    assert unasked_qualifier(words("con sinh ở Hàn Quốc đăng ký khai sinh"), foreign_birth) is None


def test_an_import_licence_fits_a_question_about_importing_goods() -> None:
    fertiliser = [words("Cấp giấy phép nhập khẩu phân bón")]
    assert outside_scope(words("xin giay phep nhap khau phan bon o bo nao"), fertiliser) is None
    firewall = [words("Cấp giấy phép nhập khẩu sản phẩm an toàn thông tin")]
    assert outside_scope(words("nhập khẩu thiết bị tường lửa cần giấy phép gì"), firewall) is None
    # a temporary import for privileged persons is not what an importer of a used car asks about
    privileged = [words("Tạm nhập khẩu xe ô tô, xe gắn máy của đối tượng được hưởng quyền ưu đãi, miễn trừ")]
    assert outside_scope(words("nhap khau xe o to da qua su dung can dieu kien gi"), privileged) is not None


def test_a_foreign_variant_is_one_the_question_must_ask_for() -> None:
    adoption = [words("Giải quyết việc nuôi con nuôi có yếu tố nước ngoài đối với trẻ em")]
    unasked = unasked_qualifier(words("cha dượng nhận con riêng của vợ làm con nuôi"), adoption)
    assert unasked is not None and unasked.name == "có yếu tố nước ngoài"
    assert unasked_qualifier(words("nhận con nuôi là người nước ngoài"), adoption) is None
    assert unasked_qualifier(words("nhận con nuôi"), [words("Đăng ký nuôi con nuôi trong nước")]) is None
    # nationality and visa entries are not variants of anything
    assert unasked_qualifier(words("xin nhập quốc tịch"), [words("Nhập quốc tịch Việt Nam")]) is None


def test_a_reissue_or_extension_is_a_variant_only_when_its_words_open_the_name() -> None:
    reissue = [words("Cấp lại giấy phép kiểm soát an ninh cảng hàng không, sân bay")]
    unasked = unasked_qualifier(words("xe của công ty cần giấy phép ra vào sân bay dài hạn"), reissue)
    assert unasked is not None and unasked.name == "cấp lại, đăng ký lại"
    assert unasked_qualifier(words("giấy phép ra vào sân bay bị mất, xin lại"), reissue) is None
    # "Cấp, cấp lại, điều chỉnh …" is the procedure itself, not its reissue
    assert (
        unasked_qualifier(
            words("xin giấy chứng nhận kinh doanh xổ số"),
            [words("Cấp, cấp lại, điều chỉnh Giấy chứng nhận đủ điều kiện kinh doanh xổ số")],
        )
        is None
    )
    extension = [words("Gia hạn giấy phép khai thác khoáng sản")]
    assert unasked_qualifier(words("xin giấy phép khai thác khoáng sản"), extension) is not None
    assert unasked_qualifier(words("giấy phép khai thác khoáng sản sắp hết hạn"), extension) is None


def test_every_rule_reads_and_asks_something() -> None:
    rules = scope_rules()
    assert len(rules) >= 5
    assert all(rule.asks and rule.entry_says and rule.name for rule in rules)
