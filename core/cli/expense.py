"""kam expense add|list — presales expenses against a deal's budget (售前费用)."""

from __future__ import annotations

import typer
from kam.cli.common import AsOfOpt, FormatOpt, OutputOpt, QuietOpt, emit, emit_created, open_ws

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)


@app.command("add", context_settings={"ignore_unknown_options": True})
def add(
    ctx: typer.Context,
    opp_id: str = typer.Argument(..., metavar="OPP"),
    amount: str = typer.Argument(..., metavar="AMOUNT"),
    type: str = typer.Option(..., "--type", help="travel, entertainment, "
                             "presales_engineering, bid_fees, samples, gifts, other."),
    date: str = typer.Option(None, "--date", help="When it was spent (default today)."),
    receipt: str = typer.Option(None, "--receipt", help="Receipt file, kept by SHA-256."),
    by: str = typer.Option(None, "--by", help="Who spent it (default the acting user)."),
    milestone: str = typer.Option(None, "--milestone", help="Budget milestone (a stage; "
                                  "default the deal's current stage)."),
    note: str = typer.Option(None, "--note"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Record a presales expense; over the deal's budget is refused (exit 1)."""
    from kam.services import presales

    ws = open_ws(ctx, as_of)
    record = presales.add_expense(ws, opp_id, amount, type=type, date=date, receipt=receipt,
                                  by=by, milestone=milestone, note=note)
    emit_created(ctx, record, fmt, quiet, kind="expense")


@app.command("list")
def list_(
    ctx: typer.Context,
    opp: str = typer.Option(None, "--opp", help="One deal's expenses."),
    owner: str = typer.Option(None, "--owner", help="Who spent them."),
    type: str = typer.Option(None, "--type"),
    since: str = typer.Option(None, "--since", help="From this date."),
    until: str = typer.Option(None, "--until", help="Up to this date."),
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """Presales expenses, oldest first."""
    from kam.services import presales

    ws = open_ws(ctx)
    rows = presales.list_expenses(ws, opp=opp, owner=owner, type=type, since=since,
                                  until=until)
    emit(ctx, rows, fmt, kind="expense", output=output)
