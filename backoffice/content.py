"""The entry files in knowledge/content: listed, validated as the build does,
written atomically, deleted, and compared with the published snapshot.

The files stay the source of truth (and stay in git); nothing is written when
an entry does not validate.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from pydantic import ValidationError

from knowledge.entries import ContentError, Entry, EntryType, load_entry
from knowledge.ingest.kept_sources import untraced_figures
from knowledge.text import fold_accents, syllables

FOLDERS = {EntryType.programme: "programme", EntryType.procedure: "procedures", EntryType.faq: "faq"}
# Form field name -> where the Entry model reports its errors.
FORM_FIELDS = (
    "id",
    "title",
    "type",
    "audience",
    "source_document",
    "source_date",
    "source_section",
    "source_url",
    "last_reviewed",
    "aliases",
    "procedure_code",
    "level",
    "ministry",
    "body",
)
SNAPSHOT_SUFFIXES = (".md", ".yml")
ID_MAX = 60  # characters of an id made from a title
NO_MINISTRY = "-"  # the filter value of entries without a ministry (programme, most FAQs)


@dataclass
class Draft:
    """What the edit form holds, and the problems found in it (by form field)."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def slugify(text: str) -> str:
    """An entry id from a title: accent-folded words joined by hyphens, whole words only."""
    words = syllables(text)
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > ID_MAX:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "muc-moi"


def entry_files(content_dir: Path) -> list[Path]:
    return sorted(p for p in content_dir.rglob("*.md") if p.name.lower() != "readme.md")


def load_all(content_dir: Path) -> tuple[list[Entry], list[str]]:
    """Every entry that loads, and the problems of the ones that do not."""
    entries, problems = [], []
    for path in entry_files(content_dir):
        try:
            entries.append(load_entry(path, content_dir))
        except ContentError as error:
            problems.append(str(error))
    return entries, problems


def find(content_dir: Path, entry_id: str) -> Entry | None:
    return next((e for e in load_all(content_dir)[0] if e.id == entry_id), None)


def is_stale(entry: Entry, months: int, today: dt.date | None = None) -> bool:
    today = today or dt.date.today()
    return (today - entry.last_reviewed).days > months * 30.44


def filter_entries(
    entries: list[Entry],
    query: str = "",
    entry_type: str = "",
    audience: str = "",
    stale_months: int | None = None,
    ministry: str = "",
) -> list[Entry]:
    """``ministry``: a ministry's name, or NO_MINISTRY for entries without one."""
    words = fold_accents(query).split()  # "giay hon thu" finds "giấy hôn thú"
    chosen = []
    for entry in entries:
        haystack = fold_accents(" ".join([entry.id, entry.title, entry.source.document, *entry.aliases, entry.body]))
        if words and not all(word in haystack for word in words):
            continue
        if entry_type and entry.type.value != entry_type:
            continue
        if audience and entry.audience.value != audience:
            continue
        if ministry and (entry.ministry or NO_MINISTRY) != ministry:
            continue
        if stale_months is not None and not is_stale(entry, stale_months):
            continue
        chosen.append(entry)

    def named(entry: Entry) -> bool:
        names = fold_accents(" ".join([entry.title, *entry.aliases]))
        return all(word in names for word in words)

    # the entries whose title or aliases say the words first, then by title
    return sorted(chosen, key=lambda entry: (not named(entry), fold_accents(entry.title)))


def form_values(entry: Entry) -> dict[str, str]:
    return {
        "id": entry.id,
        "title": entry.title,
        "type": entry.type.value,
        "audience": entry.audience.value,
        "source_document": entry.source.document,
        "source_date": entry.source.date or "",
        "source_section": entry.source.section or "",
        "source_url": entry.source.url or "",
        "last_reviewed": entry.last_reviewed.isoformat(),
        "aliases": "\n".join(entry.aliases),
        "procedure_code": entry.procedure_code or "",
        "level": entry.level or "",
        "ministry": entry.ministry or "",
        "body": entry.body,
    }


def _metadata(values: dict[str, str]) -> dict:
    """The front matter the form describes, in the order the shipped files use."""
    source = {"document": values.get("source_document", "").strip()}
    for key in ("date", "section", "url"):
        if values.get(f"source_{key}", "").strip():
            source[key] = values[f"source_{key}"].strip()
    metadata: dict = {
        "id": values.get("id", "").strip(),
        "title": values.get("title", "").strip(),
        "type": values.get("type", "").strip(),
        "audience": values.get("audience", "").strip(),
    }
    aliases = [line.strip() for line in values.get("aliases", "").splitlines() if line.strip()]
    if aliases:
        metadata["aliases"] = aliases
    for key in ("procedure_code", "level", "ministry"):
        if values.get(key, "").strip():
            metadata[key] = values[key].strip()
    metadata["source"] = source
    metadata["last_reviewed"] = values.get("last_reviewed", "").strip()
    return metadata


def _form_field(loc: tuple) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] == "source":
        return "source_" + parts[1] if len(parts) > 1 else "source_document"
    return parts[0] if parts and parts[0] in FORM_FIELDS else "body"


def validate(
    content_dir: Path, values: dict[str, str], original_id: str | None, known_ids: Collection[str] | None = None
) -> tuple[Draft, Entry | None]:
    """The build's validation (the Entry model and unique ids), errors by form field.

    The ids in use are read from ``content_dir`` unless ``known_ids`` are given."""
    values = {name: values.get(name, "") for name in FORM_FIELDS}
    draft = Draft(values)
    data = _metadata(values)
    data["body"] = values["body"].replace("\r\n", "\n")
    try:
        entry = Entry.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            draft.errors.setdefault(_form_field(item["loc"]), []).append(_vietnamese(item))
        return draft, None
    taken = entry.id in known_ids if known_ids is not None else find(content_dir, entry.id) is not None
    if entry.id != original_id and taken:
        draft.errors.setdefault("id", []).append(f"Mã “{entry.id}” đã được dùng cho mục khác.")
        return draft, None
    return draft, entry


def _vietnamese(item: dict) -> str:
    kind = item.get("type", "")
    context = item.get("ctx") or {}
    if kind == "missing":
        return "Trường này là bắt buộc."
    if kind == "string_too_short":
        return f"Cần ít nhất {context.get('min_length')} ký tự."
    if kind == "string_pattern_mismatch":
        return f"Không đúng định dạng (mẫu: {context.get('pattern')})."
    if kind == "enum":
        return f"Giá trị không hợp lệ; chọn một trong: {context.get('expected')}."
    if kind.startswith("date"):
        return "Ngày không hợp lệ (định dạng YYYY-MM-DD)."
    return f"Giá trị không hợp lệ: {item.get('msg')}"


def figures_without_source(entry: Entry) -> list[str]:
    """Figures a hand-written entry states that the kept copy of what it cites lacks
    (the check the test suite runs over every FAQ and programme entry); a procedure
    entry is checked against its portal record instead, at import."""
    if entry.type not in (EntryType.faq, EntryType.programme):
        return []
    return untraced_figures(entry)


def render(entry: Entry, values: dict[str, str], before: str | None = None) -> str:
    """The entry file; an edited file keeps its key order and its date style."""
    metadata = _metadata(values)
    if before is None or "last_reviewed: '" not in before:
        metadata["last_reviewed"] = entry.last_reviewed
    if before is not None:
        try:
            order = list(frontmatter.loads(before).metadata)
        except yaml.YAMLError:
            order = []
        metadata = {key: metadata[key] for key in [*order, *metadata] if key in metadata}
    front = yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{entry.body}\n"


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def path_for(content_dir: Path, entry: Entry, existing: Entry | None) -> Path:
    if existing is not None and existing.id == entry.id:
        return content_dir / existing.path
    return content_dir / FOLDERS[entry.type] / f"{entry.id}.md"


def save(content_dir: Path, entry: Entry, values: dict[str, str], existing: Entry | None) -> tuple[Path, str | None]:
    """Write the entry; a renamed entry's old file goes. Returns the path and the old text."""
    path = path_for(content_dir, entry, existing)
    old_path = content_dir / existing.path if existing is not None else None
    before = old_path.read_text(encoding="utf-8") if old_path is not None and old_path.exists() else None
    atomic_write(path, render(entry, values, before))
    load_entry(path, content_dir)  # what was written loads as the build will load it
    if old_path is not None and old_path != path:
        old_path.unlink(missing_ok=True)
    return path, before


def delete(content_dir: Path, entry: Entry) -> str:
    path = content_dir / entry.path
    before = path.read_text(encoding="utf-8")
    path.unlink()
    return before


# -- snapshots of what each published version was built from ------------------


def snapshot(content_dir: Path, target: Path) -> None:
    if target.exists():
        return
    staging = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    for path in content_dir.rglob("*"):
        if path.is_file() and path.suffix in SNAPSHOT_SUFFIXES:
            copy = staging / path.relative_to(content_dir)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
    staging.rename(target)


def _texts(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in SNAPSHOT_SUFFIXES
    }


def diff(published: Path, content_dir: Path, only: str | None = None) -> str:
    """A unified diff (a patch) from the published snapshot to the files now."""
    old, new = _texts(published), _texts(content_dir)
    chunks = []
    for name in sorted(set(old) | set(new)):
        if only is not None and name != only:
            continue
        if old.get(name) == new.get(name):
            continue
        chunks.extend(
            difflib.unified_diff(
                (old.get(name) or "").splitlines(keepends=True),
                (new.get(name) or "").splitlines(keepends=True),
                fromfile=f"a/knowledge/content/{name}" if name in old else "/dev/null",
                tofile=f"b/knowledge/content/{name}" if name in new else "/dev/null",
            )
        )
    return "".join(chunks)
