import pytest

from knowledge.catalog import Catalog, CatalogEntry, name_forms
from knowledge.details import detect_detail, without_details
from knowledge.nlu_data import catalog_from_content, render
from knowledge.settings import REPO_ROOT

pytestmark = pytest.mark.unit

CONTENT = REPO_ROOT / "knowledge" / "content"


def catalog() -> Catalog:
    entries = [
        CatalogEntry("dang-ky-khai-sinh", "Đăng ký khai sinh", "procedure", ("làm giấy khai sinh",)),
        CatalogEntry("cap-lai-the-can-cuoc", "Cấp lại thẻ căn cước", "procedure", ("mất cccd",)),
        CatalogEntry("nhan-con-nuoi", "Đăng ký nuôi con nuôi", "procedure", ("nhận con nuôi",)),
        CatalogEntry("nhan-con", "Đăng ký nhận cha, mẹ, con", "procedure", ("nhận con",)),
        CatalogEntry("chinh-phu-so", "Chính phủ số", "programme", ()),
    ]
    return Catalog(entries, {"cccd": "căn cước công dân"})


def test_leading_verbs_are_dropped_but_not_those_that_name_the_procedure() -> None:
    assert [form for form, _ in name_forms("Làm giấy khai sinh")] == ["làm giấy khai sinh", "giấy khai sinh"]
    assert [form for form, _ in name_forms("Đăng ký khai sinh")] == ["đăng ký khai sinh", "khai sinh"]
    assert [form for form, _ in name_forms("Cấp lại thẻ căn cước")] == ["cấp lại thẻ căn cước"]
    assert name_forms("Biến động đất (chuyển nhượng, tặng cho)")[0][0] == "biến động đất"


def test_resolve_exact_names_with_or_without_diacritics_and_ids() -> None:
    names = catalog()
    assert names.resolve("khai sinh") == "dang-ky-khai-sinh"
    assert names.resolve("GIAY KHAI SINH") == "dang-ky-khai-sinh"
    assert names.resolve("dang-ky-khai-sinh") == "dang-ky-khai-sinh"
    assert names.resolve("mất căn cước công dân") == "cap-lai-the-can-cuoc"  # abbreviation expanded
    assert names.resolve("chinh-phu-so") is None  # not a procedure
    assert names.resolve("hộ chiếu") is None


def test_find_in_prefers_the_longest_name() -> None:
    names = catalog()
    assert names.find_in("tôi muốn nhận con nuôi thì sao") == "nhan-con-nuoi"
    assert names.find_in("thủ tục nhận con cho bố") == "nhan-con"
    assert names.find_in("lam giay khai sinh o dau") == "dang-ky-khai-sinh"
    assert names.find_in("mat cccd roi") == "cap-lai-the-can-cuoc"
    assert names.find_in("thời tiết hôm nay") is None


def test_detail_kinds_from_keywords() -> None:
    assert detect_detail("lệ phí bao nhiêu").code == "fee"
    assert detect_detail("mat bao lau").code == "time"
    assert detect_detail("cần giấy tờ gì").code == "documents"
    assert detect_detail("nộp ở đâu").code == "place"
    assert detect_detail("cho tôi xem căn cứ pháp lý").code == "legal_basis"
    assert detect_detail("xem chi tiết").code == "full"
    assert detect_detail("thuận tiện không") is None  # "tiện" is not money
    assert detect_detail("bắt buộc không") is None


def test_generated_nlu_names_are_up_to_date() -> None:
    expected = render(catalog_from_content(CONTENT))
    actual = (REPO_ROOT / "bot" / "data" / "procedures.yml").read_text(encoding="utf-8")
    assert actual == expected, "run `python -m knowledge nlu-data` and commit bot/data/procedures.yml"


def test_every_procedure_has_names_with_and_without_diacritics() -> None:
    names = catalog_from_content(CONTENT)
    text = (REPO_ROOT / "bot" / "data" / "procedures.yml").read_text(encoding="utf-8")
    for entry in names.entries.values():
        if entry.entry_type == "procedure":
            assert f"synonym: {entry.entry_id}" in text
    assert "- khai sinh\n" in text and "- dang ky khai sinh\n" in text


def test_a_longer_name_of_another_entry_is_not_read_as_a_procedure() -> None:
    """ "sang tên sổ đỏ" is an FAQ's name: its part "sổ đỏ" must not pick the first-issue procedure."""
    catalog = catalog_from_content(REPO_ROOT / "knowledge" / "content")
    assert catalog.find_in("cấp sổ đỏ lần đầu cần gì") == "cap-so-do-lan-dau"
    assert catalog.find_in("sang tên sổ đỏ cần gì") is None
    assert catalog.find_in("sang ten so do can giay to gi") is None


def test_an_entry_whose_name_contains_the_named_procedure_refines_it() -> None:
    entries = [
        CatalogEntry("dang-ky-tam-tru", "Đăng ký tạm trú", "procedure", ("làm tạm trú",)),
        CatalogEntry("gia-han-tam-tru", "Gia hạn tạm trú", "procedure", ()),
        CatalogEntry("cap-gplx", "Cấp giấy phép lái xe", "procedure", ("thi bằng lái",)),
        CatalogEntry("cap-lai-gplx", "Cấp lại giấy phép lái xe", "procedure", ()),
        CatalogEntry("thoi-han-khai-sinh", "Thời hạn đăng ký khai sinh là bao lâu?", "faq", ()),
        CatalogEntry("dang-ky-khai-sinh", "Đăng ký khai sinh", "procedure", ()),
    ]
    names = Catalog(entries)
    named, words = names.find_name_in("hết hạn thì gia hạn tạm trú trước mấy ngày")
    assert named == "gia-han-tam-tru"  # the longest name wins outright
    named, words = names.find_name_in("tam tru het han thi lam sao")
    assert (named, words) == ("dang-ky-tam-tru", ("tam", "tru"))
    assert names.refines("gia-han-tam-tru", named, words)
    assert names.refines("cap-lai-gplx", "cap-gplx", ("bang", "lai"))  # a name of the named entry
    assert names.refines("thoi-han-khai-sinh", "dang-ky-khai-sinh", ("khai", "sinh"))
    assert not names.refines("dang-ky-khai-sinh", "dang-ky-tam-tru", ("tam", "tru"))


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("khai sinh cho bé có mất đồng nào ko ad", "fee"),
        ("sang tên xe tốn bn tiền ad", "fee"),
        ("tam tru mat bao nhieu ngay", "time"),
        ("tk dinh danh muc 2 bao lau thi dc duyet", "time"),
        ("đăng ký khai sinh trên vneid đc k", "place"),
        ("khai báo tạm vắg lm online đc ko", "place"),
        ("nhập hộ khẩu thì công an phường làm hay ủy ban phường làm", "agency"),
        ("khai tu cho ong ngoai can nhung j", "documents"),
        ("kết hôn xong thì được nhận giấy gì", "result"),
        ("nhận con nuôi thì người nhận phải hơn con nuôi bn tuổi", "conditions"),
        ("thủ tục này theo thông tư nào", "legal_basis"),
    ],
)
def test_detail_kinds_as_people_type_them(question: str, code: str) -> None:
    kind = detect_detail(question)
    assert kind is not None and kind.code == code, question


def test_costing_a_fee_is_not_losing_something() -> None:
    """ "mất phí" (it costs a fee) is taken out with the fee phrase, so the "mất" (lost)
    left behind cannot point the question at the re-issue of a lost card."""
    assert without_details("đổi thẻ căn cước mất phí ko hay free").split() == [
        "doi",
        "the",
        "can",
        "cuoc",
        "ko",
        "hay",
        "free",
    ]
    assert "mat" in without_details("mất thẻ căn cước thì làm lại ở đâu").split()


def family_catalog() -> Catalog:
    entries = [
        CatalogEntry("khai-sinh", "Đăng ký khai sinh", "procedure", (), "Cấp xã"),
        CatalogEntry("khai-sinh-nn", "Đăng ký khai sinh có yếu tố nước ngoài", "procedure", (), "Cấp xã"),
        CatalogEntry("khai-sinh-ld", "Đăng ký khai sinh lưu động", "procedure", (), "Cấp xã"),
        CatalogEntry("khai-sinh-lai", "Đăng ký lại khai sinh", "procedure", (), "Cấp xã"),
        CatalogEntry("gpxd-tinh", "Cấp giấy phép xây dựng", "procedure", (), "Cấp tỉnh"),
        CatalogEntry("gpxd-xa", "Cấp giấy phép xây dựng", "procedure", (), "Cấp xã"),
        CatalogEntry("ho-tich", "Hộ tịch là gì", "faq", ()),
        CatalogEntry("ban-sao", "Cấp bản sao trích lục hộ tịch, bản sao giấy khai sinh", "procedure", (), "Cấp xã"),
    ]
    return Catalog(entries)


def test_variants_have_the_common_case_their_title_contains() -> None:
    names = family_catalog()
    for variant in ("khai-sinh-nn", "khai-sinh-ld", "khai-sinh-lai"):
        assert names.common_case(variant) == "khai-sinh"
    assert names.common_case("khai-sinh") is None
    assert sorted(names.variants("khai-sinh")) == ["khai-sinh-lai", "khai-sinh-ld", "khai-sinh-nn"]
    assert names.variants("ho-tich") == [] and names.common_case("ho-tich") is None
    assert names.common_case("ban-sao") is None, "it names birth registration's paper, not the procedure"


def test_the_same_procedure_at_two_levels_are_siblings() -> None:
    names = family_catalog()
    assert names.variants("gpxd-tinh") == ["gpxd-xa"] and names.variants("gpxd-xa") == ["gpxd-tinh"]
    assert names.common_case("gpxd-tinh") is None


def test_a_question_names_a_qualifier_only_with_its_own_words() -> None:
    names = family_catalog()
    assert names.qualifier("khai-sinh-lai", "khai-sinh") == {"lai"}  # "đăng ký" tells nothing apart
    assert names.names_qualifier("dang ky lai khai sinh cho con", "khai-sinh-lai", "khai-sinh")
    assert not names.names_qualifier("đăng ký khai sinh cho con", "khai-sinh-lai", "khai-sinh")
    assert names.names_qualifier("khai sinh cho con có yếu tố nước ngoài", "khai-sinh-nn", "khai-sinh")
    assert not names.names_qualifier("khai sinh có cần mang gì", "khai-sinh-nn", "khai-sinh")  # "có" alone
    assert names.names_qualifier("đi khai sinh lưu động", "khai-sinh-ld", "khai-sinh")
