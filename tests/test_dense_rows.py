"""Which passages get a vector, and the store that keeps vectors across builds."""

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from knowledge.entries import Entry, EntryType
from knowledge.index import dense_rows
from knowledge.passages import split_entry
from knowledge.vector_store import VectorStore

pytestmark = pytest.mark.unit

PROCEDURE_BODY = (
    """## Tóm tắt
Thủ tục mẫu do Ủy ban nhân dân cấp xã giải quyết.

## Cơ quan và cấp thực hiện
- Cấp thực hiện: Cấp xã

## Thành phần hồ sơ
- Tờ khai theo mẫu

"""
    + "\n\n".join(f"- Giấy tờ dài số {i}: " + "nội dung " * 40 for i in range(6))
    + """

## Phí, lệ phí
- Trực tiếp: miễn phí

## Căn cứ pháp lý
- Luật Hộ tịch số 60/2014/QH13
"""
)


def entry(entry_type: EntryType, body: str, entry_id: str = "mau") -> Entry:
    return Entry.model_validate(
        {
            "id": entry_id,
            "title": "Thủ tục mẫu",
            "type": entry_type,
            "audience": "citizen",
            "source": {"document": "Nguồn mẫu"},
            "last_reviewed": dt.date(2026, 11, 29),
            "body": body,
        }
    )


def test_a_procedure_embeds_the_first_chunk_of_its_telling_sections_only() -> None:
    passages = split_entry(entry(EntryType.procedure, PROCEDURE_BODY))
    sections = [p.heading_path[1] for p in passages]
    assert sections.count("Thành phần hồ sơ") >= 2, "the long section is cut into chunks"
    embedded = [sections[row] for row in dense_rows(passages, folded=False)]
    assert embedded == ["Tóm tắt", "Thành phần hồ sơ"]  # not the formulaic agency, fee, legal basis
    assert [sections[row] for row in dense_rows(passages, folded=True)] == ["Tóm tắt"]


def test_other_entries_embed_every_passage_and_every_entry_its_first() -> None:
    faq = split_entry(entry(EntryType.faq, PROCEDURE_BODY, "hoi"))
    assert dense_rows(faq, folded=False) == list(range(len(faq)))
    assert dense_rows(faq, folded=True) == list(range(len(faq)))
    odd = split_entry(entry(EntryType.procedure, "## Ghi chú\nMột đoạn không thuộc mục nào của thủ tục.", "le"))
    assert dense_rows(odd, folded=False) == [0] and dense_rows(odd, folded=True) == [0]


def test_the_vector_store_keeps_vectors_by_space_and_key(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "embeddings.sqlite3"
    store = VectorStore(path, "model@256")
    store.put({"a": np.array([0.5, 0.25], dtype=np.float32)})
    store.close()
    again = VectorStore(path, "model@256")
    found = again.get(["a", "b"])
    assert list(found) == ["a"] and found["a"].tolist() == [0.5, 0.25]
    assert VectorStore(path, "other@512").get(["a"]) == {}, "another model's vectors are never reused"
