"""What the channels share: splitting, payload reading, the widget's texts."""

from __future__ import annotations

import json

import pytest

from connectors.common import is_rating_payload, split_message
from connectors.telegram.formatting import MAX_CALLBACK_BYTES, CallbackPayloads, as_html
from connectors.webchat.assets import CATALOGUE_MARKER, widget_script
from dialogue.ratings import csat_buttons, rating_buttons, reason_buttons

pytestmark = pytest.mark.unit


def test_split_message_keeps_sentences_and_the_limit() -> None:
    long_text = "Câu thứ nhất khá dài. " * 400
    chunks = split_message(long_text, 4096)
    assert all(len(chunk) <= 4096 for chunk in chunks) and len(chunks) == 3
    assert all(chunk.endswith(".") for chunk in chunks)
    assert "".join(chunks).replace(" ", "") == long_text.replace(" ", "")
    assert split_message("x" * 5000, 4096) == ["x" * 4096, "x" * 904], "no space at all: cut hard"


def test_html_is_escaped_and_long_payloads_fit_telegram() -> None:
    assert as_html("<script>a & b</script>") == "&lt;script&gt;a &amp; b&lt;/script&gt;"
    payloads = CallbackPayloads()
    long = '/ask_procedure{"entry_id": "dang-ky-khai-sinh-ket-hop-nhan-cha-me-con-rat-dai"}'
    key = payloads.encode(long)
    assert len(key.encode()) <= MAX_CALLBACK_BYTES and payloads.decode(key) == long
    assert payloads.encode("/stop") == "/stop" and payloads.decode("k:unknown") is None


def test_rating_buttons_are_told_apart_by_their_payload_not_their_title() -> None:
    up, down = rating_buttons("abc123")
    assert is_rating_payload(up.payload) and is_rating_payload(down.payload)
    assert (up.kind.value, up.value, down.value) == ("rating", "up", "down")
    assert not any(is_rating_payload(b.payload) for b in [*reason_buttons("abc123"), *csat_buttons()])
    assert not is_rating_payload("👍 Hữu ích") and not is_rating_payload('/give_feedback{"stars": "5"}')


def test_the_widget_script_carries_the_catalogue_texts() -> None:
    script = widget_script()
    assert CATALOGUE_MARKER not in script
    start = script.index("const CATALOGUE = ") + len("const CATALOGUE = ")
    catalogue = json.JSONDecoder().raw_decode(script[start:])[0]
    assert catalogue["vi"]["offline"].startswith("Không kết nối được máy chủ")
    assert catalogue["maxChars"] == 2000 and catalogue["examples"]
