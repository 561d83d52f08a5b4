from pathlib import Path

import pytest

from knowledge.entries import ContentError, load_entries
from knowledge.passages import split_entry

pytestmark = pytest.mark.unit

VALID = """---
id: thu-nghiem
title: Mục thử nghiệm
type: faq
audience: citizen
source:
  document: Nghị quyết số 76/NQ-CP
  date: 15/7/2021
  section: mục II
last_reviewed: 2026-11-27
---
## Phần một
Nội dung phần một đủ dài để làm một đoạn văn.

### Chi tiết
Nội dung chi tiết của phần một.

## Phần hai
Nội dung phần hai.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_content_is_valid() -> None:
    entries = load_entries(Path(__file__).resolve().parent.parent / "knowledge" / "content")
    assert len({entry.id for entry in entries}) == len(entries)


def test_passages_keep_their_heading_path_and_citation(tmp_path: Path) -> None:
    write(tmp_path, "a.md", VALID)
    [entry] = load_entries(tmp_path)
    passages = split_entry(entry)
    assert [p.heading_path for p in passages] == [
        ["Mục thử nghiệm", "Phần một"],
        ["Mục thử nghiệm", "Phần một", "Chi tiết"],
        ["Mục thử nghiệm", "Phần hai"],
    ]
    assert passages[0].citation == "Nghị quyết số 76/NQ-CP ngày 15/7/2021, mục II"


def test_missing_field_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.md", VALID.replace("audience: citizen\n", ""))
    with pytest.raises(ContentError) as error:
        load_entries(tmp_path)
    assert str(path) in str(error.value) and "'audience'" in str(error.value)


def test_wrong_enum_value_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "bad.md", VALID.replace("type: faq", "type: recipe"))
    with pytest.raises(ContentError, match="field 'type'"):
        load_entries(tmp_path)


def test_broken_yaml_is_reported_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "yaml.md", VALID.replace("title: Mục thử nghiệm", "title: [không đóng"))
    with pytest.raises(ContentError, match=str(path)):
        load_entries(tmp_path)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    write(tmp_path, "a.md", VALID)
    write(tmp_path, "b.md", VALID)
    with pytest.raises(ContentError, match="already used"):
        load_entries(tmp_path)
