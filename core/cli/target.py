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
    customer: str = typer.Option(None, "--customer", help="A customer's share (CU id)."),
    product: str = typer.Option(None, "--product",
                                help="A product line's share (deals of that --category)."),
    team: str = typer.Option(None, "--team", help="The team whose target this is part of."),
    responsible: str = typer.Option(None, "--responsible", help="责任人 (default: OWNER)."),
    floor: str = typer.Option(None, "--floor", help="保底目标: at most AMOUNT."),
    stretch: str = typer.Option(None, "--stretch", help="挑战目标: at least AMOUNT."),
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Set a target for an owner (or team) and period, optionally a customer's or a
    product line's share; the same owner, period, currency, customer and product again
    replaces it. Parts (a month in its quarter, customers and product lines in their
    owner's target, members in their team's) that would add up to more than what they
    split are refused (exit 1). A target far above last year's won (鞭打快牛) warns."""
    from kam.services import targets

    ws = open_ws(ctx)
    record = targets.set_target(ws, owner, period, amount, currency, note,
                                customer=customer, product=product, team=team,
                                responsible=responsible, floor=floor, stretch=stretch)
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
