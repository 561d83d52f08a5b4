"""Importing a document (DOCX, PDF, HTML, Markdown) into draft entries.

A document is read into sections (heading, level, Markdown text), then split
into one draft per heading of the chosen level (by default the highest level
that occurs at least twice), deeper headings kept in the body as ``##``/``###``.
Headings are the document's own where it has them (Markdown ``#``, HTML
``<h1>``–``<h6>``, DOCX heading styles); a PDF has none, so lines such as
"Chương I", "Mục 1", "Điều 5.", "I." or "1." at the start of a line are taken
for headings, as Vietnamese legal documents number them (the same is tried on
the other formats when they have no heading at all). Each draft is validated
with the build's own Entry model; nothing here writes a file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import frontmatter
import markdown_it
import yaml

from backoffice import content

MAX_BYTES = 10 * 1024 * 1024
FORMATS = {".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}
ACCEPT = ".docx,.pdf,.html,.htm,.md,.markdown"
ID_MAX = content.ID_MAX
MIN_BODY = 20  # knowledge.entries.Entry.body's min_length
FIELD_LABELS = {  # as on the entry form
    "id": "Mã",
    "title": "Tiêu đề",
    "type": "Loại",
    "audience": "Đối tượng",
    "source_document": "Văn bản nguồn",
    "source_date": "Ngày ban hành",
    "source_section": "Điều, khoản, mục",
    "source_url": "Đường dẫn nguồn",
    "last_reviewed": "Ngày rà soát",
    "aliases": "Tên gọi khác",
    "procedure_code": "Mã thủ tục",
    "level": "Cấp",
    "ministry": "Bộ, ngành",
    "body": "Nội dung",
}


class UnreadableDocument(ValueError):
    """A file that cannot be imported; the message is for the editor (Vietnamese)."""


@dataclass
class Section:
    heading: str  # "" for the text before the first heading
    level: int  # 1 = highest; 0 for the text before the first heading
    text: str  # Markdown


@dataclass
class Document:
    file_name: str
    title: str | None
    sections: list[Section]
    headings: str  # "document" (its own headings), "pattern" (numbered lines) or "none"
    article_level: int = 0  # the level of "Điều N." headings, if numbered lines were found


@dataclass
class DraftEntry:
    heading: str
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    created: bool = False  # written into the content by the editor's choice
    preamble: bool = False  # the text before the first heading: not chosen unless the editor ticks it

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def id(self) -> str:
        return self.values["id"]

    def first_lines(self, count: int = 3) -> list[str]:
        return [line for line in self.values["body"].splitlines() if line.strip()][:count]


@dataclass
class ImportResult:
    file_name: str
    document: str  # what goes into source.document
    level: int  # the heading level the drafts were split at (0: no heading)
    levels: list[int]  # the heading levels found
    headings: str
    drafts: list[DraftEntry]
    notes: list[str] = field(default_factory=list)  # about the whole document

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ImportResult:
        drafts = [DraftEntry(**draft) for draft in data.get("drafts", [])]
        return cls(**{**data, "drafts": drafts})


# -- reading ------------------------------------------------------------------------


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def kind_of(file_name: str, data: bytes) -> str:
    """The format by the file's extension, checked against its first bytes."""
    kind = FORMATS.get(Path(file_name).suffix.lower())
    if kind is None:
        raise UnreadableDocument("Chỉ nhận tệp DOCX, PDF, HTML hoặc Markdown (đuôi .docx, .pdf, .html, .htm, .md).")
    if kind == "pdf" and not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableDocument("Tệp có đuôi .pdf nhưng nội dung không phải PDF.")
    if kind == "docx" and not data.startswith(b"PK"):
        raise UnreadableDocument("Tệp có đuôi .docx nhưng nội dung không phải tài liệu Word (DOCX).")
    return kind


def read(file_name: str, data: bytes) -> Document:
    """Any supported file into sections; UnreadableDocument when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(f"Tệp quá lớn: tối đa {MAX_BYTES // (1024 * 1024)} MB.")
    if not data.strip():
        raise UnreadableDocument("Tệp rỗng.")
    kind = kind_of(file_name, data)
    reader = {"docx": _read_docx, "pdf": _read_pdf, "html": _read_html, "markdown": _read_markdown}[kind]
    try:
        title, blocks = reader(data)
    except UnreadableDocument:
        raise
    except Exception as error:  # a broken file: say so rather than fail with a 500
        raise UnreadableDocument(f"Không đọc được tệp {kind.upper()}: {type(error).__name__}: {error}") from error
    blocks = [(level, nfc(text)) for level, text in blocks]
    headings = "document" if any(level for level, _ in blocks) else "none"
    article_level = 0
    if headings == "none":  # numbered lines start paragraphs: look at each paragraph
        blocks = [(0, part) for _, text in blocks for part in re.split(r"\n[ \t]*\n", text) if part.strip()]
        blocks, article_level = _numbered_headings(blocks)
        headings = "pattern" if any(level for level, _ in blocks) else "none"
    title = re.sub(r"^Microsoft Word - ", "", nfc(title).strip()) if title and title.strip() else None
    if title is None and headings == "document":  # the first H1
        title = next((text for level, text in blocks if level == 1), None)
    return Document(Path(file_name).name, title, _sections(blocks), headings, article_level)


# A block is (heading level, text): level 0 is a line or paragraph of Markdown.
Block = tuple[int, str]


def _sections(blocks: Iterable[Block]) -> list[Section]:
    sections = [Section("", 0, "")]
    for level, text in blocks:
        if level:
            sections.append(Section(" ".join(text.split()), level, ""))
        elif text.strip():
            current = sections[-1]
            current.text = f"{current.text}\n\n{text.strip()}" if current.text else text.strip()
    if not sections[0].text:
        sections.pop(0)
    return sections


def _read_markdown(data: bytes) -> tuple[str | None, list[Block]]:
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise UnreadableDocument("Tệp Markdown phải được lưu với bảng mã UTF-8.") from error
    title = None
    if text.startswith("---"):
        try:
            post = frontmatter.loads(text)
            text, title = post.content, post.metadata.get("title")
        except yaml.YAMLError:
            pass
    lines = text.split("\n")
    blocks: list[Block] = []
    done = 0
    tokens = markdown_it.MarkdownIt("commonmark").parse(text)
    for position, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0 or token.map is None:
            continue
        start, end = token.map
        blocks.append((0, "\n".join(lines[done:start]).strip()))
        blocks.append((int(token.tag[1]), tokens[position + 1].content.strip()))
        done = end
    blocks.append((0, "\n".join(lines[done:]).strip()))
    return (str(title) if title else None), blocks


HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
HTML_BLOCKS = (*HEADING_TAGS, "p", "li", "pre", "blockquote", "table", "dt", "dd")


def _read_html(data: bytes) -> tuple[str | None, list[Block]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup(["script", "style", "noscript", "template", "nav", "header", "footer", "head"]):
        tag.decompose()
    root = soup.body or soup
    blocks: list[Block] = []
    for element in root.find_all(HTML_BLOCKS):
        if element.find_parent(HTML_BLOCKS[6:]):  # inside a list item, quote, table …: part of that block
            continue
        name = element.name
        text = " ".join(element.get_text(" ", strip=True).split())
        if name in HEADING_TAGS:
            if text:
                blocks.append((int(name[1]), text))
        elif name == "li":
            marker = "1." if element.find_parent("ol") else "-"
            blocks.append((0, f"{marker} {text}"))
        elif name == "pre":
            blocks.append((0, "```\n" + element.get_text().strip("\n") + "\n```"))
        elif name == "blockquote":
            blocks.append((0, "> " + text))
        elif name == "table":
            rows = [
                [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["th", "td"])]
                for row in element.find_all("tr")
            ]
            blocks.append((0, _table(rows)))
        elif text:
            blocks.append((0, text))
    if not any(text for _, text in blocks):  # text straight in <div>s: take it line by line
        blocks = [(0, line) for line in root.get_text("\n", strip=True).splitlines()]
    return title, _merge_list_items(blocks)


def _merge_list_items(blocks: list[Block]) -> list[Block]:
    """Consecutive list items as one Markdown list (one block, no blank lines)."""
    merged: list[Block] = []
    for level, text in blocks:
        is_item = not level and re.match(r"^(-|1\.) ", text)
        if is_item and merged and not merged[-1][0] and re.match(r"^(-|1\.) ", merged[-1][1]):
            merged[-1] = (0, merged[-1][1] + "\n" + text)
        else:
            merged.append((level, text))
    return merged


def _table(rows: list[list[str]]) -> str:
    rows = [row for row in rows if any(row)]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [[cell.replace("|", "\\|") for cell in row] + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _read_docx(data: bytes) -> tuple[str | None, list[Block]]:
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    title = document.core_properties.title or None
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in item.rows]
            blocks.append((0, _table(rows)))
            continue
        text = item.text.strip()
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        level = _docx_level(style, item)
        if level is not None:
            if level == 0:  # the "Title" style: the document's title, not a section
                title = title or text
            else:
                blocks.append((level, " ".join(text.split())))
        elif style.lower().startswith("list"):
            blocks.append((0, ("1. " if "number" in style.lower() else "- ") + text))
        else:
            blocks.append((0, "\n".join(line.strip() for line in text.splitlines())))
    return title, _merge_list_items(blocks)


def _docx_level(style: str, paragraph) -> int | None:
    """1–9 for a heading (its style or outline level), 0 for the Title style, None otherwise."""
    name = style.lower()
    if name == "title":
        return 0
    found = re.match(r"^(heading|tiêu đề|đề mục)\s*(\d)$", name)
    if found:
        return int(found.group(2))
    outline = paragraph._p.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl")
    if outline is not None:
        value = outline.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
        if value is not None and value.isdigit() and int(value) < 9:
            return int(value) + 1
    return None


def _read_pdf(data: bytes) -> tuple[str | None, list[Block]]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    title = reader.metadata.title if reader.metadata else None
    lines: list[str] = []
    for number, page in enumerate(reader.pages):
        text = page.extract_text() or ""
        for line in text.splitlines():
            line = " ".join(line.split())
            if line and not (line.isdigit() and int(line) in (number, number + 1)):  # page numbers
                lines.append(line)
    if not lines:
        raise UnreadableDocument("Không lấy được chữ từ tệp PDF này (có thể là bản quét ảnh, cần nhận dạng chữ trước).")
    return (str(title) if title else None), [(0, line) for line in _join_wrapped(lines)]


def _join_wrapped(lines: list[str]) -> list[str]:
    """PDF lines wrap mid-sentence: a line that starts in lower case continues the one before."""
    joined: list[str] = []
    for line in lines:
        if joined and line[:1].islower() and not _numbered(joined[-1], alone=True):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


# -- headings from numbered lines ------------------------------------------------------------

ROMAN = r"[IVXLC]+"
NUMBERED = [  # (kind, pattern); kinds in the order of their rank
    ("phan", re.compile(rf"^Phần\s+(thứ\s+\w+|{ROMAN}|\d+)\b", re.IGNORECASE)),
    ("chuong", re.compile(rf"^Chương\s+({ROMAN}|\d+)\b", re.IGNORECASE)),
    ("muc", re.compile(rf"^Mục\s+({ROMAN}|\d+)\b", re.IGNORECASE)),
    ("dieu", re.compile(r"^Điều\s+\d+[a-z]?\s*[.:]", re.IGNORECASE)),
    ("roman", re.compile(rf"^{ROMAN}\.\s+\S")),
    ("arabic", re.compile(r"^\d{1,2}\.\s+\S")),
]
SHORT_KINDS = {"roman": 120, "arabic": 120}  # longer lines of these kinds are list items, not headings


def _numbered(line: str, alone: bool = False) -> str | None:
    """The kind of numbered heading the line starts with; with alone, only a bare marker ("Chương I")."""
    line = line.strip()
    for kind, pattern in NUMBERED:
        found = pattern.match(line)
        if not found:
            continue
        if alone:
            return kind if found.end() >= len(line.rstrip(".:")) and kind in ("phan", "chuong", "muc") else None
        if len(line) > SHORT_KINDS.get(kind, 300) or (kind in SHORT_KINDS and line[-1] in ".;,"):
            return None
        return kind
    return None


def _numbered_headings(blocks: list[Block]) -> tuple[list[Block], int]:
    """Blocks whose first line is a numbered heading become headings, ranked by kind;
    and the level of the articles ("Điều"), 0 when there are none.

    Under "Điều" (articles), "1." numbers the clauses of an article, not headings.
    """
    found = [_numbered(text.split("\n", 1)[0]) for _, text in blocks]
    kinds = [kind for kind, _ in NUMBERED if kind in found]
    if "dieu" in kinds and "arabic" in kinds:
        kinds.remove("arabic")
    rank = {kind: number for number, kind in enumerate(kinds, start=1)}
    out: list[Block] = []
    skip = False
    for position, ((_, text), kind) in enumerate(zip(blocks, found, strict=True)):
        if skip:
            skip = False
            continue
        if kind not in rank:
            out.append((0, text))
            continue
        first, _, rest = text.partition("\n")
        following = blocks[position + 1][1] if position + 1 < len(blocks) else ""
        if _numbered(first, alone=True) and following and following.isupper() and "\n" not in following:
            first = f"{first.rstrip('.:')}. {following}"  # "Chương I" + "QUY ĐỊNH CHUNG"
            skip = True
        out.append((rank[kind], first))
        if rest.strip():
            out.append((0, rest))
    return out, rank.get("dieu", 0)


# -- drafts ------------------------------------------------------------------------------


def unique_id(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = base[: ID_MAX - len(suffix)].rstrip("-") + suffix
        number += 1
    taken.add(candidate)
    return candidate


def default_level(document: Document) -> int:
    """The articles ("Điều") of a legal text; else the highest heading level that occurs
    at least twice (a single top heading is the document's title), else the highest."""
    levels = [section.level for section in document.sections if section.level]
    if not levels:
        return 0
    if document.article_level in levels:
        return document.article_level
    for level in sorted(set(levels)):
        if levels.count(level) >= 2:
            return level
    return min(levels)


def _marks(depth: int) -> str:
    """A heading ``depth`` levels below the split level: ##, ###, then ####."""
    return "#" * min(depth + 1, 4)


def split(document: Document, level: int) -> list[tuple[Section, str]]:
    """(section, body) for each heading of ``level`` (or of a higher level with text of its own);
    deeper headings stay in the body. Level 0: the whole document as one."""
    chosen: list[tuple[Section, list[str]]] = []
    preamble: list[str] = []
    for section in document.sections:
        if section.level and section.level <= level:
            chosen.append((section, [section.text] if section.text else []))
            continue
        part = section.text
        if section.level:
            part = f"{_marks(section.level - level)} {section.heading}" + (f"\n\n{part}" if part else "")
        (chosen[-1][1] if chosen else preamble).append(part)
    out = []
    if not chosen:
        title = document.title or Path(document.file_name).stem
        return [(Section(title, 0, ""), "\n\n".join(preamble).strip())]
    if "".join(preamble).strip():
        out.append((Section("", 0, ""), "\n\n".join(preamble).strip()))
    for section, parts in chosen:
        if section.level < level and not "".join(parts).strip():
            continue  # "Chương I" holding nothing but its articles
        out.append((section, "\n\n".join(parts).strip()))
    return out


def build_drafts(
    document: Document,
    existing_ids: Collection[str],
    level: int | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """One draft per heading of ``level`` (default: default_level), validated by the Entry model."""
    levels = sorted({section.level for section in document.sections if section.level})
    if level is None or (level and level not in levels):
        level = default_level(document)
    source = document.title or document.file_name
    if len(source) < 3:
        source = document.file_name
    today = today or dt.date.today()
    taken = set(existing_ids)
    result = ImportResult(document.file_name, source, level, levels, document.headings, [])
    if document.headings == "none":
        result.notes.append(
            "Không tìm thấy đề mục nào (tiêu đề hoặc dòng đánh số như “Chương I”, “Mục 1”, “Điều 5.”, “I.”, “1.”): "
            "toàn bộ tài liệu thành một mục nháp."
        )
    elif document.headings == "pattern":
        result.notes.append(
            "Tài liệu không có đề mục định dạng sẵn; đã tách theo các dòng đánh số "
            "(“Chương”, “Mục”, “Điều”, “I.”, “1.”) — hãy kiểm tra chỗ tách."
        )
    for section, body in split(document, level):
        heading = section.heading or "Phần mở đầu"
        title = heading if section.heading else f"{source} — phần mở đầu"
        values = {name: "" for name in content.FORM_FIELDS}
        values.update(
            id=unique_id(content.slugify(title), taken),
            title=title,
            type="faq",
            audience="both",
            source_document=source,
            source_section=section.heading if section.level else "",
            last_reviewed=today.isoformat(),
            body=body,
        )
        draft = DraftEntry(heading, values, preamble=not section.heading)
        if draft.preamble:
            draft.warnings.append(
                "Phần trước đề mục đầu tiên (thường là quốc hiệu, căn cứ ban hành): không được chọn sẵn."
            )
        length = len(body.strip())
        if length < MIN_BODY:
            draft.warnings.append(
                f"Phần này quá ngắn ({length} ký tự, cần ít nhất {MIN_BODY}) nên chưa tạo được mục: "
                "hãy bổ sung nội dung hoặc tách theo cấp đề mục khác."
            )
        checked, _ = content.validate(Path("."), values, None, known_ids=())
        draft.errors = checked.errors
        result.drafts.append(draft)
    return result


def import_document(
    file_name: str, data: bytes, existing_ids: Collection[str], level: int | None = None
) -> ImportResult:
    return build_drafts(read(file_name, data), existing_ids, level)
