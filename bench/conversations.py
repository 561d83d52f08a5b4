"""End-to-end evaluation the way people meet the assistant: realistic questions and
conversations sent through the REST channel to the real servers (issue 13).

Run: .venv/bin/python -m bench.conversations [--data bench/data/conversations_eval.yml]
Starts the action server and the Rasa server (the full model of config.yml, trained
if stale) on free ports with their own databases, sends every single question (a new
conversation each) and every multi-turn conversation, and classifies each reply from
what the action server recorded for it (its status and entries) and the section shown:

- right: answered from an expected entry (and the expected section, when one is given)
- partial: an expected entry but another section, or a clarification offering it
- confident_wrong: answered from an entry that was not expected (or any answer to a
  question the knowledge base does not hold)
- missed: the knowledge base holds it, but the assistant declined or clarified without it
- misrouted: small talk, feedback thanks, a handoff or the procedure form instead of an answer
- honest_not_found: a question outside the knowledge base declined, or told it is out of scope

Writes bench/results/conversations.md and .json. Targets (issue 13): right >= 85 % of
answerable turns, confident wrong <= 3 % and misrouted <= 3 % of all, honest not found
>= 90 % of the turns outside the knowledge base.
"""

from __future__ import annotations

import argparse
import json
import secrets
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml
from sqlalchemy import text

from core.settings import REPO_ROOT
from dialogue.texts import text as catalogue_text
from feedback.masking import hash_identifier
from feedback.store import FeedbackStore
from stack.processes import action_server, free_port, rasa_server, serving
from stack.settings import StackSettings
from stack.training import ensure_trained

RESULTS = Path(__file__).resolve().parent / "results"
DATA = Path(__file__).resolve().parent / "data" / "conversations_eval.yml"
COMMAND = ".venv/bin/python -m bench.conversations"
NOT_IN_KB = "not_in_kb"
OUTCOMES = ("right", "partial", "confident_wrong", "missed", "misrouted", "honest_not_found")
TARGETS = {"right": 0.85, "confident_wrong": 0.03, "misrouted": 0.03, "honest_not_found": 0.90}


@dataclass
class Turn:
    question: str
    expect: list[str]  # entry ids, or [NOT_IN_KB]
    section: str | None
    styles: list[str]
    conversation: str | None = None  # id of the multi-turn conversation, None for a single question

    @property
    def answerable(self) -> bool:
        return self.expect != [NOT_IN_KB]


@dataclass
class Outcome:
    turn: Turn
    outcome: str
    status: str  # the reply status the action server recorded ("none": no record, e.g. feedback)
    entries: list[str]
    section: str | None
    reply: str = field(repr=False)
    buttons: list[dict] = field(default_factory=list, repr=False)  # as the channel sent them


def load(path: Path) -> tuple[list[Turn], list[list[Turn]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def turn(item: dict[str, Any], conversation: str | None = None) -> Turn:
        expect = item["expect"] if isinstance(item["expect"], list) else [item["expect"]]
        styles = item.get("style") or []
        return Turn(
            question=str(item["q"]),
            expect=[str(e) for e in expect],
            section=item.get("section"),
            styles=styles if isinstance(styles, list) else [styles],
            conversation=conversation,
        )

    singles = [turn(item) for item in data.get("questions") or []]
    conversations = [[turn(t, c["id"]) for t in c["turns"]] for c in data.get("conversations") or []]
    return singles, conversations


def shown_section(reply: str) -> str | None:
    """The section heading an answer shows ("Title › Section"), after any notes."""
    for line in reply.splitlines():
        if " › " in line:
            return line.split(" › ")[1].strip()
    return None


class Recorded:
    """What the action server stored for each reply (status, entries), per conversation."""

    def __init__(self, database_url: str, salt: str) -> None:
        # opening the store migrates it: the schema exists before the first reply
        self.engine = FeedbackStore(database_url, salt).engine
        self.salt = salt

    def replies(self, sender: str) -> list[tuple[str, list[str]]]:
        query = text("SELECT status, entry_ids FROM answers WHERE conversation = :c ORDER BY created_at, id")
        with self.engine.connect() as connection:
            rows = connection.execute(query, {"c": hash_identifier(sender, self.salt)}).all()
        return [
            (status, entry_ids if isinstance(entry_ids, list) else json.loads(entry_ids)) for status, entry_ids in rows
        ]


def classify(turn: Turn, status: str, entries: list[str], section: str | None, reply: str, buttons: str) -> str:
    out_of_scope = catalogue_text("small_talk.out_of_scope")
    if not turn.answerable:
        if status == "declined" or (status == "small_talk" and reply.startswith(out_of_scope)):
            return "honest_not_found"
        if status == "answered":
            return "confident_wrong"
        return "misrouted"
    if status == "answered":
        if not set(entries) & set(turn.expect):
            return "confident_wrong"
        return "right" if turn.section is None or section == turn.section else "partial"
    if status == "clarification":
        return "partial" if any(e in buttons for e in turn.expect) else "missed"
    if status in ("declined", "error", "unknown_choice", "no_words"):
        return "missed"
    return "misrouted"  # small talk, handoff, form, feedback thanks (no record)


def run_turn(rest_url: str, recorded: Recorded, sender: str, turn: Turn) -> Outcome:
    before = len(recorded.replies(sender))
    response = requests.post(rest_url, json={"sender": sender, "message": turn.question}, timeout=120)
    messages = response.json() if response.ok else [{"text": f"HTTP {response.status_code}"}]
    reply = "\n".join(m.get("text") or "" for m in messages)
    sent = [b for m in messages for b in m.get("buttons") or []]
    buttons = json.dumps(sent, ensure_ascii=False)
    after = recorded.replies(sender)
    status, entries = after[-1] if len(after) > before else ("none", [])
    section = shown_section(reply) if status == "answered" else None
    outcome = classify(turn, status, entries, section, reply, buttons)
    return Outcome(turn, outcome, status, entries, section, reply, sent)


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    answerable = [o for o in outcomes if o.turn.answerable]
    outside = [o for o in outcomes if not o.turn.answerable]
    counts = Counter(o.outcome for o in outcomes)

    def share(part: int, whole: int) -> float:
        return round(part / whole, 3) if whole else 0.0

    by_style: dict[str, dict[str, Any]] = {}
    for style in sorted({s for o in answerable for s in o.turn.styles}):
        group = [o for o in answerable if style in o.turn.styles]
        by_style[style] = {"turns": len(group), "right": share(sum(o.outcome == "right" for o in group), len(group))}
    followups = [o for o in answerable if o.turn.conversation]
    return {
        "turns": len(outcomes),
        "answerable": len(answerable),
        "not_in_kb": len(outside),
        "counts": {name: counts.get(name, 0) for name in OUTCOMES},
        "right_of_answerable": share(counts["right"], len(answerable)),
        "partial_of_answerable": share(counts["partial"], len(answerable)),
        "missed_of_answerable": share(counts["missed"], len(answerable)),
        "confident_wrong_of_all": share(counts["confident_wrong"], len(outcomes)),
        "misrouted_of_all": share(counts["misrouted"], len(outcomes)),
        "honest_not_found_of_not_in_kb": share(counts["honest_not_found"], len(outside)),
        "right_in_conversations": share(sum(o.outcome == "right" for o in followups), len(followups)),
        "right_by_style": by_style,
        "statuses": dict(Counter(o.status for o in outcomes)),
    }


def report(summary: dict[str, Any], outcomes: list[Outcome], seconds: float, data: Path, model: str) -> str:
    met = {
        "right": summary["right_of_answerable"] >= TARGETS["right"],
        "confident_wrong": summary["confident_wrong_of_all"] <= TARGETS["confident_wrong"],
        "misrouted": summary["misrouted_of_all"] <= TARGETS["misrouted"],
        "honest_not_found": summary["honest_not_found_of_not_in_kb"] >= TARGETS["honest_not_found"],
    }
    mark = {True: "met", False: "**not met**"}
    shown = data.resolve().relative_to(REPO_ROOT) if data.resolve().is_relative_to(REPO_ROOT) else data
    lines = [
        f"<!-- produced by: {COMMAND} -->",
        "# End-to-end evaluation through the REST channel",
        "",
        f"Command: `{COMMAND}`; data: `{shown}` ({summary['turns']} turns: "
        f"{summary['answerable']} answerable, {summary['not_in_kb']} outside the knowledge base); "
        f"model `{model}`; {seconds:.0f} s on this machine.",
        "",
        "| measure | value | target |",
        "| --- | --- | --- |",
        f"| right (of answerable) | {summary['right_of_answerable']:.1%} | ≥ 85 % ({mark[met['right']]}) |",
        f"| partial (of answerable) | {summary['partial_of_answerable']:.1%} | |",
        f"| missed (of answerable) | {summary['missed_of_answerable']:.1%} | |",
        f"| confident wrong (of all) | {summary['confident_wrong_of_all']:.1%} | ≤ 3 % "
        f"({mark[met['confident_wrong']]}) |",
        f"| misrouted (of all) | {summary['misrouted_of_all']:.1%} | ≤ 3 % ({mark[met['misrouted']]}) |",
        f"| honest not found (of not in KB) | {summary['honest_not_found_of_not_in_kb']:.1%} | ≥ 90 % "
        f"({mark[met['honest_not_found']]}) |",
        f"| right within conversations (follow-ups) | {summary['right_in_conversations']:.1%} | |",
        "",
        "Counts: " + ", ".join(f"{k} {v}" for k, v in summary["counts"].items()) + ".",
        "Reply statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["statuses"].items())) + ".",
        "",
        "| style | answerable turns | right |",
        "| --- | --- | --- |",
        *(f"| {k} | {v['turns']} | {v['right']:.1%} |" for k, v in summary["right_by_style"].items()),
        "",
        "## Worst cases (confident wrong and misrouted)",
        "",
        "| question | expected | got | status |",
        "| --- | --- | --- | --- |",
    ]
    worst = [o for o in outcomes if o.outcome in ("confident_wrong", "misrouted")][:60]
    for o in worst:
        question = o.turn.question.replace("|", "/")[:90]
        lines.append(f"| {question} | {', '.join(o.turn.expect)} | {', '.join(o.entries) or '—'} | {o.status} |")
    return "\n".join(lines) + "\n"


def run(singles: list[Turn], conversations: list[list[Turn]], config: Path) -> tuple[list[Outcome], float, str]:
    """Send every turn through the REST channel to freshly started servers:
    (outcomes, seconds, the Rasa model's name)."""
    model = ensure_trained(config, StackSettings.from_env().model_dir)
    workdir = Path(tempfile.mkdtemp(prefix="bench-conversations-"))
    salt = secrets.token_hex(16)
    feedback_url = f"sqlite:///{workdir / 'feedback.db'}"
    rasa_port, action_port = free_port(), free_port()
    env = {
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "FEEDBACK_DATABASE_URL": feedback_url,
        "FEEDBACK_SPOOL": str(workdir / "spool.jsonl"),
        "FEEDBACK_HASH_SALT": salt,
        "LOG_LEVEL": "WARNING",
    }
    logs = REPO_ROOT / "var" / "bench"
    actions = action_server(action_port, env, logs / "conversations-actions.log")
    rasa = rasa_server(model, rasa_port, env, logs / "conversations-rasa.log")
    rest_url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
    outcomes: list[Outcome] = []
    started = time.monotonic()
    with serving(actions, rasa):
        recorded = Recorded(feedback_url, salt)
        for turn in singles:
            outcomes.append(run_turn(rest_url, recorded, f"eval-{uuid.uuid4().hex}", turn))
        for turns in conversations:
            sender = f"eval-{uuid.uuid4().hex}"
            outcomes.extend(run_turn(rest_url, recorded, sender, turn) for turn in turns)
    return outcomes, time.monotonic() - started, model.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config.yml")
    args = parser.parse_args()
    singles, conversations = load(args.data)
    outcomes, seconds, model = run(singles, conversations, args.config)
    summary = summarise(outcomes)
    RESULTS.mkdir(exist_ok=True)
    details = [
        {**asdict(o.turn), **{k: v for k, v in asdict(o).items() if k not in ("turn", "reply", "buttons")}}
        for o in outcomes
    ]
    (RESULTS / "conversations.json").write_text(
        json.dumps({"summary": summary, "turns": details}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    markdown = report(summary, outcomes, seconds, args.data, model)
    (RESULTS / "conversations.md").write_text(markdown, encoding="utf-8")
    print(markdown)


if __name__ == "__main__":
    main()
