"""Every fact a generated entry states must be found in the record it was generated from.

The evaluation checks that the right entry is retrieved, not that the entry is right;
these tests check every generated entry (not examples): document numbers, amounts,
time limits and agencies come from the record, "miễn phí" only where nothing is
charged, no expired reduction shown as current, abolished units always explained.
FAQs and programme entries may only cite document numbers the repository holds, and state
only figures found in the kept copy of what they cite.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from dialogue.texts import text
from knowledge.entries import Entry, load_entry
from knowledge.ingest import faithfulness, kept_sources
from knowledge.ingest.dichvucong import parse_channels
from knowledge.ingest.facts import (
    amounts,
    document_numbers,
    malformed_numbers,
    nfc,
)
from knowledge.ingest.procedures import RECORDS, load_overrides, load_selection
from knowledge.ingest.render import MINISTRIES
from knowledge.local_government import mentions_abolished_units
from tests.conftest import CONTENT_DIR

pytestmark = pytest.mark.unit

LEGAL_TEXTS = CONTENT_DIR.parent / "sources" / "legal"
PROCEDURES = sorted((CONTENT_DIR / "procedures").glob("*.md"))
HAND_WRITTEN = sorted((CONTENT_DIR / "faq").glob("*.md")) + sorted((CONTENT_DIR / "programme").glob("*.md"))
# A fee note that says something is charged: the provincial council sets it, a fee rate, a fee circular.
CHARGED = re.compile(r"Hội đồng nhân dân|mức thu|Luật phí và lệ phí|\d+/\d{4}/TT-BTC")
# Any word that may name a district-level unit or a thị trấn, however spelt (upper case too).
ABOLISHED_UNITS = re.compile(r"\b(huyện|quận|thị xã|thị trấn)\b", re.I)
# Records a review found to be about something else than what citizens asked.
WRONG_RECORDS = {
    "2.000639": "BHYT cards of police officers' relatives, not a citizen's card",
    "1.001294": "BHYT cards of police officers' relatives",
    "1.002438": "BHYT cards of police officers' relatives",
    "1.012753": "first land certificate for organisations, not households and individuals",
    "1.013980": "household agreements and court outcomes, not a transfer",
    "1.012549": "under-14 ID card at the province although the commune does it",
}


@cache
def records() -> dict[str, dict]:
    with RECORDS.open(encoding="utf-8") as handle:
        return {record["ma_thu_tuc"]: record for record in map(json.loads, handle)}


record_text = faithfulness.record_text
section = faithfulness.section


def procedure(path: Path) -> tuple[Entry, dict]:
    entry = load_entry(path)
    assert entry.procedure_code in records(), f"{path.name}: no record {entry.procedure_code}"
    return entry, records()[entry.procedure_code]


# The core checks live in knowledge/ingest/faithfulness.py: the catalogue import rejects a
# record whose entry fails one, and tests/test_catalogue.py runs them on every imported entry.
@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_document_numbers_are_complete_and_in_the_record(path: Path) -> None:
    entry, record = procedure(path)
    problems = faithfulness.document_number_problems(entry, record)
    assert not problems, problems


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_the_ministry_is_the_one_that_published_the_record(path: Path) -> None:
    entry, record = procedure(path)
    assert entry.ministry == MINISTRIES[record["ministry_dir"]]
    assert not faithfulness.ministry_problems(entry, record)


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_amounts_are_in_the_record(path: Path) -> None:
    entry, record = procedure(path)
    problems = faithfulness.amount_problems(entry, record)
    assert not problems, problems


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_time_limits_are_in_the_record(path: Path) -> None:
    entry, record = procedure(path)
    # A reviewed override may give a time a held law sets (its quotes are checked below).
    from_law = faithfulness.law_time_limits(load_overrides().get(entry.procedure_code or ""))
    problems = faithfulness.time_limit_problems(entry, record, from_law)
    assert not problems, problems


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_agencies_are_in_the_record(path: Path) -> None:
    entry, record = procedure(path)
    problems = faithfulness.agency_problems(entry, record)
    assert not problems, problems


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_commune_level_procedures_name_the_commune_body(path: Path) -> None:
    """A procedure done at the commune must not be summarised as done only elsewhere."""
    entry, record = procedure(path)
    if "Cấp xã" not in (record.get("cap_thuc_hien") or "") or "Ủy ban nhân dân cấp xã" not in record_text(record):
        return
    summary = section(entry, "Tóm tắt")
    agencies = summary.split(" giải quyết")[0]
    commune = re.search(r"cấp xã|(?:ủy ban nhân dân|ubnd|công an) xã", agencies, re.I)
    assert commune, "summary leaves out the commune body"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_free_only_when_nothing_is_charged(path: Path) -> None:
    """'Miễn phí' is wrong when the record's note states an amount, a fee rate or the provincial council."""
    entry, record = procedure(path)
    problems = faithfulness.free_problems(entry, record)
    assert not problems, problems


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_expired_fee_reductions_are_not_shown_and_current_ones_are(path: Path) -> None:
    entry, record = procedure(path)
    problems = faithfulness.expired_fee_problems(entry, record)
    assert not problems, problems


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_abolished_units_carry_the_two_level_note(path: Path) -> None:
    entry = load_entry(path)
    """Every abolished unit an entry names is one the dialogue recognises, so the
    answer showing it carries the two-level note (tests/test_replies.py checks
    the answers of every procedure entry)."""
    entry = load_entry(path)
    for found in ABOLISHED_UNITS.finditer(entry.body):
        assert mentions_abolished_units(found.group(0)), found.group(0)


def test_the_two_level_note_names_every_abolished_unit() -> None:
    note = text("answer.two_level_note")
    for unit in ("huyện", "quận", "thị xã", "thị trấn", "72/2025/QH15"):
        assert unit in note
    assert not mentions_abolished_units("cơ quan quản lý quân sự"), "quan, quản, quân are not quận"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_application_forms_are_not_filed_under_notes(path: Path) -> None:
    entry = load_entry(path)
    for heading, block in re.findall(r"^### ([^\n]+)\n(.*?)(?=^#|\Z)", section(entry, "Thành phần hồ sơ"), re.S | re.M):
        if heading.startswith("Lưu ý"):
            forms = [line for line in block.splitlines() if re.match(r"- (Tờ khai|Mẫu|Đơn)", line)]
            assert not forms, f"forms filed under '{heading}': {forms}"


def test_no_selection_uses_a_record_known_to_be_about_something_else() -> None:
    wrong = {item.id: WRONG_RECORDS[item.code] for item in load_selection() if item.code in WRONG_RECORDS}
    assert not wrong, wrong


def test_citizen_entries_are_not_built_on_police_personnel_records() -> None:
    for item in load_selection():
        steps = nfc(records()[item.code].get("trinh_tu_thuc_hien") or "")
        assert not re.search(r"thân nhân.{0,80}Công an nhân dân|hạ sĩ quan, chiến sĩ", steps), item.id


@cache
def legal_numbers() -> set[str]:
    """Every document number of a kept legal text or portal record (the whole catalogue is kept)."""
    kept = [*kept_sources.legal_texts(), *kept_sources.records().values()]
    return {number for text in kept for number in document_numbers(text.raw)}


@pytest.mark.parametrize("path", HAND_WRITTEN, ids=lambda path: path.stem)
def test_hand_written_entries_cite_documents_the_repository_holds(path: Path) -> None:
    entry = load_entry(path)
    text = nfc(f"{entry.source.document}\n{entry.body}")
    assert malformed_numbers(text) == []
    unknown = set(document_numbers(text)) - legal_numbers()
    assert not unknown, f"cited documents not in knowledge/sources/legal or a record: {sorted(unknown)}"
    if document_numbers(nfc(entry.source.document)):
        assert re.search(r"Điều \d+|mục [IVX]+|Phụ lục|khoản", entry.source.section or ""), "cite the article"


@pytest.mark.parametrize("path", HAND_WRITTEN, ids=lambda path: path.stem)
def test_hand_written_figures_are_in_the_kept_sources_they_cite(path: Path) -> None:
    """Every number, percentage and date a FAQ or programme entry states is in the kept copy
    of what it cites (legal text, programme summary, portal record) or in sources/givens.md."""
    assert not kept_sources.untraced_figures(load_entry(path))


def test_a_figure_not_in_the_cited_source_is_found() -> None:
    """The check above can fail: a made-up rate in an entry citing QĐ 2629 is caught, the real one is not."""
    entry = load_entry(CONTENT_DIR / "faq" / "muc-tieu-hai-long-dvc-truc-tuyen.md")
    assert not kept_sources.untraced_figures(entry)
    invented = entry.model_copy(update={"body": entry.body + "\n\nĐến năm 2030, 97% thủ tục được số hóa."})
    assert kept_sources.untraced_figures(invented) == ["97%"]


def test_no_faq_says_the_commune_cannot_certify_translators_signatures() -> None:
    """Pre-2025 wording; the 2026 records put chứng thực chữ ký người dịch at the commune (NĐ 280/2025/NĐ-CP)."""
    for path in HAND_WRITTEN:
        assert "trừ chữ ký người dịch" not in path.read_text(encoding="utf-8"), path.name


def apply_lines(entry: Entry) -> str:
    """The sentences that say how to apply: the summary's 'Hình thức nộp' and 'Có thể nộp hồ sơ …'."""
    summary = re.search(r"Hình thức nộp: [^.]*\.", section(entry, "Tóm tắt"))
    place = re.search(r"Có thể nộp hồ sơ [^.]*\.", section(entry, "Nơi nộp và cách nộp"))
    return " ".join(match.group(0) for match in (summary, place) if match)


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_a_postal_row_that_only_returns_the_result_is_not_a_way_to_apply(path: Path) -> None:
    """'Trả kết quả qua dịch vụ bưu chính' (review A1) mails the result; the applicant still comes in person."""
    entry, record = procedure(path)
    for channel in parse_channels(record.get("cach_thuc_thuc_hien", "")):
        text = " ".join(part for part in (channel.note, channel.description) if part)
        if channel.kind == "Dịch vụ bưu chính" and "Trả kết quả qua dịch vụ bưu chính" in text and "nộp" not in text:
            assert "bưu chính" not in apply_lines(entry), "postal return of the result listed as a way to apply"
            assert "Dịch vụ bưu chính:" not in entry.body, "postal return row listed with a time or fee"


def squeeze(text: str) -> str:
    """Compare quotes without caring about line breaks and no-break spaces."""
    return re.sub(r"\s+", " ", nfc(text)).strip()


@pytest.mark.parametrize("code", sorted(load_overrides()), ids=str)
def test_overrides_quote_their_record_and_held_laws(code: str) -> None:
    """A reviewed correction (overrides.yml) rests on the record's own words, or a held legal text."""
    override = load_overrides()[code]
    assert code in records() and override.why and (override.quotes or override.law)
    text = squeeze(record_text(records()[code]))
    for quote in override.quotes:
        assert squeeze(quote) in text, f"not in record {code}: {quote[:80]}"
    for wrong, right in (override.corrections or {}).items():
        assert squeeze(wrong) in text, f"correction of text not in record {code}: {wrong[:80]}"
        numbers = set(document_numbers(right)) - set(document_numbers(wrong))
        elsewhere = set(document_numbers(text.replace(squeeze(wrong), "")))
        assert numbers <= elsewhere, f"corrected number not found elsewhere in record {code}: {numbers - elsewhere}"
    for name, quotes in (override.law or {}).items():
        law = squeeze((LEGAL_TEXTS / name).read_text(encoding="utf-8"))
        for quote in quotes:
            assert squeeze(quote) in law, f"not in {name}: {quote[:80]}"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_summary_never_shows_a_fee_cell_its_own_note_contradicts(path: Path) -> None:
    """A cell amount (5.000) whose note gives another amount (7.000) is not shown without context (A3)."""
    entry, record = procedure(path)
    summary = section(entry, "Tóm tắt")
    for channel in parse_channels(record.get("cach_thuc_thuc_hien", "")):
        cell = amounts(channel.fee or "")
        noted = amounts(channel.fee_note or "")
        values = {int(amount.replace(".", "")) for amount in noted}  # "5000 đồng" is 5.000
        for amount in {a for a in cell if int(a.replace(".", "")) not in values} if noted else ():
            shown = re.search(rf"(?<![\d.]){re.escape(amount)}(?!\d)", summary)
            assert not shown, f"{channel.kind}: cell {amount} shown, the record's note says {sorted(noted)}"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_no_procedure_requires_the_abolished_household_book(path: Path) -> None:
    """Paper household books are no longer among the papers that prove residence (Nghị định
    104/2022/NĐ-CP, faq/so-ho-khau-con-gia-tri-khong.md); a record that still requires one is
    outdated and its document list is not published (review A4)."""
    entry, record = procedure(path)
    problems = faithfulness.household_book_problems(entry, record)
    assert not problems, problems


# A number in a time statement that has no unit after it (nor is quoted as what the record wrote).
BARE_TIME = re.compile(r"(?<![\d“/.])\b\d{1,3}\b(?![\d/.,”])(?!\s*(?i:ngày|giờ|tháng|năm|phút|km))")


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_no_time_limit_is_a_bare_number(path: Path) -> None:
    """'Thời hạn giải quyết: 1' (review B8) means nothing: every number carries its unit."""
    entry = load_entry(path)
    summary = re.search(r"Thời hạn giải quyết: (.*?)\.(?: |$)", section(entry, "Tóm tắt"))
    statements = [summary.group(1)] if summary else []
    statements += section(entry, "Thời hạn giải quyết").splitlines()
    for statement in statements:
        statement = re.sub(r"(?:Điều|khoản|mục) \d+|\d+ giờ|Bước \d+", "", statement)
        bare = BARE_TIME.findall(statement)
        assert not bare, f"time without a unit: {statement[:120]}"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_birth_and_death_registration_are_free_only_on_time(path: Path) -> None:
    """Luật Hộ tịch Điều 11 exempts khai sinh / khai tử registered on time (review B2), not every case."""
    entry = load_entry(path)
    if not re.match(r"Đăng ký (khai sinh|khai tử)$", entry.title):
        return
    fee = re.search(r"Phí, lệ phí: (.*?)\(Chi tiết", section(entry, "Tóm tắt"), re.S)
    if fee and "miễn" in fee.group(1).lower():
        assert "đúng hạn" in fee.group(1), f"exemption without its condition: {fee.group(1)[:100]}"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_ask_about_a_fee_only_when_another_channel_is_really_charged(path: Path) -> None:
    """A copy fee charged only on request (review A5) does not make a free registration doubtful."""
    entry, record = procedure(path)
    if "ghi có phí, lệ phí ở hình thức nộp khác" not in entry.body:
        return
    notes = [channel.fee_note or "" for channel in parse_channels(record.get("cach_thuc_thuc_hien", ""))]
    real = [note for note in notes if CHARGED.search(note) and "nếu có yêu cầu" not in note]
    assert real, "only an optional charge ('nếu có yêu cầu') in the record"


TIME_WORDS = re.compile(r"(?i)\b\d+\s*(?:ngày làm việc|giờ làm việc|ngày|giờ|tháng|năm|phút)\b|không quá")


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_several_time_limits_each_say_what_they_are_for(path: Path) -> None:
    """'2 ngày làm việc; 7 ngày làm việc; 1 giờ' (review B4, A6): each limit is labelled with its case
    or channel; where the record lists a channel twice, its rows are cases and need a case."""
    entry, record = procedure(path)
    summary = re.search(r"Thời hạn giải quyết: (.*?)\.(?: |$)", section(entry, "Tóm tắt"))
    if not summary:
        return
    kinds = [channel.kind for channel in parse_channels(record.get("cach_thuc_thuc_hien", ""))]
    parts = [part for part in summary.group(1).split(";") if TIME_WORDS.search(part)]
    if len(parts) < 2:
        return
    channel_names = re.compile(r"(?i)trực tuyến|trực tiếp|dịch vụ bưu chính|tùy trường hợp|xem mục.*")
    for part in parts:
        label = TIME_WORDS.sub("", part)
        if len(set(kinds)) < len(kinds):
            label = channel_names.sub("", label)
        assert re.search(r"[a-zà-ỹđ]{2,}", label, re.I), f"time limit without its case: {part.strip()}"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_summary_says_the_council_sets_the_fee_when_the_record_does(path: Path) -> None:
    """An amount the provincial council sets is not shown as the fee without saying so (review B3)."""
    entry, record = procedure(path)
    fee = re.search(r"Phí, lệ phí: (.*?)\(Chi tiết", section(entry, "Tóm tắt"), re.S)
    notes = [channel.fee_note or "" for channel in parse_channels(record.get("cach_thuc_thuc_hien", ""))]
    if fee and notes and all("Hội đồng nhân dân" in note for note in notes) and amounts(fee.group(1)):
        assert "Hội đồng nhân dân" in fee.group(1), f"amount without who sets it: {fee.group(1)[:100]}"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_no_broken_bullet_or_cut_off_section(path: Path) -> None:
    """'- , (1 bản sao)', '- ) Khi …', '… theo quy định tại mục 9.3 (' (review D2) are crawl debris."""
    entry = load_entry(path)
    for line in entry.body.splitlines():
        if line.startswith("- "):
            text = line[2:].strip()
            assert re.match(r"[\w(“\"]", text), f"bullet starts with punctuation: {line[:80]}"
            assert re.search(r"\w", re.sub(r"\(\d+ bản [^)]*\)", "", text)), f"bullet without text: {line}"
    for title in ("Thành phần hồ sơ", "Trình tự thực hiện", "Yêu cầu, điều kiện"):
        text = section(entry, title).strip()
        assert not re.search(r"(?:\(|tại mục)$", text), f"{title} is cut off: …{text[-60:]}"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_time_is_not_called_missing_when_the_record_gives_it(path: Path) -> None:
    """Empty time cells do not mean the record is silent: its description may give the time (review B7)."""
    entry, record = procedure(path)
    if "không ghi thông tin này" not in section(entry, "Thời hạn giải quyết"):
        return
    channels = nfc(record.get("cach_thuc_thuc_hien") or "")
    assert not re.search(r"Thời hạn giải quyết\s*:", channels), "the record's channel text states a time limit"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_legal_basis_lists_each_resolution_once(path: Path) -> None:
    """'Nghị quyết số 190/2025/QH15' and '… 190/2025/NQ-QH15' are one document (review D3)."""
    numbers = document_numbers(section(load_entry(path), "Căn cứ pháp lý"))
    same = {n: re.sub(r"/NQ-((?:UBTVQH|QH)\d{2})$", r"/\1", n) for n in numbers}
    twice = [n for n, plain in same.items() if plain != n and plain in numbers]
    assert not twice, f"listed twice: {twice}"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_no_crawl_file_name_in_an_entry(path: Path) -> None:
    """'1.MuCT01banhnhkmtheoThngts53.doc' (review D1): attachment names glued by the crawl are not text."""
    body = re.sub(r"https?://\S+", "", load_entry(path).body)
    names = re.findall(r"\S+\.(?:docx?|pdf|xlsx?)\b", body, re.I)
    assert not names, f"file names in the entry: {names[:3]}"


@pytest.mark.parametrize("path", PROCEDURES, ids=lambda path: path.stem)
def test_no_document_list_ends_with_a_lead_in(path: Path) -> None:
    """'… thực hiện việc nộp/xuất trình … các giấy tờ sau:' with nothing after it (review D2)."""
    documents = section(load_entry(path), "Thành phần hồ sơ")
    for block in re.split(r"^### .*$", documents, flags=re.M):
        bullets = [line for line in block.splitlines() if line.startswith("- ")]
        assert not (bullets and re.sub(r"\s*\(\d+ bản[^)]*\)$", "", bullets[-1]).endswith(":")), bullets[-1][:100]
