"""The back office's parts without servers: accounts, entry validation and
writing, the evaluation gate's verdict, the content diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from backoffice import accounts, audit, content, dashboard, review
from backoffice.accounts import AccountError, LoginResult, authenticate, create_user, set_password
from backoffice.db import Database
from backoffice.evaluation import Evaluation, Outcome, compare
from backoffice.models import Role
from feedback.store import FeedbackStore
from knowledge.entries import load_entries
from knowledge.settings import REPO_ROOT

pytestmark = pytest.mark.unit
CONTENT = REPO_ROOT / "knowledge" / "content"
PASSWORD = "mật khẩu đủ dài 2026"


@pytest.fixture(autouse=True)
def cheaper_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same argon2id with less memory and time, so the unit tier stays fast
    (the servers in the browser tests use the library's defaults)."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture()
def db(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'bo.db'}")


@pytest.fixture()
def content_dir(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def test_a_password_is_stored_as_an_argon2_hash_and_checked(db: Database) -> None:
    create_user(db, "bien-tap", Role.editor, PASSWORD)
    result, account = authenticate(db, "bien-tap", PASSWORD, 5)
    assert result is LoginResult.ok and account is not None and account.role is Role.editor
    with db.engine.connect() as connection:
        stored = connection.exec_driver_sql("select password_hash from backoffice_users").scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_short_passwords_bad_names_and_duplicates_are_refused(db: Database) -> None:
    with pytest.raises(AccountError):
        create_user(db, "ai-do", Role.admin, "ngan")
    with pytest.raises(AccountError):
        create_user(db, "Tên Có Dấu", Role.admin, PASSWORD)
    create_user(db, "ai-do", Role.admin, PASSWORD)
    with pytest.raises(AccountError):
        create_user(db, "ai-do", Role.viewer, PASSWORD)


def test_the_fifth_wrong_password_locks_the_account_until_reset(db: Database) -> None:
    create_user(db, "xem", Role.viewer, PASSWORD)
    results = [authenticate(db, "xem", "sai mật khẩu", 5)[0] for _ in range(5)]
    assert results == [LoginResult.wrong] * 4 + [LoginResult.locked]
    assert authenticate(db, "xem", PASSWORD, 5)[0] is LoginResult.locked
    set_password(db, "xem", PASSWORD + "!")
    assert authenticate(db, "xem", PASSWORD + "!", 5)[0] is LoginResult.ok


def test_a_right_password_resets_the_failure_count(db: Database) -> None:
    create_user(db, "xem", Role.viewer, PASSWORD)
    for _ in range(4):
        authenticate(db, "xem", "sai", 5)
    assert authenticate(db, "xem", PASSWORD, 5)[0] is LoginResult.ok
    assert [authenticate(db, "xem", "sai", 5)[0] for _ in range(4)] == [LoginResult.wrong] * 4


def test_an_unknown_name_is_just_wrong(db: Database) -> None:
    assert authenticate(db, "khong-co", PASSWORD, 5) == (LoginResult.wrong, None)


def test_roles_are_ordered() -> None:
    assert Role.admin.allows(Role.publisher) and Role.publisher.allows(Role.editor)
    assert not Role.viewer.allows(Role.editor) and not Role.editor.allows(Role.publisher)


def test_the_audit_log_keeps_before_and_after_and_exports_csv(db: Database) -> None:
    audit.record(db, "an", "entry_update", "dang-ky-khai-sinh", before="cũ", after="mới")
    rows = audit.events(db)
    assert [(r.actor, r.action, r.before, r.after) for r in rows] == [("an", "entry_update", "cũ", "mới")]
    exported = audit.to_csv(rows)
    assert exported.splitlines()[0] == ",".join(audit.CSV_FIELDS)
    assert "dang-ky-khai-sinh" in exported and "mới" in exported


def _values(content_dir: Path, entry_id: str) -> dict[str, str]:
    entry = content.find(content_dir, entry_id)
    assert entry is not None
    return content.form_values(entry)


def test_an_invalid_entry_gets_errors_by_field_and_nothing_is_written(content_dir: Path) -> None:
    path = content_dir / "procedures" / "dang-ky-khai-sinh.md"
    before = path.read_bytes()
    values = _values(content_dir, "dang-ky-khai-sinh")
    values.update(id="Sai Mã", title="", last_reviewed="hôm qua", source_document="", body="ngắn")
    draft, entry = content.validate(content_dir, values, "dang-ky-khai-sinh")
    assert entry is None
    assert set(draft.errors) == {"id", "title", "last_reviewed", "source_document", "body"}
    assert all(message and message[0].isupper() for messages in draft.errors.values() for message in messages)
    assert path.read_bytes() == before


def test_an_id_already_used_by_another_entry_is_refused(content_dir: Path) -> None:
    values = _values(content_dir, "dang-ky-khai-sinh")
    values["id"] = "dang-ky-khai-tu"
    draft, entry = content.validate(content_dir, values, "dang-ky-khai-sinh")
    assert entry is None and "id" in draft.errors


def test_saving_an_unchanged_entry_rewrites_the_same_file(content_dir: Path) -> None:
    path = content_dir / "procedures" / "dang-ky-khai-sinh.md"
    before = path.read_text(encoding="utf-8")
    existing = content.find(content_dir, "dang-ky-khai-sinh")
    draft, entry = content.validate(content_dir, content.form_values(existing), existing.id)
    content.save(content_dir, entry, draft.values, existing)
    assert path.read_text(encoding="utf-8") == before
    assert list(path.parent.glob(".*.tmp")) == []


def test_an_edited_entry_is_written_and_loads_as_the_build_loads_it(content_dir: Path) -> None:
    values = _values(content_dir, "dang-ky-khai-sinh")
    values["body"] += "\n\nCâu bổ sung để kiểm thử."
    values["aliases"] += "\nkhai sinh cho trẻ"
    existing = content.find(content_dir, "dang-ky-khai-sinh")
    draft, entry = content.validate(content_dir, values, existing.id)
    content.save(content_dir, entry, draft.values, existing)
    reloaded = {e.id: e for e in load_entries(content_dir)}["dang-ky-khai-sinh"]
    assert reloaded.body.endswith("Câu bổ sung để kiểm thử.") and "khai sinh cho trẻ" in reloaded.aliases


def test_a_new_entry_goes_to_its_type_folder_and_the_diff_shows_it(content_dir: Path, tmp_path: Path) -> None:
    published = tmp_path / "published"
    content.snapshot(content_dir, published)
    values = {name: "" for name in content.FORM_FIELDS}
    values.update(
        id="hoi-thu",
        title="Câu hỏi thử nghiệm",
        type="faq",
        audience="both",
        source_document="Nghị quyết số 76/NQ-CP",
        last_reviewed="2026-11-29",
        body="## Trả lời\nMột câu trả lời đủ dài cho kiểm thử.",
    )
    draft, entry = content.validate(content_dir, values, None)
    assert entry is not None, draft.errors
    path, before = content.save(content_dir, entry, draft.values, None)
    assert path == content_dir / "faq" / "hoi-thu.md" and before is None
    patch = content.diff(published, content_dir)
    assert "+++ b/knowledge/content/faq/hoi-thu.md" in patch and "+title: Câu hỏi thử nghiệm" in patch
    content.delete(content_dir, content.find(content_dir, "hoi-thu"))
    assert content.diff(published, content_dir) == ""


def test_filters_by_type_audience_words_and_staleness(content_dir: Path) -> None:
    entries, problems = content.load_all(content_dir)
    assert problems == []
    faqs = content.filter_entries(entries, entry_type="faq")
    assert faqs and all(e.type.value == "faq" for e in faqs)
    assert [e.id for e in content.filter_entries(entries, query="khai sinh", entry_type="procedure")][:1]
    stale_never = content.filter_entries(entries, stale_months=10_000)
    assert stale_never == []
    found = content.filter_entries(entries, query="giay phep lai xe")
    assert found and "giấy phép lái xe" in found[0].title.lower(), "accents folded, names first"
    justice = content.filter_entries(entries, ministry="Bộ Tư pháp")
    assert "dang-ky-khai-sinh" in {e.id for e in justice} and all(e.ministry == "Bộ Tư pháp" for e in justice)
    assert "cap-doi-the-can-cuoc" not in {e.id for e in justice}
    without = content.filter_entries(entries, ministry=content.NO_MINISTRY)
    assert without and all(e.ministry is None and e.type.value != "procedure" for e in without)


def test_the_ministry_survives_an_edit_through_the_form(content_dir: Path) -> None:
    entry = content.find(content_dir, "dang-ky-khai-sinh")
    values = content.form_values(entry)
    assert values["ministry"] == "Bộ Tư pháp"
    draft, validated = content.validate(content_dir, values, entry.id)
    assert validated is not None and validated.ministry == "Bộ Tư pháp", draft.errors
    before = (content_dir / "procedures" / "dang-ky-khai-sinh.md").read_text(encoding="utf-8")
    assert "\nministry: Bộ Tư pháp\n" in content.render(validated, values, before)


def _evaluation(version: str, ranks: dict[str, int | None]) -> Evaluation:
    return Evaluation(version, [Outcome(q, ["a"], rank, ["a"] if rank else ["b"]) for q, rank in ranks.items()])


def test_the_gate_passes_within_the_margin_and_lists_broken_questions() -> None:
    live = _evaluation("v1", {"q1": 1, "q2": 1, "q3": 2, "q4": None})
    same = compare(_evaluation("v2", {"q1": 1, "q2": 1, "q3": 2, "q4": None}), live, 0.01)
    assert same.passed and same.broken == []
    worse = compare(_evaluation("v3", {"q1": 1, "q2": None, "q3": 2, "q4": None}), live, 0.01)
    assert not worse.passed
    assert worse.broken == [{"question": "q2", "expected": ["a"], "now_finds": ["b"]}]
    assert compare(_evaluation("v3", {"q1": 1, "q2": None, "q3": 2, "q4": None}), live, 0.5).passed


def _store(db: Database) -> FeedbackStore:
    return FeedbackStore(db.url, "muối-thử-nghiệm", None)


def test_the_review_queue_gathers_unanswered_disliked_and_handoffs_until_handled(db: Database) -> None:
    store = _store(db)
    store.record_unanswered("u1", "rest", "giá vé xe buýt bao nhiêu", 0.2, "v1")
    disliked = store.record_answer("u2", "webchat", "làm hộ chiếu ở đâu", ["cap-ho-chieu"], "procedure", "v1")
    store.explain(disliked, "wrong_info", "sai địa chỉ")
    liked = store.record_answer("u3", "webchat", "đăng ký kết hôn", ["dang-ky-ket-hon"], "procedure", "v1")
    store.rate(liked, True)
    store.record_handoff(
        "u4", "rest", [{"who": "user", "text": "mất giấy khai sinh"}, {"who": "user", "text": "gặp cán bộ"}]
    )
    items = {item.kind: item for item in review.pending_items(db)}
    assert set(items) == {"unanswered", "disliked", "handoff"}
    assert items["disliked"].text == "làm hộ chiếu ở đâu" and items["disliked"].note == "Sai thông tin · sai địa chỉ"
    assert items["handoff"].text == "mất giấy khai sinh"
    assert review.mark_handled(db, [items["unanswered"].key, items["handoff"].key], "dismiss", "an") == 2
    assert review.mark_handled(db, [items["unanswered"].key], "dismiss", "an") == 0
    assert [item.kind for item in review.pending_items(db)] == ["disliked"]


def test_the_open_data_export_has_aggregates_and_no_question_or_comment(db: Database) -> None:
    store = _store(db)
    store.record_unanswered("u1", "rest", "số điện thoại của tôi là bí mật", 0.2, "v1")
    answer = store.record_answer("u2", "telegram", "câu hỏi riêng tư", ["cap-ho-chieu"], "procedure", "v1")
    store.explain(answer, "other", "góp ý riêng tư")
    result = dashboard.report(store, None)
    exported = json.dumps(dashboard.open_data(result), ensure_ascii=False)
    assert "riêng tư" not in exported and "bí mật" not in exported and "u2" not in exported
    assert dashboard.open_data(result)["by_channel"]["telegram"]["rated"] == 1
    assert "câu hỏi riêng tư" not in dashboard.table_csv(result, "by_entry")
    assert "resolution" in exported and "volume_by_hour" in exported and "top_questions" not in exported
    assert dashboard.table_csv(result, "top_questions").splitlines()[1] == "câu hỏi riêng tư,1,100.0"
    assert dashboard.table_csv(result, "by_hour").splitlines()[0].startswith("channel,00h,01h")
    assert dashboard.table_csv(result, "unanswered").splitlines() == [
        "question,count",
        "số điện thoại của tôi là bí mật,1",
    ]
