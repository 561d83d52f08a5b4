from pathlib import Path

import pytest

from feedback.masking import hash_identifier, mask_personal_data
from feedback.store import FeedbackStore

pytestmark = pytest.mark.unit


def test_personal_data_is_masked() -> None:
    text = "Tôi tên An, sđt 0912 345 678, +84912345678, email an.nguyen@gmail.com, CCCD 001203004005, CMND 123456789"
    masked = mask_personal_data(text)
    for secret in ("0912 345 678", "+84912345678", "an.nguyen@gmail.com", "001203004005", "123456789"):
        assert secret not in masked
    assert masked.count("[số điện thoại]") == 2 and "[email]" in masked and masked.count("[số giấy tờ]") == 2
    assert mask_personal_data("Thủ tục 1.001193 năm 2025, mất 7 ngày") == "Thủ tục 1.001193 năm 2025, mất 7 ngày"


def test_identifiers_are_pseudonymised_stably() -> None:
    assert hash_identifier("telegram:12345", "salt") == hash_identifier("telegram:12345", "salt")
    assert hash_identifier("telegram:12345", "salt") != hash_identifier("telegram:12345", "other")
    assert "12345" not in hash_identifier("telegram:12345", "salt")


def test_unanswered_and_handoffs_are_stored_without_personal_data(tmp_path: Path) -> None:
    store = FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}", "salt", spool_path=tmp_path / "spool.jsonl")
    store.record_unanswered("0912345678", "rest", "gọi tôi 0912345678 về sổ đỏ", 0.31, "v1")
    store.record_unanswered("u2", "telegram", "gọi tôi 0987654321 về sổ đỏ", 0.2, "v1")
    assert store.unanswered_counts() == [("gọi tôi [số điện thoại] về sổ đỏ", 2)]
    reference = store.record_handoff("0912345678", "rest", [{"who": "user", "text": "cccd 001203004005"}])
    assert reference.startswith("HT-")
    [stored] = store.handoffs()
    assert stored.reference == reference
    assert stored.transcript == [{"who": "user", "text": "cccd [số giấy tờ]"}]
    assert "0912345678" not in stored.conversation
    # reopening migrates nothing twice and keeps the data
    reopened = FeedbackStore(f"sqlite:///{tmp_path / 'feedback.db'}", "salt", spool_path=tmp_path / "spool.jsonl")
    assert len(reopened.handoffs()) == 1
