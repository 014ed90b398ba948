"""kam load KIND FILE — a team's records from Excel, CSV or another CRM's export."""

from __future__ import annotations

import typer
from kam.cli.common import FormatOpt, emit, open_ws, output_lang, say

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)


@app.command("load")
def load(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="customers, contacts, leads, opportunities, "
                               "activities, targets, contracts (signed before kam, "
                               "with what was collected) or payments."),
    file: str = typer.Argument(..., help=".csv (UTF-8 or GBK), .xlsx or .jsonl"),
    sheet: str = typer.Option(None, "--sheet", help="An .xlsx sheet by name or number."),
    encoding: str = typer.Option(None, "--encoding", help="The CSV's encoding (default: "
                                 "UTF-8, else GB18030/GBK)."),
    maps: list[str] = typer.Option([], "--map", help="HEADER=field (or HEADER=- to "
                                   "ignore the column); repeatable."),
    map_values: list[str] = typer.Option([], "--map-value", help="FIELD:WORD=VALUE, e.g. "
                                         "'stage:Closed Lost=@lost'; repeatable."),
    key: str = typer.Option(None, "--key", help="A column that identifies a record: "
                            "loading the file again updates, never duplicates."),
    preset: str = typer.Option(None, "--preset", help="salesforce, odoo or kam."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be created, "
                                 "updated and refused, row by row; keep nothing."),
    fmt: str = FormatOpt,
) -> None:
    """Load records into this workspace, all or nothing: every row through the same
    validation, rules and events as the command that adds it."""
    import sys
    from pathlib import Path

    from kam.services import load as loading

    ws = open_ws(ctx)
    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rloading {done}/{total}" + ("\n" if done == total else ""))

    result = loading.load(ws, kind, Path(file), sheet=sheet, encoding=encoding, maps=maps,
                          map_values=map_values, key=key, preset=preset, dry_run=dry_run,
                          progress=progress if sys.stderr.isatty() else None)
    if fmt == "json":
        emit(ctx, result.as_dict(), fmt)
    else:
        emit(ctx, result.as_dict()["rows"], fmt, ["row", "action", "id", "reason"],
             {"action": "load_action"})
        _summary(ctx, result.as_dict()["counts"],
                 [c["column"] for c in result.columns if c["field"] is None], dry_run)
    error = loading.refused(result)
    if error is not None:
        raise error


def _summary(ctx: typer.Context, counts: dict[str, int], ignored: list[str],
             dry_run: bool) -> None:
    """The summary line on stderr (``3 create, 1 skip``; 新建 3 行 in Chinese)."""
    from kam.vocab import label

    lang = output_lang(ctx)
    summary = ", ".join(f"{n} {label('load_action', a, lang)}" for a, n in counts.items() if n)
    columns = ", ".join(ignored)
    if dry_run:
        say(ctx, f"dry run, nothing kept: {summary}; columns ignored: {columns}" if ignored
            else f"dry run, nothing kept: {summary}", err=True)
    elif ignored:
        say(ctx, f"{summary}; columns ignored: {columns}", err=True)
    else:
        typer.echo(summary, err=True)  # labels only: nothing to translate
