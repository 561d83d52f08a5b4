"""Questions over the national catalogue through the dialogue, not only the search.

Run: .venv/bin/python -m bench.catalogue_dialogue   (after `make index`; trains the
full Rasa model of config.yml if stale, then about 10 minutes)
Sends an even sample of bench/data/catalogue_questions.yml (every question whose
position is a multiple of the step, each in a new conversation) to the REST channel of
the real servers on the live index, and counts a question right when the entry
answered, or offered as the first button of a clarification, is a labelled one
(the record's code, or one that answers it equally). Writes
bench/results/catalogue_dialogue.md and .json. Target (issue 15): >= 85 %.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from bench.conversations import Outcome, Turn, run
from bench.questions import load_catalogue_questions
from dialogue.contract import Entity, parse_payload
from knowledge.live_content import load_live_entries
from knowledge.settings import REPO_ROOT, KnowledgeSettings

RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.catalogue_dialogue"
SAMPLE = 120
TARGET = 0.85


def first_offered(payloads: list[str]) -> str | None:
    """The entry the first choice button offers."""
    for payload in payloads:
        parsed = parse_payload(payload or "")
        if parsed is not None:
            return parsed.entities.get(Entity.entry_id.value)
    return None


def verdict(status: str, entries: list[str], payloads: list[str], expected: set[str]) -> str:
    """The labelled entry answered, offered first in a clarification, or offered
    first by an honest decline; shared with bench/dialogue_tuning.py --catalogue."""
    if status == "answered":
        return "right" if expected & set(entries) else "wrong entry"
    if status == "clarification":
        return "right" if first_offered(payloads) in expected else "clarification without it first"
    if status == "declined":
        # "not sure enough to answer", the labelled entry offered as the first choice
        return "offered first, not answered" if first_offered(payloads) in expected else "declined"
    return f"other ({status})"


def judged(outcome: Outcome) -> str:
    payloads = [button.get("payload") or "" for button in outcome.buttons]
    return verdict(outcome.status, outcome.entries, payloads, set(outcome.turn.expect))


def main() -> None:
    settings = KnowledgeSettings.from_env()
    ids_of_code = {e.procedure_code: e.id for e in load_live_entries(settings) if e.procedure_code}
    items = load_catalogue_questions()
    step = max(1, len(items) // SAMPLE)
    sample = items[::step][:SAMPLE]
    turns = [
        Turn(item.text, [ids_of_code[c] for c in item.codes if c in ids_of_code], None, ["catalogue"])
        for item in sample
    ]
    outcomes, seconds, model = run(turns, [], REPO_ROOT / "config.yml")
    verdicts = [judged(o) for o in outcomes]
    counts = Counter(verdicts)
    right = counts["right"] / len(outcomes)
    offered = (counts["right"] + counts["offered first, not answered"]) / len(outcomes)
    report = {
        "questions": len(outcomes),
        "right": round(right, 3),
        "right_or_offered_first": round(offered, 3),
        "counts": dict(counts),
        "seconds": round(seconds, 1),
        "model": model,
        "turns": [
            {"q": o.turn.question, "expect": o.turn.expect, "status": o.status, "entries": o.entries, "verdict": v}
            for o, v in zip(outcomes, verdicts, strict=True)
        ],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "catalogue_dialogue.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    wrong = [t for t in report["turns"] if t["verdict"] not in ("right", "offered first, not answered")]
    lines = [
        f"<!-- produced by: {COMMAND} -->",
        "# Catalogue questions through the dialogue (REST channel, real servers)",
        "",
        f"Command: `{COMMAND}`. {len(outcomes)} questions (every {step}th of "
        f"bench/data/catalogue_questions.yml), each a new conversation, Rasa model {model}, {seconds:.0f} s.",
        "",
        f"**Right: {right:.1%}** (the labelled entry answered, or offered first in a clarification); "
        f"**{offered:.1%}** with the declines that offer it as the first button; target {TARGET:.0%}.",
        "",
        "| verdict | questions |",
        "| --- | --- |",
        *(f"| {verdict} | {n} |" for verdict, n in counts.most_common()),
        "",
        "Neither answered nor offered first:",
        "",
        "| question | expected | status | entries |",
        "| --- | --- | --- | --- |",
        *(f"| {t['q']} | {', '.join(t['expect'])} | {t['status']} | {', '.join(t['entries'])} |" for t in wrong),
    ]
    (RESULTS / "catalogue_dialogue.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:12]))


if __name__ == "__main__":
    main()
