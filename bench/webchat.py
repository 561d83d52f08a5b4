"""What the web chat widget costs a page and a user, measured in headless Chromium.

Run: .venv/bin/python -m bench.webchat   (needs `make install browser index`; trains
the full model if stale; takes a few minutes). Writes bench/results/webchat.md and .json.

- Size: widget.js and widget.css as served, raw and gzip-compressed (what a
  compressing proxy would send).
- Load: from navigation start to the widget drawn (its "tthc-webchat:ready"
  performance mark, set once its stylesheet is in), on the demo page, cold
  profile each time.
- Round trip: questions typed into the widget, from the Enter key to the answer
  bubble on screen, against the same questions posted straight to the REST
  channel, alternating (widget, then REST, per question): the difference is what the
  widget and the browser add.
"""

from __future__ import annotations

import gzip
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import requests
from playwright.sync_api import Page, sync_playwright

from bench.questions import load_questions
from stack.browser import launch_chromium
from stack.processes import action_server, free_port, rasa_server, serving
from stack.settings import REPO_ROOT
from stack.training import ensure_trained

RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.webchat"
WARM_UP = 3
LOADS = 10
QUESTIONS = 60

# Time from Enter to the next bot bubble, measured inside the page.
ROUND_TRIP = """async (text) => {
  const root = document.querySelector('#tthc-webchat').shadowRoot;
  const log = root.querySelector('.log');
  const before = log.querySelectorAll('.message.bot').length;
  const input = root.querySelector('textarea');
  input.value = text;
  const start = performance.now();
  const done = new Promise((resolve) => new MutationObserver((_, observer) => {
    if (log.querySelectorAll('.message.bot').length > before) { observer.disconnect(); resolve(performance.now()); }
  }).observe(log, { childList: true }));
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  const end = await done;
  const typing = root.querySelector('.typing');
  await new Promise((resolve) => { const idle = () => (typing.hidden ? resolve() : setTimeout(idle, 10)); idle(); });
  return end - start;
}"""


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(float(np.percentile(values, 50)), 1),
        "p95_ms": round(float(np.percentile(values, 95)), 1),
        "mean_ms": round(statistics.fmean(values), 1),
    }


def ready_at(page: Page) -> float:
    """When the widget was drawn (ms after navigation start). Polled from here:
    the demo page's CSP forbids the eval behind Playwright's wait_for_function."""
    for _ in range(600):
        marks = page.evaluate("performance.getEntriesByName('tthc-webchat:ready').map((mark) => mark.startTime)")
        if marks:
            return marks[0]
        time.sleep(0.05)
    raise TimeoutError("the widget did not draw within 30 s")


def sizes(base: str) -> dict[str, dict[str, int]]:
    out = {}
    for asset in ("widget.js", "widget.css"):
        body = requests.get(base + asset, timeout=10).content
        out[asset] = {"bytes": len(body), "gzip_bytes": len(gzip.compress(body, 9))}
    return out


def measure(base: str, rest_url: str, questions: list[str]) -> dict:
    result: dict = {"sizes": sizes(base)}
    for question in questions[:WARM_UP]:  # load the models' lazy parts before timing anything
        requests.post(rest_url, json={"sender": "bench-warm-up", "message": question}, timeout=60).raise_for_status()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        result["chromium"] = browser.version
        loads = []
        for _ in range(LOADS):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            page.goto(base + "demo")
            loads.append(ready_at(page))
            context.close()
        result["load"] = summary(loads)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(base + "demo")
        ready_at(page)
        # alternate widget and REST on the same question so both see the same machine state
        widget, rest = [], []
        sender = f"bench-{uuid.uuid4().hex}"
        for question in questions:
            widget.append(page.evaluate(ROUND_TRIP, question))
            start = time.perf_counter()
            requests.post(rest_url, json={"sender": sender, "message": question}, timeout=60).raise_for_status()
            rest.append((time.perf_counter() - start) * 1000)
        context.close()
        browser.close()
    result["round_trip_widget"] = summary(widget)
    result["round_trip_rest"] = summary(rest)
    return result


def write(result: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "webchat.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    size_rows = "\n".join(f"| {name} | {s['bytes']:,} | {s['gzip_bytes']:,} |" for name, s in result["sizes"].items())
    timings = (
        ("widget drawn after navigation start (cold profile)", result["load"]),
        ("question → answer on screen, in the widget", result["round_trip_widget"]),
        ("same questions, POST to the REST channel", result["round_trip_rest"]),
    )
    timing_rows = "\n".join(
        f"| {label} | {t['n']} | {t['p50_ms']} | {t['p95_ms']} | {t['mean_ms']} |" for label, t in timings
    )
    (RESULTS / "webchat.md").write_text(
        f"""<!-- produced by: {COMMAND} -->
# Web chat widget: size, load and round trip (2-core machine, headless Chromium)

Command: `{COMMAND}`. Servers: the real Rasa server (full model of `config.yml`) and action server on
localhost; Debian's Chromium {result["chromium"]} driven by Playwright; the demo page at a phone viewport.

| file | bytes | gzip bytes |
| --- | --- | --- |
{size_rows}

| what | n | p50 ms | p95 ms | mean ms |
| --- | --- | --- | --- | --- |
{timing_rows}

The widget has no dependencies and no build step. The round trip is dominated by the assistant itself
(NLU, search, feedback store); the widget's part is the difference between the two round-trip rows.
""",
        encoding="utf-8",
    )


def main() -> None:
    model = ensure_trained(REPO_ROOT / "config.yml", REPO_ROOT / "models")
    questions = [q.text for q in load_questions("eval_questions.txt")[:QUESTIONS]]
    with tempfile.TemporaryDirectory() as workdir:
        rasa_port, action_port = free_port(), free_port()
        env = {
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
            "TRACKER_STORE_URL": f"sqlite:///{workdir}/tracker.db",
            "FEEDBACK_DATABASE_URL": f"sqlite:///{workdir}/feedback.db",
            "FEEDBACK_SPOOL": f"{workdir}/spool.jsonl",
            "LOG_LEVEL": "WARNING",
        }
        actions = action_server(action_port, env, Path(workdir) / "actions.log")
        rasa = rasa_server(model, rasa_port, env, Path(workdir) / "rasa.log")
        with serving(actions, rasa):
            base = f"http://127.0.0.1:{rasa_port}/webhooks/webchat/"
            result = measure(base, f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", questions)
    write(result)
    print((RESULTS / "webchat.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
