"""kam target set|list — sales targets per owner and period (目标分解)."""

from __future__ import annotations

import typer
from kam.cli.common import FormatOpt, OutputOpt, QuietOpt, emit, emit_created, open_ws

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)



@app.command("set", context_settings={"ignore_unknown_options": True})
def set_(
    ctx: typer.Context,
    owner: str,
    period: str = typer.Argument(..., help="2026, 2026-Q1 or 2026-03."),
    amount: str = typer.Argument(...),
    currency: str = typer.Option(None, "--currency", help="Default: the workspace currency."),
    note: str = typer.Option(None, "--note"),
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Set an owner's target for a period; the same owner, period and currency again
    replaces it. A month inside the owner's quarter (or year) target is a part of it:
    refused (exit 1) if the parts would add up to more than the target."""
    from kam.services import targets

    ws = open_ws(ctx)
    record = targets.set_target(ws, owner, period, amount, currency, note)
    emit_created(ctx, record, fmt, quiet, kind="target")


@app.command("list")
def list_(
    ctx: typer.Context,
    owner: str = typer.Option(None, "--owner"),
    period: str = typer.Option(None, "--period"),
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List targets."""
    from kam.services import targets

    ws = open_ws(ctx)
    emit(ctx, targets.list_targets(ws, owner, period), fmt, kind="target", output=output)
