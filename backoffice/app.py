"""The back office web app (FastAPI + Jinja2), in Vietnamese.

Server-side sessions (starsessions over the database; the cookie is HttpOnly,
SameSite=Strict and Secure), CSRF on every unsafe request (asgi-csrf: a form
field or the X-CSRFToken header must match the signed cookie), roles checked on
every route.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import time
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path
from urllib.parse import quote, urlencode

import markdown_it
from asgi_csrf import asgi_csrf
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starsessions import SessionAutoloadMiddleware, SessionMiddleware
from starsessions.session import regenerate_session_id

from backoffice import audit, content, dashboard, importing, nlu_examples, review
from backoffice.accounts import LoginResult, authenticate
from backoffice.db import Database
from backoffice.models import Role
from backoffice.publishing import Publisher, PublishError
from backoffice.sessions import DatabaseSessionStore
from backoffice.settings import BackofficeSettings, signing_secret
from backoffice.web import ROLE_LABELS, LoginRequired, Throttle, account, csrf_token, page, require
from core.settings import contact
from dialogue.messages import ReplyStatus, Turn
from dialogue.replier import ReplierForIndex
from feedback.settings import FeedbackSettings
from feedback.store import FeedbackStore
from knowledge.embedder import Embedder
from knowledge.entries import Audience, EntryType

MARKDOWN = markdown_it.MarkdownIt("commonmark", {"html": False}).enable("table")
TYPE_LABELS = {"programme": "Chương trình", "procedure": "Thủ tục", "faq": "Hỏi đáp"}
AUDIENCE_LABELS = {
    "citizen": "Người dân",
    "civil_servant": "Cán bộ, công chức",
    "business": "Doanh nghiệp, tổ chức",
    "both": "Nhiều đối tượng",
}


def render_markdown(text: str) -> str:
    return MARKDOWN.render(text)


def create_app(settings: BackofficeSettings | None = None, embedder: Embedder | None = None) -> FastAPI:
    settings = settings or BackofficeSettings.from_env()
    db = Database(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        model = embedder or await run_in_threadpool(Embedder, settings.knowledge.embedding_model)
        app.state.embedder = model
        app.state.publisher = await run_in_threadpool(Publisher, settings, db, model)
        yield

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.db = db
    app.state.settings = settings
    app.state.throttle = Throttle()
    app.state.feedback = FeedbackStore(
        settings.database_url, FeedbackSettings.from_env().hash_salt, settings.work_dir / "feedback-spool.jsonl"
    )
    app.mount("/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static")
    app.add_middleware(SessionAutoloadMiddleware)
    app.add_middleware(
        SessionMiddleware,
        store=DatabaseSessionStore(db),
        lifetime=settings.session_minutes * 60,
        rolling=True,
        cookie_name="bo_session",
        cookie_same_site="strict",
        cookie_https_only=settings.cookie_secure,
    )
    _routes(app, settings, db)
    return app


CSRF_REFUSED = "Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang và thử lại."
UPLOAD_PATHS = {"/import"}


def _upload(scope) -> bool:
    """A file upload, whose CSRF token the route checks itself (upload_csrf_ok): asgi-csrf
    0.11 cannot read multipart bodies with the python-multipart it runs beside (its FormParser
    no longer takes FileClass), so they skip the middleware and nothing else does."""
    content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
    return scope["path"] in UPLOAD_PATHS and content_type.startswith(b"multipart/form-data")


def upload_csrf_ok(request: Request, form) -> bool:
    """The form's csrftoken against the same signed cookie the middleware checks."""
    return secrets.compare_digest(str(form.get("csrftoken") or ""), csrf_token(request))


def wrap_csrf(app: FastAPI, settings: BackofficeSettings):
    async def refused(scope, send, message_id) -> None:
        body = CSRF_REFUSED.encode()
        await send(
            {"type": "http.response.start", "status": 403, "headers": [[b"content-type", b"text/plain; charset=utf-8"]]}
        )
        await send({"type": "http.response.body", "body": body})

    return asgi_csrf(
        app,
        signing_secret=signing_secret(),
        always_protect={"/login", "/logout"},
        cookie_secure=settings.cookie_secure,
        cookie_samesite="Strict",
        send_csrf_failed=refused,
        skip_if_scope=_upload,
    )


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _routes(app: FastAPI, settings: BackofficeSettings, db: Database) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _: LoginRequired) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "Cần đăng nhập."}, status_code=401)
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": error.detail}, status_code=error.status_code)
        user = None
        try:
            user = await account(request)
        except LoginRequired:
            pass
        return page(
            request, "error.html", user, status_code=error.status_code, status=error.status_code, message=error.detail
        )

    @app.get("/health")
    async def health() -> dict:
        return {"status": "ok"}

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)  # no icon; browsers ask on every page

    # -- accounts ---------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse)
    async def login_form(request: Request, next: str = "/"):
        return page(request, "login.html", None, next=next, error=None)

    @app.post("/login")
    async def login(request: Request, name: str = Form(""), password: str = Form(""), next: str = Form("/")):
        throttle: Throttle = app.state.throttle
        client = _client(request)
        if throttle.blocked(client):
            return page(
                request,
                "login.html",
                None,
                status_code=429,
                next=next,
                error="Quá nhiều lần đăng nhập sai từ máy này. Vui lòng thử lại sau ít phút.",
            )
        result, user = await run_in_threadpool(authenticate, db, name, password, settings.max_failed_logins)
        if result is not LoginResult.ok:
            throttle.failed(client)
            await run_in_threadpool(
                audit.record, db, name.strip().lower() or "?", "login_failed", client, detail=result.value
            )
            error = (
                "Tài khoản đã bị khóa do đăng nhập sai nhiều lần. Liên hệ quản trị viên để mở khóa."
                if result is LoginResult.locked
                else "Tên đăng nhập hoặc mật khẩu không đúng."
            )
            return page(
                request,
                "login.html",
                None,
                status_code=401 if result is LoginResult.wrong else 423,
                next=next,
                error=error,
            )
        regenerate_session_id(request)  # no session fixation
        request.session.clear()
        request.session["user_id"] = user.id
        await run_in_threadpool(audit.record, db, user.name, "login", client)
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        return RedirectResponse(target, status_code=303)

    @app.post("/logout")
    async def logout(request: Request):
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    # -- knowledge entries ---------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    async def home(request: Request):
        await account(request)
        return RedirectResponse("/entries", status_code=303)

    @app.get("/entries", response_class=HTMLResponse)
    async def entries(
        request: Request,
        q: str = "",
        type: str = "",
        audience: str = "",
        stale: str = "",
        ministry: str = "",
        deleted: str = "",
    ):
        user = await require(request, Role.viewer)
        loaded, problems = await run_in_threadpool(content.load_all, settings.knowledge.content_dir)
        chosen = content.filter_entries(loaded, q, type, audience, settings.stale_months if stale else None, ministry)
        return page(
            request,
            "entries.html",
            user,
            entries=chosen,
            total=len(loaded),
            problems=problems,
            q=q,
            type=type,
            audience=audience,
            stale=stale,
            stale_months=settings.stale_months,
            ministry=ministry,
            ministries=sorted({entry.ministry for entry in loaded if entry.ministry}),
            no_ministry=content.NO_MINISTRY,
            deleted=deleted,
            types=TYPE_LABELS,
            audiences=AUDIENCE_LABELS,
            is_stale=lambda e: content.is_stale(e, settings.stale_months),
        )

    def _edit_page(
        request,
        user,
        values,
        errors,
        original_id,
        preview=None,
        diff="",
        status_code=200,
        saved=False,
        review_items="",
        untraced=(),
    ):
        return page(
            request,
            "entry_edit.html",
            user,
            values=values,
            errors=errors,
            original_id=original_id,
            preview=preview,
            diff=diff,
            types=TYPE_LABELS,
            audiences=AUDIENCE_LABELS,
            type_values=[t.value for t in EntryType],
            audience_values=[a.value for a in Audience],
            status_code=status_code,
            saved=saved,
            review_items=review_items,
            untraced=untraced,
        )

    def _published_diff(entry_path: str | None) -> str:
        if entry_path is None:
            return ""
        return content.diff(app.state.publisher.published_snapshot(), settings.knowledge.content_dir, only=entry_path)

    @app.get("/entries/new", response_class=HTMLResponse)
    async def new_entry(request: Request):
        user = await require(request, Role.editor)
        values = {name: "" for name in content.FORM_FIELDS}
        values.update(type="faq", audience="both", last_reviewed=dt.date.today().isoformat())
        for name in ("id", "title", "aliases", "body"):  # a draft prefilled from the review queue
            if request.query_params.get(name):
                values[name] = request.query_params[name]
        return _edit_page(request, user, values, {}, None, review_items=request.query_params.get("review_items", ""))

    @app.get("/entries/{entry_id}", response_class=HTMLResponse)
    async def edit_entry(request: Request, entry_id: str, saved: str = ""):
        user = await require(request, Role.viewer)
        entry = await run_in_threadpool(content.find, settings.knowledge.content_dir, entry_id)
        if entry is None:
            raise HTTPException(404, "Không tìm thấy mục này.")
        return _edit_page(
            request,
            user,
            content.form_values(entry),
            {},
            entry.id,
            preview=render_markdown(entry.body),
            diff=_published_diff(entry.path),
            saved=bool(saved),
            untraced=await run_in_threadpool(content.figures_without_source, entry),
        )

    async def _save(request: Request, original_id: str | None):
        user = await require(request, Role.editor)
        form = await request.form()
        values = {name: str(form.get(name, "")) for name in content.FORM_FIELDS}
        content_dir = settings.knowledge.content_dir
        existing = await run_in_threadpool(content.find, content_dir, original_id) if original_id else None
        if original_id and existing is None:
            raise HTTPException(404, "Không tìm thấy mục này.")
        review_items = str(form.get("review_items", "")) if original_id is None else ""
        draft, entry = await run_in_threadpool(content.validate, content_dir, values, original_id)
        preview = render_markdown(values["body"])
        if entry is None:
            return _edit_page(
                request, user, values, draft.errors, original_id, preview, status_code=422, review_items=review_items
            )
        if form.get("action") == "preview":
            return _edit_page(
                request,
                user,
                values,
                {},
                original_id,
                preview=preview,
                diff=_published_diff(existing.path if existing else None),
            )
        path, before = await run_in_threadpool(content.save, content_dir, entry, values, existing)
        after = path.read_text(encoding="utf-8")
        await run_in_threadpool(
            audit.record,
            db,
            user.name,
            "entry_create" if existing is None else "entry_update",
            entry.id,
            before=before,
            after=after,
        )
        if review_items:  # an FAQ drafted from a review-queue group: the group is handled now
            keys = [key for key in review_items.split(",") if key]
            if await run_in_threadpool(review.mark_handled, db, keys, "faq_draft", user.name):
                questions = values["aliases"]
                await run_in_threadpool(audit.record, db, user.name, "review_faq_draft", entry.id, detail=questions)
        app.state.publisher.prepare_draft()
        return RedirectResponse(f"/entries/{entry.id}?saved=1", status_code=303)

    @app.post("/entries/new")
    async def create_entry(request: Request):
        return await _save(request, None)

    @app.post("/entries/{entry_id}")
    async def update_entry(request: Request, entry_id: str):
        return await _save(request, entry_id)

    @app.post("/entries/{entry_id}/delete")
    async def delete_entry(request: Request, entry_id: str):
        user = await require(request, Role.editor)
        entry = await run_in_threadpool(content.find, settings.knowledge.content_dir, entry_id)
        if entry is None:
            raise HTTPException(404, "Không tìm thấy mục này.")
        if (await request.form()).get("confirm") != "1":
            raise HTTPException(422, "Hãy đánh dấu ô xác nhận trước khi xóa mục này.")
        before = await run_in_threadpool(content.delete, settings.knowledge.content_dir, entry)
        await run_in_threadpool(audit.record, db, user.name, "entry_delete", entry.id, before=before)
        app.state.publisher.prepare_draft()
        return RedirectResponse(f"/entries?deleted={quote(entry.id)}", status_code=303)

    @app.get("/changes.patch")
    async def changes_patch(request: Request):
        await require(request, Role.viewer)
        patch = content.diff(app.state.publisher.published_snapshot(), settings.knowledge.content_dir)
        return PlainTextResponse(patch, headers={"Content-Disposition": 'attachment; filename="thay-doi.patch"'})

    @app.post("/api/preview")
    async def api_preview(request: Request):
        await require(request, Role.viewer)
        data = await request.json()
        return {"html": render_markdown(str(data.get("markdown", "")))}

    # -- importing a document into draft entries -------------------------------------

    imports_dir = settings.work_dir / "imports"
    token_pattern = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

    def _import_path(token: str) -> Path:
        if not token_pattern.match(token):
            raise HTTPException(404, "Không tìm thấy lượt nhập tài liệu này.")
        return imports_dir / f"{token}.json"

    def _store_import(token: str, stored: dict) -> None:
        imports_dir.mkdir(parents=True, exist_ok=True)
        for old in imports_dir.glob("*.json"):  # uploads are kept a day
            if old.stat().st_mtime < time.time() - 86400:
                old.unlink(missing_ok=True)
        content.atomic_write(_import_path(token), json.dumps(stored, ensure_ascii=False))

    def _load_import(token: str) -> dict:
        path = _import_path(token)
        if not path.exists():
            raise HTTPException(404, "Không tìm thấy lượt nhập tài liệu này (tệp đã tải lên chỉ được giữ một ngày).")
        return json.loads(path.read_text(encoding="utf-8"))

    def _existing_ids() -> set[str]:
        return {entry.id for entry in content.load_all(settings.knowledge.content_dir)[0]}

    def _rebuild(stored: dict, level: int | None) -> importing.ImportResult:
        document = importing.Document(
            **{**stored["document"], "sections": [importing.Section(**s) for s in stored["document"]["sections"]]}
        )
        return importing.build_drafts(document, _existing_ids(), level)

    def _import_page(request, user, status_code=200, **context):
        return page(
            request,
            "import.html",
            user,
            status_code=status_code,
            accept=importing.ACCEPT,
            max_mb=importing.MAX_BYTES // (1024 * 1024),
            types=TYPE_LABELS,
            field_labels=importing.FIELD_LABELS,
            **context,
        )

    def _level(value: object) -> int | None:
        text = str(value or "").strip()
        return int(text) if text.isdigit() and int(text) <= 6 else None

    @app.get("/import", response_class=HTMLResponse)
    async def import_form(request: Request):
        user = await require(request, Role.editor)
        return _import_page(request, user)

    @app.post("/import")
    async def import_upload(request: Request):
        user = await require(request, Role.editor)
        limit = importing.MAX_BYTES
        too_big = f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB."
        if int(request.headers.get("content-length") or 0) > limit + 64 * 1024:
            return _import_page(request, user, status_code=413, error=too_big)
        form = await request.form()
        if not upload_csrf_ok(request, form):
            return PlainTextResponse(CSRF_REFUSED, status_code=403)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _import_page(request, user, status_code=422, error="Hãy chọn một tệp tài liệu để nhập.")
        data = await upload.read(limit + 1)
        if len(data) > limit:
            return _import_page(request, user, status_code=413, error=too_big)
        try:
            document = await run_in_threadpool(importing.read, upload.filename, data)
        except importing.UnreadableDocument as error:
            return _import_page(request, user, status_code=422, error=str(error))
        ids = await run_in_threadpool(_existing_ids)
        result = await run_in_threadpool(importing.build_drafts, document, ids, _level(form.get("level")))
        token = secrets.token_urlsafe(18)
        stored = {"user": user.name, "document": asdict(document), "result": result.to_dict()}
        await run_in_threadpool(_store_import, token, stored)
        return RedirectResponse(f"/import/{token}", status_code=303)

    @app.get("/import/{token}", response_class=HTMLResponse)
    async def import_result(request: Request, token: str):
        user = await require(request, Role.editor)
        stored = await run_in_threadpool(_load_import, token)
        result = importing.ImportResult.from_dict(stored["result"])
        return _import_page(request, user, token=token, result=result)

    @app.post("/import/{token}/level")
    async def import_resplit(request: Request, token: str):
        await require(request, Role.editor)
        form = await request.form()
        stored = await run_in_threadpool(_load_import, token)
        level = _level(form.get("level"))
        stored["result"] = (await run_in_threadpool(_rebuild, stored, level)).to_dict()
        await run_in_threadpool(_store_import, token, stored)
        return RedirectResponse(f"/import/{token}", status_code=303)

    @app.post("/import/{token}/create")
    async def import_create(request: Request, token: str):
        user = await require(request, Role.editor)
        form = await request.form()
        stored = await run_in_threadpool(_load_import, token)
        result = importing.ImportResult.from_dict(stored["result"])
        chosen = {int(i) for i in form.getlist("chosen") if str(i).isdigit()}
        entry_type = str(form.get("type", "faq"))
        if entry_type not in TYPE_LABELS:
            raise HTTPException(422, "Loại mục không hợp lệ.")
        if not chosen:
            return _import_page(
                request, user, status_code=422, token=token, result=result, error="Hãy chọn ít nhất một mục để tạo."
            )
        content_dir = settings.knowledge.content_dir
        taken = await run_in_threadpool(_existing_ids)
        for number, draft in enumerate(result.drafts):
            if number not in chosen or draft.created:
                continue
            values = {**draft.values, "type": entry_type}
            checked, entry = await run_in_threadpool(content.validate, content_dir, values, None, taken)
            draft.errors = checked.errors
            if entry is None:
                continue
            path, _ = await run_in_threadpool(content.save, content_dir, entry, values, None)
            taken.add(entry.id)
            draft.created = True
            draft.values = values
            await run_in_threadpool(
                audit.record,
                db,
                user.name,
                "entry_create",
                entry.id,
                after=path.read_text(encoding="utf-8"),
                detail=f"Nhập từ tài liệu “{result.file_name}”: {draft.heading}",
            )
        stored["result"] = result.to_dict()
        await run_in_threadpool(_store_import, token, stored)
        return RedirectResponse(f"/import/{token}", status_code=303)

    # -- how would the assistant answer --------------------------------------------

    repliers = {name: ReplierForIndex(settings.knowledge.min_confidence, contact()) for name in ("draft", "published")}

    def _answers(question: str) -> dict:
        """What the assistant would reply to the question typed as a plain question (the
        dialogue's replier: search, confidence, sections, notes), from the draft and the
        live index; a message the intent classifier routes elsewhere can differ."""
        publisher: Publisher = app.state.publisher
        out = {}
        for name, index in (("draft", publisher.draft_index()), ("published", publisher.live_index())):
            reply = repliers[name](index).answer(Turn(question))
            results = index.search(question, k=3)
            out[name] = {
                "version": index.version,
                "answered": reply.status == ReplyStatus.answered,
                "status": reply.status.value,
                "reply": reply.messages[0].text if reply.messages else "",
                "entry_id": reply.entry_ids[0] if reply.entry_ids else None,
                "confidence": reply.confidence,
                "best": results[0] if results else None,
                "others": results[1:] if reply.entry_ids[:1] == [r.entry_id for r in results[:1]] else results,
            }
        return out

    @app.get("/ask", response_class=HTMLResponse)
    async def ask(request: Request, q: str = ""):
        user = await require(request, Role.viewer)
        answers = await run_in_threadpool(_answers, q) if q.strip() else None
        return page(request, "ask.html", user, q=q, answers=answers, render_markdown=render_markdown)

    @app.get("/api/ask")
    async def api_ask(request: Request, q: str):
        await require(request, Role.viewer)
        answers = await run_in_threadpool(_answers, q)
        return {
            name: {
                "version": a["version"],
                "answered": a["answered"],
                "status": a["status"],
                "entry_id": a["entry_id"],
                "text": a["reply"],
                "confidence": a["confidence"],
            }
            for name, a in answers.items()
        }

    # -- publishing -------------------------------------------------------------------

    @app.get("/publish", response_class=HTMLResponse)
    async def publish_page(request: Request, rolled_back: str = ""):
        user = await require(request, Role.viewer)
        publisher: Publisher = app.state.publisher
        patch = await run_in_threadpool(content.diff, publisher.published_snapshot(), settings.knowledge.content_dir)
        return page(
            request,
            "publish.html",
            user,
            job=publisher.job.to_dict(),
            versions=publisher.versions(),
            live=publisher.live_version(),
            available=publisher.available,
            pending=bool(patch),
            margin=settings.gate_margin,
            rolled_back=rolled_back,
        )

    @app.post("/publish")
    async def start_publish(request: Request):
        user = await require(request, Role.publisher)
        app.state.publisher.start(user.name)
        return RedirectResponse("/publish", status_code=303)

    @app.get("/api/publish")
    async def publish_status(request: Request):
        await require(request, Role.viewer)
        publisher: Publisher = app.state.publisher
        return {**publisher.job.to_dict(), "live": publisher.live_version()}

    @app.post("/publish/override")
    async def override(request: Request, version: str = Form(...), reason: str = Form("")):
        user = await require(request, Role.admin)
        if len(reason.strip()) < 10:
            raise HTTPException(422, "Cần ghi lý do xuất bản bắt buộc (ít nhất 10 ký tự).")
        try:
            await run_in_threadpool(app.state.publisher.override, version, user.name, reason.strip())
        except PublishError as error:
            raise HTTPException(409, str(error)) from error
        return RedirectResponse("/publish", status_code=303)

    @app.post("/versions/{version}/rollback")
    async def rollback(request: Request, version: str):
        user = await require(request, Role.publisher)
        try:
            await run_in_threadpool(app.state.publisher.rollback, version, user.name)
        except PublishError as error:
            raise HTTPException(409, str(error)) from error
        return RedirectResponse(f"/publish?rolled_back={quote(version)}", status_code=303)

    # -- audit ------------------------------------------------------------------------

    @app.get("/audit", response_class=HTMLResponse)
    async def audit_page(request: Request, action: str = ""):
        user = await require(request, Role.viewer)
        rows = await run_in_threadpool(audit.events, db, action or None, 500)
        return page(request, "audit.html", user, rows=rows, action=action)

    @app.get("/audit.csv")
    async def audit_csv(request: Request, action: str = ""):
        await require(request, Role.viewer)
        rows = await run_in_threadpool(audit.events, db, action or None)
        return Response(
            audit.to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="nhat-ky.csv"'},
        )

    # -- review queue -------------------------------------------------------------------

    def _groups() -> list[review.Group]:
        items = review.pending_items(db)
        return review.group_items(items, app.state.embedder, settings.group_similarity)

    @app.get("/review", response_class=HTMLResponse)
    async def review_page(request: Request, nlu: str = "", added: int = 0, known: int = 0, other: int = 0):
        user = await require(request, Role.viewer)
        groups = await run_in_threadpool(_groups)
        entries, _ = await run_in_threadpool(content.load_all, settings.knowledge.content_dir)
        return page(
            request,
            "review.html",
            user,
            groups=groups[:100],
            total=len(groups),
            entries=sorted(entries, key=lambda e: e.title),
            kinds=review.KIND_LABELS,
            intents=await run_in_threadpool(nlu_examples.offered_intents, settings.nlu_file),
            nlu_added={"intent": nlu, "added": added, "known": known, "other": other} if nlu else None,
        )

    @app.post("/review")
    async def review_action(request: Request):
        user = await require(request, Role.editor)
        form = await request.form()
        keys = [key for key in str(form.get("items", "")).split(",") if key]
        pending = {item.key: item for item in await run_in_threadpool(review.pending_items, db)}
        items = [pending[key] for key in keys if key in pending]
        if not items:
            raise HTTPException(409, "Nhóm này đã được xử lý hoặc không còn trong hàng đợi.")
        questions = list(dict.fromkeys(item.text for item in items))
        action = str(form.get("action", ""))

        async def handled(done: str, target: str, **change: str | None) -> None:
            """The group leaves the queue; the action goes to the audit log."""
            await run_in_threadpool(review.mark_handled, db, [i.key for i in items], done, user.name)
            detail = change.pop("detail", None) or "\n".join(questions)
            await run_in_threadpool(audit.record, db, user.name, f"review_{done}", target, detail=detail, **change)

        if action == "link":
            entry_id = str(form.get("entry_id", ""))
            existing = await run_in_threadpool(content.find, settings.knowledge.content_dir, entry_id)
            if existing is None:
                raise HTTPException(422, "Hãy chọn mục tri thức để gắn các câu hỏi vào.")
            values = content.form_values(existing)
            known = {alias.casefold() for alias in existing.aliases}
            added = [q for q in questions if q.casefold() not in known]
            values["aliases"] = "\n".join([*existing.aliases, *added])
            draft, entry = await run_in_threadpool(content.validate, settings.knowledge.content_dir, values, entry_id)
            if entry is None:
                raise HTTPException(422, "Không gắn được: " + "; ".join(m for ms in draft.errors.values() for m in ms))
            path, before = await run_in_threadpool(
                content.save, settings.knowledge.content_dir, entry, values, existing
            )
            await handled("link", entry_id, before=before, after=path.read_text(encoding="utf-8"))
            return RedirectResponse(f"/entries/{entry_id}?saved=1", status_code=303)
        if action == "faq":  # the group leaves the queue when the FAQ is saved (_save)
            slug = content.slugify(questions[0])
            title = questions[0].strip().rstrip("?") + "?"
            query = urlencode(
                {
                    "id": slug,
                    "title": title[:1].upper() + title[1:],
                    "aliases": "\n".join(questions),
                    "body": "## Trả lời\n",
                    "review_items": ",".join(item.key for item in items),
                }
            )
            return RedirectResponse(f"/entries/new?{query}", status_code=303)
        if action == "nlu":
            intent = str(form.get("intent", ""))
            try:
                result = await run_in_threadpool(nlu_examples.add_examples, settings.nlu_file, intent, questions)
            except nlu_examples.NluFileError as error:
                raise HTTPException(422, str(error)) from error
            added = "\n".join(result.added)
            await handled("nlu_examples", intent, before=result.before, after=result.after, detail=added)
            query = urlencode(
                {
                    "nlu": intent,
                    "added": len(result.added),
                    "known": len(result.already_there),
                    "other": len(result.in_other_intents),
                }
            )
            return RedirectResponse(f"/review?{query}", status_code=303)
        if action == "dismiss":
            await handled("dismiss", questions[0])
            return RedirectResponse("/review", status_code=303)
        raise HTTPException(422, "Thao tác không hợp lệ.")

    # -- dashboard -----------------------------------------------------------------------

    @app.get("/dashboard", response_class=HTMLResponse)
    async def dashboard_page(request: Request, days: int = 0):
        user = await require(request, Role.viewer)
        result = await run_in_threadpool(dashboard.report, app.state.feedback, days or None)
        return page(request, "dashboard.html", user, report=result, days=days)

    @app.get("/dashboard/{name}.csv")
    async def dashboard_csv(request: Request, name: str, days: int = 0):
        await require(request, Role.viewer)
        result = await run_in_threadpool(dashboard.report, app.state.feedback, days or None)
        try:
            text = dashboard.table_csv(result, name)
        except KeyError as error:
            raise HTTPException(404, "Không có bảng này.") from error
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )

    @app.get("/dashboard/open-data.json")
    async def open_data(request: Request, days: int = 0):
        await require(request, Role.viewer)
        result = await run_in_threadpool(dashboard.report, app.state.feedback, days or None)
        return JSONResponse(
            dashboard.open_data(result), headers={"Content-Disposition": 'attachment; filename="du-lieu-mo.json"'}
        )

    app.state.role_labels = ROLE_LABELS


def build_asgi(settings: BackofficeSettings | None = None):
    settings = settings or BackofficeSettings.from_env()
    return wrap_csrf(create_app(settings), settings)
