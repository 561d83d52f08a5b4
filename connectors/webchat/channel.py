"""The Rasa input channel of the web chat widget (runs inside the Rasa server).

It is the guaranteed REST channel under its own name, so conversations and
ratings are reported as "webchat", and it also serves the widget's files and a
demo host page: one origin, no extra server, and the widget is gone exactly when
the assistant is (which is what its reconnect banner is for).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from sanic import response
from sanic.exceptions import InvalidUsage as BadRequest  # sanic 21.12 (rasa 3.6)
from sanic.request import Request

from connectors.rasa_channels import GuaranteedRestInput, Handler
from connectors.webchat.assets import (
    ASSETS,
    DEMO_CSP,
    MAX_SENDER_CHARS,
    STATIC,
    demo_options,
    render_demo,
    widget_script,
)
from dialogue.texts import text


def static_file(asset: str, mime_type: str) -> Any:
    async def serve(request: Request) -> Any:
        # no-cache: browsers revalidate, so a new widget reaches users at once
        return await response.file(STATIC / asset, mime_type=mime_type, headers={"Cache-Control": "no-cache"})

    return serve


class WebchatInput(GuaranteedRestInput):
    """``/webhooks/webchat/``: the widget's messages, files and demo page."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    def blueprint(self, on_new_message: Handler) -> Any:
        blueprint = super().blueprint(on_new_message)

        @blueprint.route("/widget.js", methods=["GET"], name="widget_js")
        async def widget(request: Request) -> Any:
            return response.text(
                widget_script(),
                content_type="application/javascript; charset=utf-8",
                headers={"Cache-Control": "no-cache"},
            )

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
            raise BadRequest(text("channels.long_sender", limit=MAX_SENDER_CHARS))
        return sender

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()  # a browser does not choose how it is counted
