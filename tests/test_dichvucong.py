"""The national portal parser, on real records kept in the repository."""

import gzip
import json
import re
from pathlib import Path

import pytest

from knowledge.entries import load_entries
from knowledge.ingest.dichvucong import parse_channels, parse_documents, parse_legal_basis, parse_results
from knowledge.ingest.procedures import RECORDS, generate, load_selection
from knowledge.legal.build_registry import RECORDS as ALL_RECORDS
from tests.conftest import CONTENT_DIR

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    with RECORDS.open(encoding="utf-8") as handle:
        return {r["ma_thu_tuc"]: r for r in map(json.loads, handle)}


def test_channels_split_time_fee_and_note(records: dict[str, dict]) -> None:
    online, in_person = parse_channels(records["1.004222"]["cach_thuc_thuc_hien"])
    assert (online.kind, online.time, online.fee) == ("Trực tuyến", "7 ngày làm việc", "10.000 đồng")
    assert (in_person.kind, in_person.time, in_person.fee) == ("Trực tiếp", "7 ngày làm việc", "20.000 đồng")
    assert online.note.startswith("Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công")


def test_time_without_unit_is_not_guessed(records: dict[str, dict]) -> None:
    channel = parse_channels(records["1.001193"]["cach_thuc_thuc_hien"])[0]
    assert channel.time is not None and channel.fee == "miễn phí"
    assert channel.time.startswith("dữ liệu gốc chỉ ghi số “1”, không ghi đơn vị")


def test_missing_time_stays_unknown(records: dict[str, dict]) -> None:
    channel = parse_channels(records["1.001612"]["cach_thuc_thuc_hien"])[0]
    assert channel.time is None and channel.fee == "150.000 đồng"


def test_legal_basis_codes_are_cut_where_the_next_title_starts(records: dict[str, dict]) -> None:
    codes = [code for _, code in parse_legal_basis(records["1.001193"]["can_cu_phap_ly"])]
    assert "85/2019/TT-BTC" in codes and "123/2015/NĐ-CP" in codes and "66.7/2025/NQ-CP" in codes
    assert all(not code[-1].islower() for code in codes)


def test_documents_keep_their_cases_and_quantities(records: dict[str, dict]) -> None:
    groups = parse_documents(records["1.004222"]["thanh_phan_ho_so"])
    assert groups[0].case == "Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình"
    assert all(quantity for group in groups for _, quantity in group.items if quantity)
    assert any(quantity == "1 bản chính" for group in groups for _, quantity in group.items)


def test_a_count_glued_to_a_form_number_or_a_date_is_split() -> None:
    """Real cells: "… theo Mẫu số 18" + "1 bản chính" and "… ngày 13/02/2026" + "1 bản chính" are
    glued in the crawl; no record asks for 181 or 20261 originals."""
    wanted = {"1.013831", "1.014984"}
    with gzip.open(ALL_RECORDS, "rt", encoding="utf-8") as handle:
        found = {r["ma_thu_tuc"]: r for r in map(json.loads, handle) if r["ma_thu_tuc"] in wanted}
    items = [item for code in sorted(wanted) for group in parse_documents(found[code]["thanh_phan_ho_so"])
             for item in group.items]  # fmt: skip
    assert any(name.endswith("theo Mẫu số 18") and count.startswith("1 bản chính") for name, count in items)
    assert all(not re.match(r"\d{3}", count) for _, count in items), [c for _, c in items if re.match(r"\d{3}", c)]


def test_results_drop_codes_and_page_chrome(records: dict[str, dict]) -> None:
    assert parse_results(records["1.001193"]["ket_qua_xu_ly"]) == ["Giấy khai sinh"]


def test_generated_entries_match_the_shipped_ones(tmp_path: Path) -> None:
    # the review date the shipped entries were generated with, read from them
    reviewed = {e.last_reviewed for e in load_entries(CONTENT_DIR) if e.type == "procedure"}
    assert len(reviewed) == 1, reviewed
    count = generate(tmp_path, reviewed.pop())
    assert count == len(load_selection()) >= 40
    for path in (tmp_path / "procedures").glob("*.md"):
        shipped = (CONTENT_DIR / "procedures" / path.name).read_text(encoding="utf-8")
        assert path.read_text(encoding="utf-8") == shipped, f"{path.name} differs: rerun import-procedures"
    generated = {path.name for path in (tmp_path / "procedures").glob("*.md")}
    shipped = {path.name for path in (CONTENT_DIR / "procedures").glob("*.md")}
    assert shipped == generated, f"not generated from the selection: {sorted(shipped - generated)}"
    entries = load_entries(tmp_path)
    assert all(entry.procedure_code and entry.source.url for entry in entries)
