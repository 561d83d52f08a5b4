"""Command line: ``python -m knowledge build | stats | search | model | publish | import-procedures |
import-catalogue | nlu-data | legal-registry``."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from knowledge.embedding.materialize import ensure_model
from knowledge.entries import ContentError
from knowledge.index import current_version, publish, read_manifest
from knowledge.live_content import build_live, load_live_entries
from knowledge.settings import KnowledgeSettings

app = typer.Typer(
    add_completion=False, pretty_exceptions_show_locals=False, no_args_is_help=True, help="Knowledge base tools."
)


def _settings() -> KnowledgeSettings:
    return KnowledgeSettings.from_env()


@app.command()
def model() -> None:
    """Materialize the offline embedding model folder if it is missing or stale."""
    target = Path(_settings().embedding_model)
    ensure_model(target)
    typer.echo(str(target))


@app.command()
def build(force: Annotated[bool, typer.Option(help="Rebuild even if nothing changed.")] = False) -> None:
    """Validate the content and publish a new index version if it changed."""
    settings = _settings()
    try:
        report = build_live(settings, force=force)
    except ContentError as exc:
        typer.echo(f"Knowledge content is invalid:\n{exc}", err=True)
        raise typer.Exit(2) from exc
    state = "published" if report.changed else "up to date"
    typer.echo(
        f"index {report.version} {state}: {report.entries} entries, {report.passages} passages "
        f"({report.embedded} embedded, {report.reused} reused)"
    )


@app.command()
def stats() -> None:
    """Print what the content and the published index hold, as JSON."""
    settings = _settings()
    entries = load_live_entries(settings)
    by_type: dict[str, int] = {}
    for entry in entries:
        by_type[entry.type.value] = by_type.get(entry.type.value, 0) + 1
    version = current_version(settings.index_dir)
    manifest = read_manifest(settings.index_dir / version) if version else {}
    typer.echo(json.dumps({"entries": len(entries), "by_type": by_type, "index": manifest}, ensure_ascii=False))


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="The question; omit to read one per line from stdin.")] = None,
    k: Annotated[int, typer.Option(help="How many results.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    mode: Annotated[str, typer.Option(help="hybrid, dense or lexical.")] = "hybrid",
) -> None:
    """Search the published index (JSON Lines when reading stdin)."""
    from knowledge.embedder import Embedder
    from knowledge.search import open_published

    settings = _settings()
    try:
        index = open_published(settings.index_dir, Embedder(settings.embedding_model))
    except FileNotFoundError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    queries = [query] if query is not None else (line.rstrip("\n") for line in sys.stdin)
    for text in queries:
        results = index.search(text, k=k, mode=mode)
        if as_json or query is None:
            typer.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False))
            continue
        for number, result in enumerate(results, 1):
            typer.echo(f"{number}. [{result.confidence:.2f}] {' > '.join(result.heading_path)} ({result.citation})")


@app.command("import-procedures")
def import_procedures(
    national: Annotated[
        Path | None, typer.Option(help="The full national records file, to refresh the selected records first.")
    ] = None,
) -> None:
    """Regenerate knowledge/content/procedures/ from the selected portal records."""
    import datetime as dt

    from knowledge.ingest.procedures import (
        CITED_RECORDS,
        cited_codes,
        copy_records,
        generate,
        load_selection,
        refresh_records,
    )

    if national is not None:
        typer.echo(f"refreshed {refresh_records(national, load_selection())} records from {national}")
        typer.echo(f"refreshed {copy_records(national, cited_codes(), CITED_RECORDS)} cited records")
    count = generate(_settings().content_dir, dt.date.today())
    typer.echo(f"wrote {count} procedure entries")


@app.command("import-catalogue")
def import_catalogue(
    records: Annotated[Path | None, typer.Option(help="The records (JSON Lines, may be gzipped).")] = None,
    target: Annotated[Path | None, typer.Option(help="Where to write the entries.")] = None,
    report: Annotated[bool, typer.Option(help="Write bench/results/catalogue_import.{json,md}.")] = True,
) -> None:
    """Import every portal record into a generated folder (not the live content), with a summary."""
    from knowledge.ingest.catalogue import (
        CATALOGUE_RECORDS,
        DEFAULT_TARGET,
        import_catalogue,
        names_on_curated,
        read_records,
        summary_lines,
        write_report,
    )
    from knowledge.ingest.names import load_alias_rules
    from knowledge.ingest.procedures import load_selection
    from knowledge.lexicon import load_synonyms

    records = records or CATALOGUE_RECORDS
    result = import_catalogue(records, target or DEFAULT_TARGET, content_dir=_settings().content_dir)
    result.names = names_on_curated(
        read_records(records), load_selection(), load_alias_rules(), load_synonyms(_settings().content_dir)
    )
    for line in summary_lines(result):
        typer.echo(line)
    for label, value in result.names["figures"].items():
        typer.echo(f"{label}: {value['found']}/{value['total']}")
    if report:
        write_report(result)
        typer.echo("wrote bench/results/catalogue_import.json and .md")


@app.command("nlu-data")
def nlu_data(
    output: Annotated[Path, typer.Option(help="Where to write the lookup table and synonyms.")] = Path(
        "bot/data/procedures.yml"
    ),
) -> None:
    """Regenerate the procedure lookup table and entity synonyms for the NLU."""
    from knowledge.nlu_data import catalog_from_content, render

    output.write_text(render(catalog_from_content(_settings().content_dir)), encoding="utf-8")
    typer.echo(f"wrote {output}")


@app.command("legal-registry")
def legal_registry(
    check: Annotated[bool, typer.Option(help="Also check the citations of the content and the catalogue.")] = True,
) -> None:
    """Rebuild knowledge/legal/registry.yml from the kept sources; print its counts and what the
    citation check finds in the content and the imported catalogue (the build refuses the errors)."""
    from knowledge.entries import load_entries
    from knowledge.legal.build_registry import REGISTRY_PATH, build, counts, write
    from knowledge.legal.citations import check_entries

    registry = build()
    write(registry)
    typer.echo(f"wrote {REGISTRY_PATH}")
    for label, value in counts(registry).items():
        typer.echo(f"{label}: {value}")
    if not check:
        return
    settings = _settings()
    for name, folder in (("content", settings.content_dir), ("catalogue", settings.catalogue_dir)):
        if folder is None or not folder.is_dir():
            continue
        warnings, errors = check_entries(load_entries(folder), registry)
        numbers = len({finding.number for finding in warnings})
        missing = f"{len(warnings)} citations of {numbers} documents not in the registry"
        typer.echo(f"{name}: {missing}, {len(errors)} errors")
        for finding in errors:
            typer.echo(f"  error: {finding}")


@app.command("publish")
def publish_version(version: str) -> None:
    """Point the live index at an existing version (rollback)."""
    publish(_settings().index_dir, version)
    typer.echo(f"now publishing {version}")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
