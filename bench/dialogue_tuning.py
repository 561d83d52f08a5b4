"""The dialogue's replies on the tuning set, without Rasa: the fast loop for tuning
the reply steps (scope check, confidence, sections) on data kept apart from the
evaluation set.

Run: .venv/bin/python -m bench.dialogue_tuning [--data bench/data/conversations_tuning.yml] [--show]
     .venv/bin/python -m bench.dialogue_tuning --catalogue [--show]   (the catalogue's tuning questions)
     .venv/bin/python -m bench.dialogue_tuning --nearest   (sweep the floor of the entries offered
     with an honest "not found"; writes bench/results/nearest_floor.md)
Each single question is a new conversation answered by ``Replier.answer`` with no
intent (what search-first routing does with a real question); in a multi-turn
conversation the slots a reply sets carry over to the next turn, and a turn that
asks a detail while an entry is in focus is sent as a follow-up. Outcomes are
classified as bench/conversations.py does. The evaluation that counts stays
end to end (bench/conversations.py, through Rasa, on conversations_eval.yml);
this one never reads that file.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import dialogue.replier as replier_module
from actions.services import replier
from bench.catalogue_dialogue import verdict
from bench.conversations import Turn as EvalTurn
from bench.conversations import classify, load, shown_section
from bench.questions import CATALOGUE_TUNING_QUESTIONS, as_questions, load_catalogue_questions
from core.settings import REPO_ROOT
from dialogue.contract import Intent, Slot
from dialogue.messages import Reply, Turn
from dialogue.replier import Replier
from knowledge.details import detect_detail
from knowledge.live_content import load_live_entries
from knowledge.settings import KnowledgeSettings

DATA = Path(__file__).resolve().parent / "data" / "conversations_tuning.yml"
RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.dialogue_tuning"


def outcome(turn: EvalTurn, reply: Reply) -> tuple[str, str | None]:
    text = "\n".join(m.text for m in reply.messages)
    buttons = json.dumps([f"{b.title} {b.payload}" for m in reply.messages for b in m.buttons], ensure_ascii=False)
    section = shown_section(text) if reply.status.value == "answered" else None
    return classify(turn, reply.status.value, reply.entry_ids, section, text, buttons), section


def carry(state: Turn, reply: Reply) -> Turn:
    """The next turn's context: the slots this reply set."""
    slots = {Slot(k) if not isinstance(k, Slot) else k: v for k, v in reply.slots.items()}
    return replace(
        state,
        focus_entry=slots.get(Slot.focus_entry, state.focus_entry),
        focus_passage=slots.get(Slot.focus_passage, state.focus_passage),
        last_detail=slots.get(Slot.last_detail, state.last_detail),
    )


def run(the_replier: Replier, data: Path) -> list[tuple[EvalTurn, str, Reply, str | None]]:
    singles, conversations = load(data)
    rows = []
    for item in singles:
        reply = the_replier.answer(Turn(text=item.question))
        rows.append((item, *_with_outcome(item, reply)))
    for turns in conversations:
        state = Turn(text="")
        for item in turns:
            follow_up = state.focus_entry is not None and detect_detail(item.question) is not None
            intent = Intent.ask_procedure_detail.value if follow_up else None
            reply = the_replier.answer(replace(state, text=item.question, intent=intent))
            rows.append((item, *_with_outcome(item, reply)))
            state = carry(state, reply)
    return rows


def _with_outcome(item: EvalTurn, reply: Reply) -> tuple[str, Reply, str | None]:
    name, section = outcome(item, reply)
    return name, reply, section


def catalogue_verdicts(the_replier: Replier, show: bool = False) -> Counter[str]:
    """The catalogue's tuning questions, each a new conversation, judged as the dialogue sample is."""
    ids_of_code = {e.procedure_code: e.id for e in load_live_entries(KnowledgeSettings.from_env()) if e.procedure_code}
    items = load_catalogue_questions(CATALOGUE_TUNING_QUESTIONS)
    questions = [q for q in as_questions(items, ids_of_code) if q.answers]
    counts: Counter[str] = Counter()
    for question in questions:
        reply = the_replier.answer(Turn(text=question.text))
        payloads = [b.payload for m in reply.messages for b in m.buttons]
        judged = verdict(reply.status.value, reply.entry_ids, payloads, set(question.answers))
        counts[judged] += 1
        if show and judged != "right":
            print(f"{judged:13} conf={reply.confidence:.2f} got={reply.entry_ids} | {question.text[:110]}")
    return counts


def run_catalogue(the_replier: Replier, show: bool) -> None:
    counts = catalogue_verdicts(the_replier, show)
    total = sum(counts.values())
    print(f"{total} catalogue tuning questions: {dict(counts)}; right {counts['right'] / total:.1%}")


def sweep_nearest(the_replier: Replier, floors: tuple[float, ...] = (0.45, 0.48, 0.5, 0.52, 0.55)) -> None:
    """For each floor of NEAREST_MIN_CONFIDENCE: how often a declined question gets its
    right entry as the first choice (worth offering) and how often a question outside
    the knowledge base gets choices at all (noise: "thời tiết" offered a civil-service FAQ)."""
    lines = [
        f"<!-- produced by: {COMMAND} --nearest -->",
        '# The floor of the entries offered with an honest "not found"',
        "",
        f"Command: `{COMMAND} --nearest`; tuning data only: {DATA.relative_to(REPO_ROOT)} and the catalogue's "
        f"tuning questions; index {the_replier.index.version}, answer bar {the_replier.min_confidence}.",
        "",
        "| floor | tuning: answerable declined | right entry offered first | outside the KB declined "
        "| with choices offered | catalogue: right | offered first | declined | wrong entry |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    shipped = replier_module.NEAREST_MIN_CONFIDENCE
    try:
        for floor in floors:
            replier_module.NEAREST_MIN_CONFIDENCE = floor
            declined = Counter()
            for item, _, reply, _ in run(the_replier, DATA):
                if reply.status.value != "declined":
                    continue
                choices = [b.payload for m in reply.messages for b in m.buttons if "entry_id" in b.payload]
                kind = "answerable" if item.answerable else "outside"
                declined[kind] += 1
                if item.answerable and choices and any(f'"{e}"' in choices[0] for e in item.expect):
                    declined["offered_first"] += 1
                if not item.answerable and choices:
                    declined["outside_offered"] += 1
            catalogue = catalogue_verdicts(the_replier)
            lines.append(
                f"| {floor} | {declined['answerable']} | {declined['offered_first']} | {declined['outside']} "
                f"| {declined['outside_offered']} | {catalogue['right']} | {catalogue['offered first, not answered']} "
                f"| {catalogue['declined']} | {catalogue['wrong entry']} |"
            )
    finally:
        replier_module.NEAREST_MIN_CONFIDENCE = shipped
    lines += ["", f"Shipped: {shipped}."]
    (RESULTS / "nearest_floor.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show", action="store_true", help="print every turn that was not right")
    parser.add_argument("--catalogue", action="store_true", help="the catalogue's tuning questions instead")
    parser.add_argument("--nearest", action="store_true", help="sweep the floor of the choices offered on a decline")
    args = parser.parse_args()
    if args.nearest:
        sweep_nearest(replier())
        return
    if args.catalogue:
        run_catalogue(replier(), args.show)
        return
    rows = run(replier(), args.data)
    counts = Counter(name for _, name, _, _ in rows)
    answerable = sum(1 for item, *_ in rows if item.answerable)
    outside = len(rows) - answerable
    print(f"{len(rows)} turns ({answerable} answerable, {outside} outside the KB): {dict(counts)}")
    print(
        f"right {counts['right'] / answerable:.1%} of answerable, partial {counts['partial'] / answerable:.1%}, "
        f"missed {counts['missed'] / answerable:.1%}; confident wrong {counts['confident_wrong'] / len(rows):.1%}, "
        f"misrouted {counts['misrouted'] / len(rows):.1%} of all; "
        f"honest not found {counts['honest_not_found'] / max(outside, 1):.1%} of outside"
    )
    if args.show:
        for item, name, reply, section in rows:
            if name not in ("right", "honest_not_found"):
                print(
                    f"{name:16} {reply.status.value:13} conf={reply.confidence:.2f} got={reply.entry_ids} "
                    f"sec={section} | want={item.expect} {item.section} | {item.question[:110]}"
                )


if __name__ == "__main__":
    main()
