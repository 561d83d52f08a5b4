"""How long a publish from the back office takes on the current knowledge base.

Run: .venv/bin/python -m bench.publish_time   (after `make index` built the index)
On copies in a temporary directory: one FAQ edited, then the back office's own
publish flow (backoffice.publishing.Publisher) — build the new index version
(only changed passages embedded), copy it next to the served one, run the
evaluation questions on the new and on the live version, swap CURRENT — timed
per step. Writes bench/results/publish_time.md and .json.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from backoffice import content
from backoffice.db import Database
from backoffice.publishing import Job, Publisher
from backoffice.settings import BackofficeSettings
from knowledge.embedder import Embedder
from knowledge.index import CURRENT, current_version
from knowledge.settings import REPO_ROOT, KnowledgeSettings

RESULTS = Path(__file__).resolve().parent / "results"
COMMAND = ".venv/bin/python -m bench.publish_time"
EDITED = "ai-trong-dich-vu-cong"
LOADED = " (above the core count: other jobs were competing for the cores and the figures are that much slower)"


def main() -> None:
    shipped = KnowledgeSettings.from_env()
    live = current_version(shipped.index_dir)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        content_dir, index_dir = work / "content", work / "index"
        shutil.copytree(REPO_ROOT / "knowledge" / "content", content_dir)
        index_dir.mkdir()
        shutil.copytree(shipped.index_dir / live, index_dir / live)
        (index_dir / CURRENT).write_text(live + "\n", encoding="utf-8")
        settings = dataclasses.replace(
            BackofficeSettings.from_env(),
            database_url=f"sqlite:///{work / 'bo.db'}",
            knowledge=dataclasses.replace(shipped, content_dir=content_dir, index_dir=index_dir),
            work_dir=work / "backoffice",
        )
        started = time.perf_counter()
        embedder = Embedder(shipped.embedding_model)
        publisher = Publisher(settings, Database(settings.database_url), embedder)
        startup = time.perf_counter() - started

        entry = content.find(content_dir, EDITED)
        values = content.form_values(entry)
        values["body"] = values["body"].replace("## Trả lời\n", "## Trả lời\nMột câu được biên tập thêm. ", 1)
        draft, edited = content.validate(content_dir, values, EDITED)
        content.save(content_dir, edited, draft.values, entry)

        job = Job(started_at=time.monotonic())
        started = time.perf_counter()
        publisher._publish_flow("bench", job)
        total = time.perf_counter() - started
        questions = len(publisher._questions)
    report = {
        "index": live,
        "stage": job.stage,
        "verdict": job.verdict,
        "questions_per_version": questions,
        "startup_seconds": round(startup, 2),
        "publish_seconds": round(total, 2),
        "steps": job.timings,
        "cpus": os.cpu_count(),
        "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "publish_time.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    names = {
        "build": "build the new version (changed passages embedded, the rest reused)",
        "copy": "copy it next to the served versions",
        "evaluate_new": f"evaluation questions on the new version ({questions} searches)",
        "evaluate_live": f"evaluation questions on the live version ({questions} searches; cached afterwards)",
        "swap": "swap CURRENT, snapshot the content, record and audit",
    }
    lines = [
        f"<!-- produced by: {COMMAND} -->",
        "# Publish time from the back office",
        "",
        f"Command: `{COMMAND}`  ",
        f"Knowledge base: the shipped content, index {live}; one FAQ ({EDITED}) edited, then published "
        f"through the evaluation gate ({report['stage']}). Machine: {os.cpu_count()} CPU cores, shared; "
        f"1-minute load average {report['load_average_1min'][0]} at the start, {report['load_average_1min'][1]} "
        f"at the end{LOADED if max(report['load_average_1min']) > (os.cpu_count() or 1) else ' (idle)'}.",
        "",
        "| step | seconds |",
        "| --- | --- |",
        *[f"| {names[step]} | {seconds:.1f} |" for step, seconds in job.timings.items()],
        f"| **publish, total** | **{total:.1f}** |",
        "",
        f"Loading the embedding model and the evaluation set when the back office starts: {startup:.1f} s "
        "(once per server start).",
    ]
    if job.verdict:
        v = job.verdict
        lines.append(
            f"Gate: Recall@5 {v['recall5']:.3f} (live {v['baseline_recall5']:.3f}), "
            f"MRR@5 {v['mrr5']:.3f} (live {v['baseline_mrr5']:.3f}), {len(v['broken'])} questions broken."
        )
    (RESULTS / "publish_time.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
