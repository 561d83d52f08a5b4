"""The Rasa input channel of the web chat widget (runs inside the Rasa server).

It is the guaranteed REST channel under its own name, so conversations and
ratings are reported as "webchat", and it also serves the widget's files and a
demo host page: one origin, no extra server, and the widget is gone exactly when
the assistant is (which is what its reconnect banner is for).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import parse_qs, urlencode

from sanic import response
from sanic.exceptions import InvalidUsage as BadRequest  # sanic 21.12 (rasa 3.6)
from sanic.request import Request

from connectors.messages import BAD_REQUEST
from connectors.rasa_channels import GuaranteedRestInput, Handler

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "demo.css": "text/css; charset=utf-8",
}
MAX_SENDER_CHARS = 128

# Embed options a demo URL may set (?title=…&color=…), each checked by a pattern;
# the widget validates them again, this only keeps the demo page's markup clean.
DEMO_OPTIONS = {
    "title": re.compile(r"[^<>\"]{1,80}"),
    "color": re.compile(r"#[0-9a-fA-F]{3,8}"),
    "text-color": re.compile(r"#[0-9a-fA-F]{3,8}"),
    "position": re.compile(r"left|right"),
    "language": re.compile(r"vi|en"),
    "open": re.compile(r"true|false"),
    "heartbeat": re.compile(r"[0-9]{1,4}"),
}
DEFAULT_DEMO_OPTIONS = {"open": "true"}
# The demo page proves the widget works under a strict Content-Security-Policy.
DEMO_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"


def demo_options(args: dict[str, list[str]]) -> dict[str, str]:
    options = dict(DEFAULT_DEMO_OPTIONS)
    for name, pattern in DEMO_OPTIONS.items():
        value = (args.get(name) or [""])[0]
        if pattern.fullmatch(value):
            options[name] = value
    return options


def static_file(asset: str, mime_type: str) -> Any:
    async def serve(request: Request) -> Any:
        # no-cache: browsers revalidate, so a new widget reaches users at once
        return await response.file(STATIC / asset, mime_type=mime_type, headers={"Cache-Control": "no-cache"})

    return serve


def render_demo(base_url: str, options: dict[str, str]) -> str:
    """The demo host page, showing the one tag that embeds the widget."""
    attributes = "".join(f' data-{name}="{html.escape(value)}"' for name, value in options.items())
    tag = f'<script src="{html.escape(base_url)}widget.js"{attributes} defer></script>'
    template = Template((STATIC / "demo.html").read_text(encoding="utf-8"))
    return template.substitute(widget_tag=tag, snippet=html.escape(tag), query=html.escape(urlencode(options)))


class WebchatInput(GuaranteedRestInput):
    """``/webhooks/webchat/``: the widget's messages, files and demo page."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    def blueprint(self, on_new_message: Handler) -> Any:
        blueprint = super().blueprint(on_new_message)

        for asset, mime_type in ASSETS.items():
            route_name = asset.replace(".", "_")
            blueprint.add_route(static_file(asset, mime_type), f"/{asset}", methods=["GET"], name=route_name)

        @blueprint.route("/demo", methods=["GET"])
        async def demo(request: Request) -> Any:
            base_url = f"{request.scheme}://{request.host}/webhooks/{self.name()}/"
            page = render_demo(base_url, demo_options(parse_qs(request.query_string)))
            return response.html(page, headers={"Content-Security-Policy": DEMO_CSP, "Cache-Control": "no-cache"})

        return blueprint

    async def _extract_sender(self, req: Request) -> str | None:
        sender = await super()._extract_sender(req)
        if sender is None or len(sender) > MAX_SENDER_CHARS:
            raise BadRequest(BAD_REQUEST)
        return sender

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()  # a browser does not choose how it is counted
