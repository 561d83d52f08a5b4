"""Request helpers: the signed-in account, role checks, CSRF token, templates."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from pathlib import Path

from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from backoffice.accounts import Account, get_account
from backoffice.models import Role

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
ROLE_LABELS = {
    "viewer": "Người xem",
    "editor": "Biên tập viên",
    "publisher": "Người xuất bản",
    "admin": "Quản trị viên",
}
# The dialogue's reply statuses and the report's topics, as an admin reads them.
STATUS_LABELS = {
    "answered": "Đã trả lời",
    "clarification": "Hỏi lại muốn hỏi nội dung nào",
    "declined": "Chưa đủ tin cậy, không trả lời",
    "no_words": "Tin nhắn không có chữ",
    "unknown_choice": "Nút bấm không còn hiệu lực",
    "form_started": "Hỏi tên thủ tục",
    "handoff": "Chuyển cán bộ",
    "small_talk": "Chào hỏi, cảm ơn, ngoài phạm vi",
    "error": "Lỗi hệ thống",
}
TOPIC_LABELS = {"programme": "Chương trình", "procedure": "Thủ tục", "faq": "Hỏi đáp", "none": "Không thuộc mục nào"}
AUDIT_LABELS = {
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập sai mật khẩu",
    "entry_create": "Tạo mục",
    "entry_update": "Sửa mục",
    "entry_delete": "Xóa mục",
    "publish": "Xuất bản",
    "publish_refused": "Xuất bản bị từ chối (đánh giá)",
    "publish_override": "Xuất bản vượt đánh giá (quản trị viên)",
    "rollback": "Quay lại phiên bản",
    "review_link": "Rà soát: gắn vào mục",
    "review_faq_draft": "Rà soát: tạo câu hỏi đáp",
    "review_nlu_examples": "Rà soát: thêm câu mẫu",
    "review_dismiss": "Rà soát: bỏ qua",
}
TEMPLATES.env.globals["role_labels"] = ROLE_LABELS
TEMPLATES.env.globals["audit_labels"] = AUDIT_LABELS
TEMPLATES.env.globals["status_labels"] = STATUS_LABELS
TEMPLATES.env.globals["topic_labels"] = TOPIC_LABELS


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, JSON calls get 401."""


def csrf_token(request: Request) -> str:
    return request.scope["csrftoken"]()


async def account(request: Request) -> Account:
    user_id = request.session.get("user_id")
    found = await run_in_threadpool(get_account, request.app.state.db, user_id) if user_id else None
    if found is None:
        raise LoginRequired()
    return found


async def require(request: Request, role: Role) -> Account:
    found = await account(request)
    if not found.role.allows(role):
        raise HTTPException(403, f"Cần quyền “{ROLE_LABELS[role.value]}” trở lên.")
    return found


def page(request: Request, name: str, user: Account | None, status_code: int = 200, **context: object):
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {"user": user, "csrf": csrf_token(request), "Role": Role, **context},
        status_code=status_code,
    )


class Throttle:
    """Failed logins per client address: past ``limit`` in ``window`` seconds, wait."""

    def __init__(self, limit: int = 10, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, client: str) -> deque[float]:
        times = self.failures[client]
        while times and times[0] < time.monotonic() - self.window:
            times.popleft()
        return times

    def blocked(self, client: str) -> bool:
        return len(self._recent(client)) >= self.limit

    def failed(self, client: str) -> None:
        self._recent(client).append(time.monotonic())
