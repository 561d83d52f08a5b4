"""`python -m feedback report`: the satisfaction report, as text, JSON, CSV or charts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from feedback.report import build_report, to_markdown, write_charts, write_csv
from feedback.store import FeedbackStore

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def _since(value: str | None, days: int | None) -> dt.datetime | None:
    if value:
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    if days:
        return dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    return None


@app.command()
def report(
    since: Annotated[str | None, typer.Option(help="Only answers from this date (YYYY-MM-DD).")] = None,
    days: Annotated[int | None, typer.Option(help="Only the last N days (7 for a weekly report).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of Markdown.")] = False,
    csv_dir: Annotated[Path | None, typer.Option("--csv", help="Also write CSV tables into this folder.")] = None,
    charts_dir: Annotated[Path | None, typer.Option("--charts", help="Also write PNG and SVG charts here.")] = None,
    output: Annotated[Path | None, typer.Option(help="Write the Markdown report to this file.")] = None,
) -> None:
    """CSAT overall, by week, channel, topic and entry; lowest-rated entries; unanswered questions."""
    store = FeedbackStore.from_settings()
    store.flush_spool()
    result = build_report(store, _since(since, days))
    text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if as_json else to_markdown(result)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text)
    for path in (write_csv(result, csv_dir) if csv_dir else []) + (
        write_charts(result, charts_dir) if charts_dir else []
    ):
        typer.echo(f"wrote {path}", err=True)


@app.command()
def flush() -> None:
    """Replay ratings queued while the database was unreachable."""
    typer.echo(f"replayed {FeedbackStore.from_settings().flush_spool()} queued writes")


if __name__ == "__main__":
    app()
