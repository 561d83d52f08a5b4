"""The whole national catalogue import: every record imported, curated or rejected with a reason,
every imported entry valid and true to its record, names generated, re-import a reported refresh."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from knowledge.entries import Audience, Entry, load_entries
from knowledge.ingest import faithfulness
from knowledge.ingest.catalogue import (
    CATALOGUE_RECORDS,
    CITES_REPLACED,
    DUPLICATE,
    NO_CHANNELS,
    NO_DOCUMENTS,
    NO_NAME,
    REASON_NOTES,
    ImportReport,
    audience_of,
    import_catalogue,
    names_on_curated,
    read_records,
    review_folder,
)
from knowledge.ingest.names import action_names, common_names, head, load_alias_rules, plain_title, slug
from knowledge.ingest.procedures import RECORDS, load_selection
from knowledge.ingest.render import Selection
from knowledge.lexicon import load_synonyms
from tests.conftest import CONTENT_DIR

pytestmark = pytest.mark.unit

# The review date of the shipped procedure entries: fees in force are judged on it.
REVIEWED = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return read_records(CATALOGUE_RECORDS)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, Path]:
    target = tmp_path_factory.mktemp("catalogue") / "procedures"
    return import_catalogue(CATALOGUE_RECORDS, target, REVIEWED, content_dir=CONTENT_DIR), target


@pytest.fixture(scope="module")
def entries(imported: tuple[ImportReport, Path]) -> list[Entry]:
    return load_entries(imported[1])  # validates every file, refuses a duplicate id


def test_the_repository_holds_every_record(records: list[dict]) -> None:
    assert len(records) == 2642
    assert len({record["ma_thu_tuc"] for record in records}) == 2642
    assert CATALOGUE_RECORDS.stat().st_size < 4_000_000


def test_every_record_is_imported_curated_or_rejected_with_a_reason(
    imported: tuple[ImportReport, Path], records: list[dict]
) -> None:
    report, _ = imported
    rejected = [item["code"] for items in report.rejected.values() for item in items]
    assert len(report.imported) + len(report.curated) + len(rejected) == report.records == len(records)
    assert len(set(report.imported) | set(report.curated) | set(rejected)) == len(records), "a code in two states"
    assert sorted(report.curated) == sorted(item.code for item in load_selection())
    assert len(report.imported) > 2400, report.summary()
    assert all(reason and items for reason, items in report.rejected.items())
    known_reasons = {*faithfulness.CORE_CHECKS, NO_NAME, DUPLICATE, NO_DOCUMENTS, *REASON_NOTES}
    assert set(report.rejected) <= known_reasons and set(REASON_NOTES) <= known_reasons
    reasons = {*faithfulness.CORE_CHECKS, NO_CHANNELS, CITES_REPLACED}
    assert set(REASON_NOTES) - {NO_DOCUMENTS} <= reasons, "a note of no reason"


def test_every_imported_entry_validates_with_a_unique_stable_id(
    imported: tuple[ImportReport, Path], entries: list[Entry]
) -> None:
    report, _ = imported
    assert len(entries) == len(report.imported)
    assert {entry.procedure_code for entry in entries} == set(report.imported)
    curated_ids = {entry.id for entry in load_entries(CONTENT_DIR)}
    assert not curated_ids & {entry.id for entry in entries}, "an imported id takes a hand-written one"
    assert all(entry.type.value == "procedure" and entry.ministry and entry.source.url for entry in entries)


def test_every_imported_entry_is_true_to_its_record(entries: list[Entry], records: list[dict]) -> None:
    """The core checks of test_faithfulness.py (document numbers, amounts, time limits, agencies,
    fees) on every imported entry, failures collected in one list."""
    by_code = {record["ma_thu_tuc"]: record for record in records}
    failures = []
    for entry in entries:
        found = faithfulness.problems(entry, by_code[entry.procedure_code])
        failures += [f"{entry.procedure_code} {name}: {detail}" for name, detail in found.items()]
    assert not failures, failures[:20]
    assert all(not faithfulness.household_book_problems(entry, {}) for entry in entries)


def test_audience_follows_the_records_subjects(imported: tuple[ImportReport, Path]) -> None:
    assert audience_of({"doi_tuong_thuc_hien": "Công dân Việt Nam, Người nước ngoài"}) == Audience.citizen
    assert audience_of({"doi_tuong_thuc_hien": "Doanh nghiệp, Hợp tác xã"}) == Audience.business
    assert audience_of({"doi_tuong_thuc_hien": "Tổ chức (không bao gồm doanh nghiệp, HTX)"}) == Audience.business
    assert audience_of({"doi_tuong_thuc_hien": "Cán bộ, công chức, viên chức"}) == Audience.civil_servant
    assert audience_of({"doi_tuong_thuc_hien": "Công dân Việt Nam, Doanh nghiệp"}) == Audience.both
    assert audience_of({"doi_tuong_thuc_hien": ""}) == Audience.both
    report, _ = imported
    assert set(report.by_audience) == {"citizen", "business", "civil_servant", "both"}


def test_plain_titles_drop_the_wrapping_and_keep_the_qualifiers() -> None:
    assert plain_title("Thủ tục đăng ký khai sinh") == "Đăng ký khai sinh"
    assert plain_title("Thủ tục đăng ký khai tử lưu động") == "Đăng ký khai tử lưu động"
    first = "Đăng ký cấp Giấy chứng nhận (Cấp lần đầu)"
    assert plain_title(f"Thủ tục {first}") == first
    assert plain_title("Thủ tục đăng ký lại khai sinh có yếu tố nước ngoài") == (
        "Đăng ký lại khai sinh có yếu tố nước ngoài"
    )
    assert plain_title("Cấp đổi thẻ căn cước (thực hiện tại cấp trung ương)") == "Cấp đổi thẻ căn cước"
    assert plain_title("Phê duyệt đề án đóng cửa mỏ khoáng sản (cấp Tỉnh)") == "Phê duyệt đề án đóng cửa mỏ khoáng sản"
    assert plain_title(
        "Đăng ký, cấp biển số xe lần đầu thực hiện bằng dịch vụ công một phần hoặc trực tiếp thực hiện tại cấp "
        "trung ương,  cấp tỉnh, cấp xã"
    ) == ("Đăng ký, cấp biển số xe lần đầu")
    assert plain_title(
        "Thủ tục cấp bù lãi suất theo chương trình hỗ trợ các huyện nghèo tại Nghị quyết số 30a/2008/NQ-CP"
    ) == ("Cấp bù lãi suất theo chương trình hỗ trợ các huyện nghèo")
    assert plain_title("Thủ tục hải quan đối với hàng hóa quá cảnh") == "Thủ tục hải quan đối với hàng hóa quá cảnh"
    assert plain_title("Tách thửa hoặc hợp thửa đất.") == "Tách thửa hoặc hợp thửa đất"


def test_aliases_name_each_action_and_the_common_names() -> None:
    assert action_names("Cấp, cấp lại Giấy phép liên vận giữa Việt Nam và Lào") == [
        "cấp giấy phép liên vận giữa Việt Nam và Lào",
        "cấp lại giấy phép liên vận giữa Việt Nam và Lào",
    ]
    assert action_names("Cấp lại Giấy phép kinh doanh") == []
    assert head("Chứng thực chữ ký trong các giấy tờ, văn bản") == "Chứng thực chữ ký"
    rules = load_alias_rules()
    assert common_names("Cấp lại giấy phép lái xe", rules) == ["Cấp lại bằng lái xe"]
    assert common_names("Xóa đăng ký thường trú", rules) == ["xóa hộ khẩu", "cắt hộ khẩu"]  # not "xóa nhập hộ khẩu"
    land = common_names("Cấp đổi Giấy chứng nhận quyền sử dụng đất", rules)
    assert "cấp đổi sổ đỏ" in [name.lower() for name in land]
    assert all(rule.why for rule in rules)


def test_ids_are_slugs_with_the_code_only_when_shared(imported: tuple[ImportReport, Path]) -> None:
    assert slug("Đăng ký khai tử lưu động") == "dang-ky-khai-tu-luu-dong"
    assert len(slug("Cấp " + "giấy phép rất dài " * 20)) <= 60
    _, target = imported
    state = json.loads((target / "catalogue-state.json").read_text("utf-8"))["records"]
    ids = [item["id"] for item in state.values()]
    assert len(ids) == len(set(ids))
    # "Cấp đổi thẻ căn cước" is done at three levels: each gets its code.
    same = [item["id"] for item in state.values() if item["id"].startswith("cap-doi-the-can-cuoc-")]
    assert len(same) >= 2 and "cap-doi-the-can-cuoc" not in ids


def test_generated_names_find_the_curated_entries(records: list[dict]) -> None:
    """The alias figure of bench/results/catalogue_import.md, held."""
    names = names_on_curated(records, load_selection(), load_alias_rules(), load_synonyms(CONTENT_DIR))
    figures = names["figures"]
    assert figures["a generated name finds the curated entry among the 50 (with rules)"]["share"] >= 0.9
    with_rules = figures["hand-written names that find their record among all 2642 (with rules)"]["share"]
    without = figures["hand-written names that find their record among all 2642 (without rules)"]["share"]
    assert with_rules > without


def small_records() -> list[dict]:
    with RECORDS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle][:4]


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path


def test_reimport_updates_what_changed_and_reports_what_disappeared(tmp_path: Path) -> None:
    first = small_records()
    target = tmp_path / "out"
    report = import_catalogue(write(tmp_path / "v1.jsonl", first), target, REVIEWED, selection=[], content_dir=None)
    assert len(report.imported) == 4 and len(report.new) == 4
    state = json.loads((target / "catalogue-state.json").read_text("utf-8"))["records"]
    ids = {code: item["id"] for code, item in state.items()}

    second = copy.deepcopy(first[:3])  # the fourth record disappeared
    changed = second[0]
    changed["ten_thu_tuc"] = changed["ten_thu_tuc"] + " lưu động"
    changed["linh_vuc"] = "Hộ tịch (sửa)"
    report = import_catalogue(write(tmp_path / "v2.jsonl", second), target, REVIEWED, selection=[], content_dir=None)
    assert report.unchanged == 2 and not report.new
    [change] = report.changed
    assert change["code"] == changed["ma_thu_tuc"] and change["id"] == ids[changed["ma_thu_tuc"]], "id kept"
    assert set(change["record_fields"]) == {"ten_thu_tuc", "linh_vuc"}
    fields = {item["field"]: item for item in change["entry"]}
    assert fields["title"]["after"] == fields["title"]["before"] + " lưu động"
    assert "Hộ tịch (sửa)" in fields["section: Cơ quan và cấp thực hiện"]["after"]
    entry = (target / f"{change['id']}.md").read_text("utf-8")
    assert "lưu động" in entry and "Hộ tịch (sửa)" in entry
    gone = first[3]["ma_thu_tuc"]
    assert [item["code"] for item in report.disappeared] == [gone]
    review = review_folder(target)
    assert not (target / f"{ids[gone]}.md").exists(), "no longer served"
    assert (review / f"{ids[gone]}.md").exists(), "a record that disappeared keeps its entry until reviewed"

    # Reported again on the next import, until someone removes the entry.
    again = import_catalogue(tmp_path / "v2.jsonl", target, REVIEWED, selection=[], content_dir=None)
    assert [item["code"] for item in again.disappeared] == [gone] and again.unchanged == 3
    (review / f"{ids[gone]}.md").unlink()
    assert not import_catalogue(tmp_path / "v2.jsonl", target, REVIEWED, selection=[], content_dir=None).disappeared

    # A record curated since: its imported entry is reported (the hand-written one wins), not deleted.
    code = second[1]["ma_thu_tuc"]
    curated = [Selection(code=code, id="curated-by-hand", title="Tên viết tay", aliases=[])]
    report = import_catalogue(tmp_path / "v2.jsonl", target, REVIEWED, selection=curated, content_dir=None)
    assert report.curated == [code] and [(item["code"], item["why"]) for item in report.withdrawn] == [
        (code, "curated")
    ]
    assert (review / f"{ids[code]}.md").exists() and not (target / f"{ids[code]}.md").exists()


def test_broken_records_are_rejected_by_code_with_the_reason(tmp_path: Path) -> None:
    good, other = small_records()[:2]
    nameless = {**copy.deepcopy(other), "ma_thu_tuc": "9.000001", "ten_thu_tuc": "  "}
    no_documents = {**copy.deepcopy(other), "ma_thu_tuc": "9.000002", "thanh_phan_ho_so": "Không có thông tin"}
    twice = {**copy.deepcopy(good), "ten_thu_tuc": "Một bản ghi khác cùng mã"}
    path = write(tmp_path / "broken.jsonl", [good, nameless, no_documents, twice])
    report = import_catalogue(path, tmp_path / "out", REVIEWED, selection=[], content_dir=None)
    reasons = {reason: [item["code"] for item in items] for reason, items in report.rejected.items()}
    assert reasons == {
        DUPLICATE: [good["ma_thu_tuc"], good["ma_thu_tuc"]],
        NO_NAME: ["9.000001"],
        NO_DOCUMENTS: ["9.000002"],
    }
    assert report.imported == [] and report.records == 4
    assert not list((tmp_path / "out").glob("*.md")), "nothing half-rendered"
