"""Importing documents into draft entries (backoffice.importing): DOCX, PDF, HTML
and Markdown files built here, Vietnamese text with diacritics through each."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import docx
import pytest

from backoffice import content, importing
from backoffice.importing import UnreadableDocument
from knowledge.entries import Entry, load_entries
from knowledge.settings import REPO_ROOT

pytestmark = pytest.mark.unit
CONTENT = REPO_ROOT / "knowledge" / "content"
TODAY = dt.date(2026, 11, 29)
ARTICLE_1 = "Nghị định này quy định trình tự, thủ tục đăng ký khai sinh cho trẻ em sinh ra tại Việt Nam."
ARTICLE_2 = "Cơ quan, tổ chức, cá nhân có liên quan; người dân ở xã đảo được nộp hồ sơ trực tuyến."


def drafts(name: str, data: bytes, ids: set[str] | None = None, level: int | None = None) -> importing.ImportResult:
    return importing.build_drafts(importing.read(name, data), ids or set(), level, today=TODAY)


def by_heading(result: importing.ImportResult) -> dict[str, importing.DraftEntry]:
    return {draft.heading: draft for draft in result.drafts}


def pdf_bytes(lines: list[str], title: str | None = None) -> bytes:
    """A real PDF with text lines, drawn by matplotlib's PDF backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title} if title else {}) as pdf:
        figure = plt.figure(figsize=(8.27, 11.69))
        for number, line in enumerate(lines):
            figure.text(0.06, 0.95 - number * 0.035, line, fontsize=10)
        pdf.savefig(figure)
        plt.close(figure)
    return buffer.getvalue()


MARKDOWN = f"""---
title: Hướng dẫn đăng ký khai sinh
---
# Hướng dẫn đăng ký khai sinh

## Điều 3. Hồ sơ đăng ký khai sinh

Người đi đăng ký khai sinh nộp tờ khai theo mẫu và **giấy chứng sinh**.

### Trường hợp trẻ bị bỏ rơi

Nộp biên bản xác nhận việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.

## Đăng ký khai sinh

{ARTICLE_1}

## Mục II

Ngắn quá.
"""


def test_markdown_is_split_at_its_headings_with_the_source_filled_in() -> None:
    result = drafts("huong-dan.md", MARKDOWN.encode(), {"dang-ky-khai-sinh"})
    assert result.headings == "document" and result.level == 2 and result.levels == [1, 2, 3]
    assert result.document == "Hướng dẫn đăng ký khai sinh"  # the front matter's title
    found = by_heading(result)
    assert list(found) == ["Điều 3. Hồ sơ đăng ký khai sinh", "Đăng ký khai sinh", "Mục II"]
    article = found["Điều 3. Hồ sơ đăng ký khai sinh"]
    assert article.ok and article.id == "dieu-3-ho-so-dang-ky-khai-sinh"
    values = article.values
    assert values["type"] == "faq" and values["audience"] == "both" and values["last_reviewed"] == "2026-11-29"
    assert values["source_document"] == "Hướng dẫn đăng ký khai sinh"
    assert values["source_section"] == "Điều 3. Hồ sơ đăng ký khai sinh"
    assert "## Trường hợp trẻ bị bỏ rơi\n\nNộp biên bản" in values["body"]
    assert "**giấy chứng sinh**" in values["body"]  # Markdown kept as written
    assert found["Đăng ký khai sinh"].id == "dang-ky-khai-sinh-2"  # the shipped entry keeps its id


def test_a_section_too_short_for_the_entry_model_is_reported_not_dropped() -> None:
    short = by_heading(drafts("huong-dan.md", MARKDOWN.encode()))["Mục II"]
    assert not short.ok and short.errors == {"body": ["Cần ít nhất 20 ký tự."]}
    assert any("quá ngắn (9 ký tự" in warning for warning in short.warnings)


def test_markdown_without_headings_is_split_at_numbered_lines() -> None:
    text = f"Quyết định ban hành kế hoạch\n\nI. MỤC TIÊU\n\n{ARTICLE_1}\n\nII. NHIỆM VỤ\n\n1. Rà soát\n\n{ARTICLE_2}"
    result = drafts("ke-hoach.md", text.encode())
    assert result.headings == "pattern" and result.levels == [1, 2] and result.level == 1
    assert [d.heading for d in result.drafts] == ["Phần mở đầu", "I. MỤC TIÊU", "II. NHIỆM VỤ"]
    assert result.drafts[2].values["body"] == f"## 1. Rà soát\n\n{ARTICLE_2}"


def test_the_heading_level_can_be_chosen() -> None:
    deeper = drafts("huong-dan.md", MARKDOWN.encode(), level=3)
    assert "Trường hợp trẻ bị bỏ rơi" in by_heading(deeper)
    whole = drafts("huong-dan.md", MARKDOWN.encode(), level=0)
    assert len(whole.drafts) == 1 and whole.drafts[0].heading == "Hướng dẫn đăng ký khai sinh"
    assert "## Hướng dẫn đăng ký khai sinh" in whole.drafts[0].values["body"]
    assert "### Điều 3. Hồ sơ đăng ký khai sinh" in whole.drafts[0].values["body"]


def docx_bytes(title: str, styled: bool = True) -> bytes:
    document = docx.Document()
    document.core_properties.title = title
    if styled:
        document.add_heading("Quy định chung", level=1)
        document.add_paragraph(ARTICLE_1)
        document.add_heading("Phạm vi áp dụng ở địa phương", level=2)
        document.add_paragraph("Ủy ban nhân dân cấp xã tiếp nhận hồ sơ.")
        document.add_heading("Đối tượng áp dụng", level=1)
        document.add_paragraph(ARTICLE_2)
        document.add_paragraph("Người dân tộc thiểu số", style="List Bullet")
        document.add_paragraph("Người cao tuổi", style="List Bullet")
        table = document.add_table(rows=2, cols=2)
        for row, cells in zip(table.rows, [("Giấy tờ", "Số bản"), ("Tờ khai", "01")], strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    else:  # a legal text typed without heading styles
        for text in ("Điều 1. Phạm vi điều chỉnh", ARTICLE_1, "Điều 2. Đối tượng áp dụng", ARTICLE_2):
            document.add_paragraph(text)
        document.add_paragraph("1. Công dân Việt Nam cư trú ở trong nước và người được nhà nước bảo hộ.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_headings_styles_title_lists_and_tables() -> None:
    result = drafts("nghi-dinh.docx", docx_bytes("Nghị định về đăng ký hộ tịch"))
    assert result.headings == "document" and result.document == "Nghị định về đăng ký hộ tịch"
    found = by_heading(result)
    assert list(found) == ["Quy định chung", "Đối tượng áp dụng"]
    general = found["Quy định chung"].values
    assert general["body"].startswith(ARTICLE_1)
    assert "## Phạm vi áp dụng ở địa phương\n\nỦy ban nhân dân cấp xã" in general["body"]
    subject = found["Đối tượng áp dụng"].values
    assert subject["source_section"] == "Đối tượng áp dụng" and subject["source_document"] == result.document
    assert "- Người dân tộc thiểu số\n- Người cao tuổi" in subject["body"]
    assert "| Giấy tờ | Số bản |\n| --- | --- |\n| Tờ khai | 01 |" in subject["body"]
    assert all(draft.ok for draft in result.drafts)


def test_docx_without_heading_styles_is_split_at_numbered_articles() -> None:
    result = drafts("thong-tu.docx", docx_bytes("", styled=False))
    assert result.headings == "pattern" and any("dòng đánh số" in note for note in result.notes)
    assert result.document == "thong-tu.docx"  # no title anywhere: the file name
    found = by_heading(result)
    assert list(found) == ["Điều 1. Phạm vi điều chỉnh", "Điều 2. Đối tượng áp dụng"]
    assert "1. Công dân Việt Nam" in found["Điều 2. Đối tượng áp dụng"].values["body"]  # a clause, not a heading


HTML = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Cẩm nang dịch vụ công trực tuyến</title><style>h1 {{ color: red }}</style></head>
<body><nav><a href="/">Trang chủ</a></nav>
<h1>Cẩm nang dịch vụ công trực tuyến</h1>
<h2>Mục I. Tài khoản định danh điện tử</h2>
<p>Người dân đăng ký tài khoản định danh điện tử mức độ 2 tại công an xã, phường.</p>
<ul><li>Căn cước công dân gắn chíp</li><li>Số điện thoại chính chủ</li></ul>
<h2>Mục II. Nộp hồ sơ trực tuyến</h2>
<p>{ARTICLE_2}</p>
<table><tr><th>Bước</th><th>Việc làm</th></tr><tr><td>1</td><td>Đăng nhập Cổng dịch vụ công</td></tr></table>
<script>alert("không lấy")</script>
</body></html>"""


def test_html_title_headings_lists_and_tables() -> None:
    result = drafts("cam-nang.html", HTML.encode("utf-8"))
    assert result.document == "Cẩm nang dịch vụ công trực tuyến"
    found = by_heading(result)
    assert list(found) == ["Mục I. Tài khoản định danh điện tử", "Mục II. Nộp hồ sơ trực tuyến"]
    account = found["Mục I. Tài khoản định danh điện tử"]
    assert account.id == "muc-i-tai-khoan-dinh-danh-dien-tu" and account.ok
    assert "- Căn cước công dân gắn chíp\n- Số điện thoại chính chủ" in account.values["body"]
    online = found["Mục II. Nộp hồ sơ trực tuyến"].values["body"]
    assert "| 1 | Đăng nhập Cổng dịch vụ công |" in online
    assert "alert" not in online and "Trang chủ" not in account.values["body"]


PDF_LINES = [
    "CHÍNH PHỦ",
    "NGHỊ ĐỊNH",
    "Quy định chi tiết một số điều của Luật Hộ tịch",
    "Chương I",
    "QUY ĐỊNH CHUNG",
    "Điều 1. Phạm vi điều chỉnh",
    ARTICLE_1,
    "Điều 2. Đối tượng áp dụng",
    "1. Công dân Việt Nam cư trú ở trong nước và người được nhà nước",
    "bảo hộ quyền và lợi ích hợp pháp.",
    "2. Người nước ngoài thường trú tại Việt Nam.",
    "Chương II",
    "ĐĂNG KÝ KHAI SINH",
    "Điều 3. Hồ sơ đăng ký khai sinh",
    "Tờ khai theo mẫu, giấy chứng sinh hoặc văn bản của người làm chứng.",
]


def test_pdf_headings_are_found_from_numbered_lines_of_a_legal_text() -> None:
    result = drafts("nghi-dinh-123.pdf", pdf_bytes(PDF_LINES, "Nghị định 123/2015/NĐ-CP"))
    assert result.headings == "pattern" and result.document == "Nghị định 123/2015/NĐ-CP"
    assert result.levels == [1, 2] and result.level == 2  # chapters, then articles; split at the articles
    found = by_heading(result)
    assert list(found) == [
        "Phần mở đầu",
        "Điều 1. Phạm vi điều chỉnh",
        "Điều 2. Đối tượng áp dụng",
        "Điều 3. Hồ sơ đăng ký khai sinh",
    ]
    assert found["Phần mở đầu"].warnings and "Luật Hộ tịch" in found["Phần mở đầu"].values["body"]
    assert found["Điều 1. Phạm vi điều chỉnh"].values["body"] == ARTICLE_1
    subjects = found["Điều 2. Đối tượng áp dụng"].values["body"]
    assert "được nhà nước bảo hộ quyền và lợi ích hợp pháp." in subjects  # a wrapped line joined
    assert "2. Người nước ngoài thường trú tại Việt Nam." in subjects  # clauses stay in the article
    chapters = drafts("nghi-dinh-123.pdf", pdf_bytes(PDF_LINES, "Nghị định 123/2015/NĐ-CP"), level=1)
    assert [d.heading for d in chapters.drafts][1:] == ["Chương I. QUY ĐỊNH CHUNG", "Chương II. ĐĂNG KÝ KHAI SINH"]
    assert "## Điều 3. Hồ sơ đăng ký khai sinh" in chapters.drafts[2].values["body"]


def test_a_pdf_without_headings_becomes_one_draft_and_says_so() -> None:
    result = drafts("thong-bao.pdf", pdf_bytes(["Thông báo về việc tiếp nhận hồ sơ", ARTICLE_2]))
    assert result.headings == "none" and len(result.drafts) == 1
    assert any("Không tìm thấy đề mục" in note for note in result.notes)
    only = result.drafts[0]
    assert only.heading == "thong-bao" and only.values["source_document"] == "thong-bao.pdf"
    assert only.values["source_section"] == "" and ARTICLE_2 in only.values["body"] and only.ok


def test_other_types_broken_and_oversized_files_are_refused_in_vietnamese() -> None:
    with pytest.raises(UnreadableDocument, match="Chỉ nhận tệp DOCX, PDF, HTML hoặc Markdown"):
        importing.read("bang-tinh.xlsx", b"PK\x03\x04")
    with pytest.raises(UnreadableDocument, match="không phải PDF"):
        importing.read("gia.pdf", b"<html>not a pdf</html>")
    with pytest.raises(UnreadableDocument, match="Không đọc được tệp DOCX"):
        importing.read("hong.docx", b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableDocument, match="quá lớn"):
        importing.read("lon.md", b"#" * (importing.MAX_BYTES + 1))
    with pytest.raises(UnreadableDocument, match="UTF-8"):
        importing.read("cu.md", "# Tiêu đề\nĐăng ký".encode("utf-16"))


def test_ids_are_slugs_of_the_entry_pattern_unique_against_the_content() -> None:
    assert content.slugify("Điều 5. Thủ tục đăng ký kết hôn (có yếu tố nước ngoài)") == (
        "dieu-5-thu-tuc-dang-ky-ket-hon-co-yeu-to-nuoc-ngoai"
    )
    assert content.slugify("“…”") == "muc-moi"
    long = content.slugify("Đăng ký " * 20)
    assert len(long) <= importing.ID_MAX and not long.endswith("-")
    taken = {"dang-ky", "dang-ky-2"}
    assert importing.unique_id("dang-ky", taken) == "dang-ky-3" and "dang-ky-3" in taken
    shipped = {entry.id for entry in load_entries(CONTENT)}
    twice = f"# Đăng ký khai sinh\n\n{ARTICLE_1}\n\n# Đăng ký khai sinh\n\n{ARTICLE_2}"
    result = drafts("x.md", twice.encode(), shipped)
    assert [d.id for d in result.drafts] == ["dang-ky-khai-sinh-2", "dang-ky-khai-sinh-3"]


def test_created_drafts_load_as_the_build_loads_them(tmp_path: Path) -> None:
    content_dir = tmp_path / "content"
    shutil.copytree(CONTENT, content_dir)
    existing = {entry.id for entry in load_entries(content_dir)}
    result = drafts("nghi-dinh.docx", docx_bytes("Nghị định về đăng ký hộ tịch"), existing)
    restored = importing.ImportResult.from_dict(result.to_dict())  # as the web app keeps it between requests
    assert restored == result
    for draft in restored.drafts:
        checked, entry = content.validate(content_dir, draft.values, None)
        assert entry is not None, checked.errors
        content.save(content_dir, entry, draft.values, None)
    loaded = {entry.id: entry for entry in load_entries(content_dir)}
    general = loaded["quy-dinh-chung"]
    assert isinstance(general, Entry) and general.path == "faq/quy-dinh-chung.md"
    assert general.source.citation() == "Nghị định về đăng ký hộ tịch, Quy định chung"
    assert "Ủy ban nhân dân cấp xã" in general.body
    again, entry = content.validate(content_dir, restored.drafts[0].values, None, known_ids=set(loaded))
    assert entry is None and again.errors["id"] == ["Mã “quy-dinh-chung” đã được dùng cho mục khác."]
