"""The knowledge-base entry model and the loader for ``knowledge/content``.

Entries are Markdown files with YAML front matter so that admins can edit them
by hand; a broken entry stops the build with the file and the field named.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class EntryType(str, Enum):
    programme = "programme"
    procedure = "procedure"
    faq = "faq"


class Audience(str, Enum):
    citizen = "citizen"
    civil_servant = "civil_servant"
    business = "business"  # enterprises and organisations (imported portal records)
    both = "both"  # more than one of the above


class Source(BaseModel):
    """Where the facts of an entry come from, as a citizen would cite it."""

    model_config = ConfigDict(extra="forbid")

    document: str = Field(min_length=3)
    date: str | None = None
    section: str | None = None
    url: str | None = None

    def citation(self) -> str:
        parts = [self.document]
        if self.date:
            parts.append(f"ngày {self.date}")
        text = " ".join(parts)
        if self.section:
            text += f", {self.section}"
        return text


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=3)
    type: EntryType
    audience: Audience
    source: Source
    last_reviewed: dt.date
    aliases: list[str] = Field(default_factory=list)
    procedure_code: str | None = Field(default=None, pattern=r"^\d+\.\d+$")
    level: str | None = None
    ministry: str | None = None  # the ministry that published the procedure (portal record)
    body: str = Field(min_length=20)
    path: str = ""

    @field_validator("title", "body")
    @classmethod
    def strip(cls, value: str) -> str:
        return value.strip()


class ContentError(ValueError):
    """A content file that cannot be used; the message names file and field."""


def _field_errors(path: Path, error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(file)"
        problems.append(f"{path}: field '{where}': {item['msg']}")
    return "\n".join(problems)


def load_entry(path: Path, root: Path | None = None) -> Entry:
    try:
        post = frontmatter.load(str(path))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: unreadable front matter: {exc}") from exc
    data = dict(post.metadata)
    data["body"] = post.content
    data["path"] = str(path.relative_to(root) if root else path)
    try:
        return Entry.model_validate(data)
    except ValidationError as exc:
        raise ContentError(_field_errors(path, exc)) from exc


def load_entries(content_dir: Path) -> list[Entry]:
    """Load and validate every ``*.md`` entry below ``content_dir``."""
    entries: list[Entry] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for path in sorted(content_dir.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        try:
            entry = load_entry(path, content_dir)
        except ContentError as exc:
            errors.append(str(exc))
            continue
        if entry.id in seen:
            errors.append(f"{path}: field 'id': '{entry.id}' is already used by {seen[entry.id]}")
            continue
        seen[entry.id] = entry.path
        entries.append(entry)
    if errors:
        raise ContentError("\n".join(errors))
    if not entries:
        raise ContentError(f"{content_dir}: no knowledge entries found")
    return entries
