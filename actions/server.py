"""Run the Rasa SDK action server in a single process.

`python -m rasa_sdk` starts Sanic with a separate worker process, and both the
primary and the worker import the actions: the embedding model and the index
would be loaded twice. One process holds them once.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import warnings

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import HTTPResponse, Request, Sanic, response

from actions import services
from feedback.report import build_report


def add_report_route(app: Sanic) -> None:
    """GET /feedback/report: the satisfaction report as JSON (for the admin console).
    `?days=7` limits it to the last week. With FEEDBACK_REPORT_TOKEN set, the
    request must carry `Authorization: Bearer <token>`."""
    token = os.environ.get("FEEDBACK_REPORT_TOKEN")

    async def report(request: Request) -> HTTPResponse:
        if token and request.headers.get("authorization") != f"Bearer {token}":
            return response.json({"error": "Cần mã truy cập hợp lệ (Authorization: Bearer ...)."}, status=401)
        days = request.args.get("days")
        if days is not None and not days.isdigit():
            return response.json({"error": "Tham số days phải là số ngày, ví dụ ?days=7."}, status=400)
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=int(days)) if days else None
        store = services.feedback_store()
        result = await asyncio.to_thread(build_report, store, since)
        return response.json(result.to_dict(), ensure_ascii=False)

    app.add_route(report, "/feedback/report", methods=["GET"])


def main() -> None:
    parser = argparse.ArgumentParser(description="The assistant's action server.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_PORT", "5055")))
    parser.add_argument("--host", default=os.environ.get("STACK_HOST", "127.0.0.1"))
    args = parser.parse_args()
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # rasa 3.6 (Python 3.10) and this rasa-sdk (Python 3.11) speak the same action
    # protocol; tests/test_e2e_rest.py proves it end to end.
    warnings.filterwarnings("ignore", message="You are using an old version of rasa")
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins="*")
    add_report_route(app)
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
