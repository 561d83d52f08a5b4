"""Generate procedure entries from the selected national portal records."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from knowledge.ingest.render import Override, Selection, render_procedure
from knowledge.settings import REPO_ROOT

SOURCES = REPO_ROOT / "knowledge" / "sources" / "procedures"
SELECTION = SOURCES / "selection.yml"
RECORDS = SOURCES / "national-selected.jsonl"
# Records that hand-written entries cite (for a document number or a fact) without an entry of their own.
CITED = SOURCES / "cited.yml"
CITED_RECORDS = SOURCES / "national-cited.jsonl"
# Reviewed corrections of records whose table contradicts their own text (see the file).
OVERRIDES = SOURCES / "overrides.yml"


def load_overrides(path: Path = OVERRIDES) -> dict[str, Override]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return {str(code): Override(**item) for code, item in data.items()}


def load_selection(path: Path = SELECTION) -> list[Selection]:
    return [Selection(**{**item, "code": str(item["code"])}) for item in yaml.safe_load(path.read_text("utf-8"))]


def refresh_records(national_file: Path, selection: list[Selection], target: Path = RECORDS) -> int:
    """Copy the selected records out of the full national file (kept outside the repo)."""
    return copy_records(national_file, [item.code for item in selection], target)


def cited_codes(path: Path = CITED) -> list[str]:
    return [str(item["code"]) for item in yaml.safe_load(path.read_text("utf-8"))]


def copy_records(national_file: Path, codes: list[str], target: Path) -> int:
    """Copy the records with these codes, in this order, out of the full national file."""
    wanted = set(codes)
    found: dict[str, dict] = {}
    with national_file.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("ma_thu_tuc") in wanted:
                record.pop("raw_text", None)
                found[record["ma_thu_tuc"]] = record
    missing = wanted - found.keys()
    if missing:
        raise ValueError(f"{national_file}: no record for {sorted(missing)}")
    with target.open("w", encoding="utf-8") as handle:
        for code in dict.fromkeys(codes):
            handle.write(json.dumps(found[code], ensure_ascii=False) + "\n")
    return len(found)


def generate(content_dir: Path, reviewed: dt.date, records: Path = RECORDS, selection_file: Path = SELECTION) -> int:
    selection = load_selection(selection_file)
    overrides = load_overrides()
    by_code = {}
    with records.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            by_code[record["ma_thu_tuc"]] = record
    target = content_dir / "procedures"
    target.mkdir(parents=True, exist_ok=True)
    for item in selection:
        text = render_procedure(by_code[item.code], item, reviewed, overrides.get(item.code))
        (target / f"{item.id}.md").write_text(text, encoding="utf-8")
    return len(selection)
