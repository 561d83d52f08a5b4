"""The legal registry: number spellings, the portal's tables, the citation check, the status
answer, and the committed registry's quotes checked against the sources they name."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from dialogue.legal_status import answer_status, status_note
from knowledge.entries import Audience, Entry, EntryType, Source
from knowledge.ingest.facts import nfc
from knowledge.legal.build_registry import (
    build,
    clean_title,
    legal_rows,
    read_records,
    relations_in,
)
from knowledge.legal.citations import check_entries
from knowledge.legal.registry import (
    REGISTRY_PATH,
    LegalDocument,
    Registry,
    Relation,
    Status,
    find_numbers,
    load_registry,
    lookup,
    normalise_number,
)
from knowledge.settings import REPO_ROOT

pytestmark = pytest.mark.unit


@cache
def records() -> dict[str, dict]:
    return {record["ma_thu_tuc"]: record for record in read_records()}


@cache
def registry() -> Registry:
    return load_registry()


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("Nghị định số 123/2015/NĐ-CP", "123/2015/NĐ-CP"),
        ("123/2015/NĐ -CP", "123/2015/NĐ-CP"),
        ("Nghị định 123/2015/ND-CP", "123/2015/NĐ-CP"),
        ("nghị định 123/2015/nđ-cp còn hiệu lực không", "123/2015/NĐ-CP"),
        ("123 / 2015 / NĐ - CP", "123/2015/NĐ-CP"),
        ("Luật Cư trú số 68/2020/QH14", "68/2020/QH14"),
        ("luat 68/2020/qh14", "68/2020/QH14"),
        ("tt 01/2022/tt-bnv con hieu luc ko", "01/2022/TT-BNV"),
        ("Thông tư 1/2022/TT-BNV", "01/2022/TT-BNV"),
        ("Quyết định 22/2006/QD-TTG", "22/2006/QĐ-TTg"),
        ("Thông tư liên tịch số 05/2015/TTLT-BTP-BCA-BYT", "05/2015/TTLT-BTP-BCA-BYT"),
        ("Thông tư 05/2015/TTLT-BTP -BCA-BYT", "05/2015/TTLT-BTP-BCA-BYT"),
        ("Nghị quyết số 190/2025/NQ-QH15", "190/2025/QH15"),
        ("Thông tư số 53/2025/TT-BCAngày 01/7/2025", "53/2025/TT-BCA"),
        ("Luật Hộ tịch60/2014/QH13", "60/2014/QH13"),
        ("Nghị quyết số 76/NQ-CP của Chính phủ", "76/NQ-CP"),
        ("công bố tại Quyết định số 5709/QĐ-BCA-C06", "5709/QĐ-BCA-C06"),
        ("Thông tư số 25/2023/TT- BKHĐT ngày 31/12/2023", "25/2023/TT-BKHĐT"),
        ("thông tư 04/2020/tt-btp", "04/2020/TT-BTP"),
    ],
)
def test_number_spellings_are_normalised(written: str, number: str) -> None:
    assert normalise_number(written) == number


@pytest.mark.parametrize("text", ["mẫu 02/2025/LLTP", "ngày 15/11/2015", "điểm 3/2020", "Mẫu số 01/TP-CC"])
def test_what_is_not_a_document_number_is_not_found(text: str) -> None:
    assert find_numbers(text) == []


def test_numbers_of_a_real_legal_basis_table() -> None:
    text = records()["1.000178"]["can_cu_phap_ly"]
    assert find_numbers(text) == ["68/2013/TT-BCA", "02/2011/QH13", "11/2015/TT-BCA", "05/2012/NĐ-CP"]


def test_rows_of_a_real_table_keep_each_title_with_its_code() -> None:
    rows = [(title, number) for title, number, _ in legal_rows(records()["1.000178"]["can_cu_phap_ly"])]
    assert rows == [
        (
            "Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết khiếu nại và quản lý công tác giải "
            "quyết khiếu nại trong công an nhân dân",
            "68/2013/TT-BCA",
        ),
        ("Luật Khiếu nại  năm 2011", "02/2011/QH13"),
        ("Quy định quy trình giải quyết khiếu nại trong công an nhân dân", "11/2015/TT-BCA"),
        ("Nghị định 05/2012/NĐ-CP", "05/2012/NĐ-CP"),
    ]


def test_a_code_glued_after_a_full_stop_ends_its_row() -> None:
    """The row of "…Trung ương.106/2021/TT-BTCHướng dẫn…" is 106/2021's, not the next code's."""
    rows = {number: title for title, number, _ in legal_rows(records()["1.000080"]["can_cu_phap_ly"])}
    assert rows["106/2021/TT-BTC"].startswith("Thông tư sửa đổi, bổ sung một số điều của Thông tư số 85/2019/TT-BTC")
    assert rows["04/2020/TT-BTP"].startswith("Hướng dẫn Luật hộ tịch")
    assert clean_title("Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt NamLuật ") == (
        "Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam"
    )


def test_relations_of_a_real_title() -> None:
    rows = {number: title for title, number, _ in legal_rows(records()["1.000757"]["can_cu_phap_ly"])}
    found = {(f.kind, f.subject, f.other) for f in relations_in(rows["53/2025/TT-BCA"], "53/2025/TT-BCA", row=True)}
    assert found == {
        ("amended_by", "55/2021/TT-BCA", "53/2025/TT-BCA"),
        ("amended_by", "56/2021/TT-BCA", "53/2025/TT-BCA"),
        ("amended_by", "17/2024/TT-BCA", "53/2025/TT-BCA"),
        ("amended_by", "55/2021/TT-BCA", "66/2023/TT-BCA"),
        ("amended_by", "56/2021/TT-BCA", "66/2023/TT-BCA"),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        # a circular cannot amend a law: "Luật Cư trú được sửa đổi bởi Thông tư …" is about the circular before it
        "Nghị định số 10/2020/NĐ-CP quy định chi tiết Luật Cư trú được sửa đổi, bổ sung bởi Thông tư số 66/2023/TT-BCA",
        # a replaced article is an amendment we do not record as a replacement of the whole document
        "Nghị định này thay thế Điều 4 của Nghị định số 06/2012/NĐ-CP",
        # the list after "bởi" names the amending documents, not more amended ones
        "Thông tư số 09/2026/TT-BNNMT sửa đổi, bổ sung một số điều của Thông tư số 02/2022/TT-BTNMT được sửa đổi, "
        "bổ sung bởi Thông tư số 07/2025/TT-BTNMT và Thông tư số 07/2025/TT-BNNMT",
        "Trường hợp không có giấy tờ quy định tại Nghị định số 23/2015/NĐ-CP thì nộp giấy tờ khác thay thế",
    ],
)
def test_unclear_wording_gives_no_wrong_relation(sentence: str) -> None:
    found = {(f.kind, f.subject, f.other) for f in relations_in(sentence, "99/2030/NĐ-CP", row=True)}
    assert ("replaced_by", "06/2012/NĐ-CP", "99/2030/NĐ-CP") not in found
    assert ("amended_by", "07/2025/TT-BNNMT", "09/2026/TT-BNNMT") not in found
    assert not any(kind == "replaced_by" for kind, _, _ in found)
    assert not any(subject.endswith("QH14") for _, subject, _ in found)


def test_in_a_legal_text_only_this_document_or_a_named_one_acts() -> None:
    """In a law's text, "… sửa đổi, bổ sung Nghị định số …" without "Nghị định này" or a number before
    is not the law amending it (unlike a portal row, whose code is the subject)."""
    sentence = "Bộ Tư pháp chủ trì soạn thảo văn bản sửa đổi, bổ sung Nghị định số 23/2015/NĐ-CP."
    assert relations_in(sentence, "25/2025/NĐ-CP") == []
    found = relations_in("Nghị định này thay thế Nghị định số 63/2022/NĐ-CP.", "25/2025/NĐ-CP")
    assert [(f.kind, f.subject, f.other, f.uses_self) for f in found] == [
        ("replaced_by", "63/2022/NĐ-CP", "25/2025/NĐ-CP", True)
    ]


def _relation(kind: str, by: str) -> Relation:
    return Relation(document=by, evidence=f"Văn bản bị {kind} bởi {by}.", source="test", source_label="nguồn thử")


def fake_registry() -> Registry:
    documents = [
        LegalDocument(number="01/2010/NĐ-CP", kind="Nghị định", replaced_by=[_relation("thay thế", "02/2020/NĐ-CP")]),
        LegalDocument(number="02/2020/NĐ-CP", kind="Nghị định"),
        LegalDocument(number="03/2015/TT-BTP", kind="Thông tư", amended_by=[_relation("sửa đổi", "04/2021/TT-BTP")]),
        LegalDocument(number="04/2021/TT-BTP", kind="Thông tư"),
    ]
    return {document.number: document for document in documents}


def entry(body: str, document: str = "Hướng dẫn thử nghiệm") -> Entry:
    return Entry(
        id="thu-nghiem",
        title="Thủ tục thử nghiệm",
        type=EntryType.procedure,
        audience=Audience.citizen,
        source=Source(document=document),
        last_reviewed=dt.date(2026, 11, 29),
        body=body,
    )


def test_citing_a_replaced_document_fails() -> None:
    warnings, errors = check_entries([entry("## Căn cứ pháp lý\n- Nghị định số 01/2010/NĐ-CP")], fake_registry())
    assert warnings == [] and [(e.entry_id, e.number) for e in errors] == [("thu-nghiem", "01/2010/NĐ-CP")]


@pytest.mark.parametrize(
    "note",
    [
        "- Nghị định số 01/2010/NĐ-CP (đã được thay thế bởi Nghị định số 02/2020/NĐ-CP)",
        "- Nghị định số 01/2010/NĐ-CP, nay đã được thay thế.",
        "- Nghị định số 01/2010/NĐ-CP\n- Nghị định số 02/2020/NĐ-CP",
    ],
)
def test_a_replaced_document_with_a_note_passes(note: str) -> None:
    assert check_entries([entry(f"## Căn cứ pháp lý\n{note}")], fake_registry()) == ([], [])


def test_a_note_about_another_document_does_not_count() -> None:
    body = "## Căn cứ pháp lý\n- Nghị định số 01/2010/NĐ-CP\n- Thông tư số 03/2015/TT-BTP đã được thay thế một phần"
    assert len(check_entries([entry(body)], fake_registry())[1]) == 1


def test_an_unknown_number_warns() -> None:
    warnings, errors = check_entries([entry("Theo Thông tư số 09/2099/TT-BTP, ...", "Nghị định số 02/2020/NĐ-CP")],
                                     fake_registry())  # fmt: skip
    assert [(w.entry_id, w.number) for w in warnings] == [("thu-nghiem", "09/2099/TT-BTP")] and errors == []


def test_status_note_says_amended_and_replaced_and_nothing_else() -> None:
    documents = fake_registry()
    note = status_note(documents, ["03/2015/TT-BTP", "02/2020/NĐ-CP", "01/2010/NĐ-CP"])
    assert note == (
        "Lưu ý: Thông tư số 03/2015/TT-BTP đã được sửa đổi, bổ sung bởi Thông tư số 04/2021/TT-BTP (theo nguồn thử); "
        "Nghị định số 01/2010/NĐ-CP đã được thay thế bởi Nghị định số 02/2020/NĐ-CP (theo nguồn thử)."
    )
    assert status_note(documents, ["02/2020/NĐ-CP", "09/2099/TT-BTP"]) is None


def test_the_shipped_content_cites_no_replaced_document_without_a_note() -> None:
    from knowledge.entries import load_entries
    from tests.conftest import CONTENT_DIR

    assert check_entries(load_entries(CONTENT_DIR), registry())[1] == []


def test_status_answer_amended() -> None:
    answer = answer_status(registry(), "nghị định 123/2015/NĐ-CP còn hiệu lực không")
    assert answer is not None
    assert "đã được sửa đổi, bổ sung bởi Nghị định số 07/2025/NĐ-CP" in answer
    assert "Bộ pháp điển, đề mục Hộ tịch" in answer and "Ngày ban hành: 15/11/2015" in answer
    assert "còn hiệu lực." not in answer


def test_status_answer_replaced() -> None:
    answer = answer_status(registry(), "Nghị định 79/2007/ND-CP con hieu luc khong?")
    assert answer is not None
    assert "đã được thay thế bởi Nghị định số 23/2015/NĐ-CP" in answer
    assert "“Nghị định này thay thế Nghị định số 79/2007/NĐ-CP" in answer
    assert "(Điều 48 Nghị định số 23/2015/NĐ-CP" in answer  # which decree "Nghị định này" is


def test_status_answer_expired() -> None:
    answer = answer_status(registry(), "Luật cán bộ công chức 2008 còn hiệu lực không")
    assert answer is not None and answer.startswith("Luật số 22/2008/QH12")
    assert "đã hết hiệu lực theo quy định của Luật số 80/2025/QH15" in answer


@pytest.mark.parametrize("question", ["Luật Cư trú 2020 còn hiệu lực không?", "luat 68/2020/qh14 con hieu luc ko"])
def test_status_answer_unknown_says_so_and_points_to_vbpl(question: str) -> None:
    answer = answer_status(registry(), question)
    assert answer is not None and answer.startswith("Luật số 68/2020/QH14")
    assert "Hiệu lực: chưa có thông tin trong nguồn" in answer and "https://vbpl.vn" in answer
    assert "văn bản còn hiệu lực." not in answer.replace("không thể khẳng định văn bản còn hiệu lực.", "")


@pytest.mark.parametrize(
    ("question", "heading", "date"),
    [
        ("Nghị quyết 76/NQ-CP còn hiệu lực không?", "Nghị quyết số 76/NQ-CP:", "15/07/2021"),  # the programme summary
        ("qd 2629/qd-ttg con hieu luc ko", "Quyết định số 2629/QĐ-TTg:", "01/12/2025"),  # a kept text's header
        ("Quyết định 319/QĐ-TTg còn áp dụng không", "Quyết định số 319/QĐ-TTg:", "15/03/2018"),  # a record
    ],
)
def test_documents_numbered_without_a_year_are_in_the_registry(question: str, heading: str, date: str) -> None:
    """Decisions and resolutions carry no year in their number; the content cites them all the same."""
    answer = answer_status(registry(), question)
    assert answer is not None and answer.startswith(heading), answer
    assert f"Ngày ban hành: {date}" in answer and "không có trong danh mục" not in answer


def test_status_answer_for_a_number_not_in_the_registry() -> None:
    answer = answer_status(registry(), "tt 01/2022/tt-bnv con hieu luc ko")
    assert answer is not None and answer.startswith("Thông tư số 01/2022/TT-BNV không có trong danh mục")
    assert "chưa có thông tin trong nguồn" in answer and "https://vbpl.vn" in answer


@pytest.mark.parametrize(
    "question",
    [
        "làm căn cước ở đâu",
        "đăng ký khai sinh cần giấy tờ gì theo Nghị định 123/2015/NĐ-CP",  # a document, but not its validity
        "giấy phép lái xe còn hiệu lực không",  # validity, but of no document
        "Luật Đất đai còn hiệu lực không",  # a name without a year is not one document
    ],
)
def test_not_a_question_about_a_document_gives_none(question: str) -> None:
    assert answer_status(registry(), question) is None


def test_lookup_by_any_spelling() -> None:
    document = lookup(registry(), "theo nghị định 23/2015/nd-cp")
    assert document is not None and document.number == "23/2015/NĐ-CP" and document.issuer == "Chính phủ"


def _source_texts(source: str) -> list[str]:
    """The texts a relation's source names: a legal file, or the fields of one portal record."""
    path, _, code = source.partition("#")
    if code:
        assert path == "knowledge/sources/procedures/national-all.jsonl.gz", source
        return [nfc(value) for value in records()[code].values() if isinstance(value, str)]
    return [nfc((REPO_ROOT / path).read_text(encoding="utf-8"))]


def _occurs(quote: str, source: str) -> bool:
    return any(quote in text for text in _source_texts(source))


def test_every_relation_quote_occurs_in_its_source() -> None:
    """Over the committed registry, every relation, not examples: the quote and its context are in
    the source they name, and the quote names the document it is about."""
    checked = 0
    for document in registry().values():
        for relation in document.amended_by + document.replaced_by + document.expired:
            assert _occurs(relation.evidence, relation.source), (document.number, relation)
            if relation.context:
                assert _occurs(relation.context, relation.source), (document.number, relation)
            assert document.number in find_numbers(relation.evidence), (document.number, relation)
            named = find_numbers(relation.evidence + "\n" + (relation.context or ""))
            assert relation.document is None or relation.document in named, (document.number, relation)
            checked += 1
    assert checked > 100


def test_every_title_and_date_occurs_in_its_source() -> None:
    for document in registry().values():
        if document.title:
            assert _occurs(document.title, document.title_source or ""), document.number
        if document.date:
            assert document.date_evidence and _occurs(document.date_evidence, document.date_source or "")


def test_the_status_is_what_the_relations_say() -> None:
    for document in registry().values():
        if document.status == Status.in_force_unknown:
            assert not (document.amended_by or document.replaced_by or document.expired)
        if document.status == Status.replaced:
            assert document.replaced_by


def test_the_committed_registry_is_what_the_sources_give() -> None:
    """The build is deterministic and the committed file is current (rerun `python -m knowledge legal-registry`)."""
    text = REGISTRY_PATH.read_text(encoding="utf-8")
    assert text.startswith("# Generated by `python -m knowledge legal-registry`")
    built = build()
    assert {n: d.model_dump() for n, d in built.items()} == {n: d.model_dump() for n, d in registry().items()}
