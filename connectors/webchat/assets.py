"""The web chat widget's files and demo page, as the channel serves them.

No Rasa import: the widget script and the demo page are tested without a server.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from string import Template
from urllib.parse import urlencode

from connectors.common import MAX_MESSAGE_CHARS
from dialogue.texts import entry

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = {
    "widget.css": "text/css; charset=utf-8",
    "demo.css": "text/css; charset=utf-8",
}
MAX_SENDER_CHARS = 128
WIDGET_MAX_CHARS = 2000  # what the widget lets a person type

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


CATALOGUE_MARKER = "/*CATALOGUE*/{}"


def widget_script() -> str:
    """What the one script tag loads: the widget's logic (widget-logic.js, tested
    in Node) and its page code (widget.js), in one function scope, with the
    interface texts of the catalogue (dialogue/texts.yml) written in, so the
    widget needs no second request to show its first word."""
    strings = {**entry("widget"), "maxChars": min(MAX_MESSAGE_CHARS, WIDGET_MAX_CHARS)}
    logic = (STATIC / "widget-logic.js").read_text(encoding="utf-8")
    page = (STATIC / "widget.js").read_text(encoding="utf-8")
    if CATALOGUE_MARKER not in page:
        raise RuntimeError("widget.js lost its catalogue marker")
    page = page.replace(CATALOGUE_MARKER, json.dumps(strings, ensure_ascii=False))
    return f"(() => {{\n{logic}\n{page}\n}})();\n"


def render_demo(base_url: str, options: dict[str, str]) -> str:
    """The demo host page, showing the one tag that embeds the widget."""
    attributes = "".join(f' data-{name}="{html.escape(value)}"' for name, value in options.items())
    tag = f'<script src="{html.escape(base_url)}widget.js"{attributes} defer></script>'
    template = Template((STATIC / "demo.html").read_text(encoding="utf-8"))
    return template.substitute(widget_tag=tag, snippet=html.escape(tag), query=html.escape(urlencode(options)))
