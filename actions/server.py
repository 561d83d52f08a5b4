"""Run the Rasa SDK action server in a single process.

`python -m rasa_sdk` starts Sanic with a separate worker process, and both the
primary and the worker import the actions: the embedding model and the index
would be loaded twice. One process holds them once.

The server refuses to start with settings that would expose users' data: a
published pseudonymisation salt, or the feedback report reachable from other
machines without a token.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hmac
import logging
import sys
import warnings

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import HTTPResponse, Request, Sanic, response
from sanic.exceptions import MethodNotAllowed, NotFound

from core.settings import UnsafeSettings, endpoints, env, hash_salt, is_loopback

log = logging.getLogger(__name__)
REPORT_PATH = "/feedback/report"


def report_token(host: str) -> str | None:
    """The bearer token of the feedback report; required off loopback."""
    token = env("FEEDBACK_REPORT_TOKEN", "").strip() or None
    if token is None and not is_loopback(host):
        raise UnsafeSettings(
            f"the action server listens on {host}: set FEEDBACK_REPORT_TOKEN so that the feedback report "
            "is not readable by anyone who can reach it"
        )
    return token


def add_report_route(app: Sanic, token: str | None) -> None:
    """GET /feedback/report: the satisfaction report as JSON (for the admin console).
    `?days=7` limits it to the last week. With a token, the request must carry
    `Authorization: Bearer <token>`."""
    from actions import services
    from feedback.report import build_report

    async def report(request: Request) -> HTTPResponse:
        if request.method != "GET":  # HEAD: the headers without building a report
            return response.empty(status=200 if _authorised(request, token) else 401)
        if not _authorised(request, token):
            return response.json({"error": "Cần mã truy cập hợp lệ (Authorization: Bearer ...)."}, status=401)
        days = request.args.get("days")
        if days is not None and not (days.isdigit() and 0 < int(days) <= 3660):
            return response.json({"error": "Tham số days phải là số ngày từ 1 đến 3660, ví dụ ?days=7."}, status=400)
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=int(days)) if days else None
        result = await asyncio.to_thread(build_report, services.feedback_store(), since)
        return response.json(result.to_dict(), ensure_ascii=False)

    app.add_route(report, REPORT_PATH, methods=["GET", "HEAD"])


def _authorised(request: Request, token: str | None) -> bool:
    if token is None:
        return True
    return hmac.compare_digest(request.headers.get("authorization", ""), f"Bearer {token}")


def add_error_handlers(app: Sanic) -> None:
    """Unknown paths and methods are the client's mistake: 404/405, never the
    500 that rasa-sdk's catch-all handler would give them."""

    @app.exception(NotFound, MethodNotAllowed)
    async def client_error(request: Request, exception: Exception) -> HTTPResponse:
        status = 405 if isinstance(exception, MethodNotAllowed) else 404
        return response.json({"error": "Không có địa chỉ hoặc phương thức này."}, status=status)


def main() -> None:
    parser = argparse.ArgumentParser(description="The assistant's action server.")
    parser.add_argument("--port", type=int, default=endpoints().action_port)
    parser.add_argument("--host", default=endpoints().host)
    args = parser.parse_args()
    logging.basicConfig(
        level=env("LOG_LEVEL", "INFO").upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:  # before the model loads: a refused start is quick and clear
        hash_salt()
        token = report_token(args.host)
    except UnsafeSettings as error:
        sys.exit(f"Refusing to start the action server: {error}")
    # rasa 3.6 (Python 3.10) and this rasa-sdk (Python 3.11) speak the same action
    # protocol; tests/test_e2e_rest.py proves it end to end.
    warnings.filterwarnings("ignore", message="You are using an old version of rasa")
    executor = ActionExecutor()
    executor.register_package("actions")
    # Only the Rasa server calls this server, never a browser: no CORS at all.
    app = create_app(executor, cors_origins=env("ACTION_CORS_ORIGINS", ""))
    add_report_route(app, token)
    add_error_handlers(app)
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
