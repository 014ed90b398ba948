"""kam plan visit|list — visit plans per owner (拜访计划: month, week or day)."""

from __future__ import annotations

import typer
from kam.cli.common import FormatOpt, OutputOpt, QuietOpt, emit, emit_created, open_ws, whole

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)


@app.command("visit")
def visit(
    ctx: typer.Context,
    owner: str,
    period: str = typer.Argument(..., help="A month (2026-03), ISO week (2026-W10) or day "
                                 "(2026-03-02)."),
    customer: str = typer.Option(..., "--customer"),
    count: int = typer.Option(1, "--count", click_type=whole("--count", 0, 1000),
                              help="Visits planned (default 1)."),
    note: str = typer.Option(None, "--note"),
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Plan visits to a customer in a period; planning it again replaces the count."""
    from kam.services import visit_plans

    record = visit_plans.plan(open_ws(ctx), owner, period, customer, count, note)
    emit_created(ctx, record, fmt, quiet, kind="visit_plan")


@app.command("list")
def list_(
    ctx: typer.Context,
    owner: str = typer.Option(None, "--owner"),
    period: str = typer.Option(None, "--period"),
    customer: str = typer.Option(None, "--customer"),
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List visit plans."""
    from kam.services import visit_plans

    emit(ctx, visit_plans.list_(open_ws(ctx), owner, period, customer), fmt,
         kind="visit_plan", output=output)
