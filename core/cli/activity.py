"""kam activity log|list"""

from __future__ import annotations

import typer
from kam.cli import everyday
from kam.cli.common import (
    AsOfOpt,
    FormatOpt,
    LimitOpt,
    OutputOpt,
    QuietOpt,
    emit,
    open_ws,
    table_fields,
)

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)



@app.command("log")
def log(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="RECORD",
                                    help="An opportunity, lead or customer id."),
    type_: str = typer.Option(..., "--type", help="visit, call, meeting, demo, proposal, bid, "
                              "negotiation, service, other."),
    date: str = typer.Option(None, "--date"),
    contact: list[str] = typer.Option([], "--contact", help="Contact met (repeatable)."),
    outcome: str = typer.Option(None, "--outcome",
                                help="order, advance, continuance, no_sale."),
    note: str = typer.Option(None, "--note"),
    next_step: str = typer.Option(None, "--next"),
    next_due: str = typer.Option(None, "--next-due"),
    owner: str = typer.Option(None, "--owner"),
    signal: list[str] = typer.Option([], "--signal", help="Buying signal seen (repeatable): "
                                     "bargaining, asks_timing, asks_results, asks_payment, "
                                     "asks_service, involves_others."),
    closing: str = typer.Option(None, "--closing", help="Closing method tried: direct, "
                                "assumptive, alternative, concession, urgency, summary, "
                                "trial."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Log a visit or call and what it won."""
    everyday.activity_log(ctx, record_id, type_=type_, date=date, contact=contact,
                          outcome=outcome, note=note, next_step=next_step, next_due=next_due,
                          owner=owner, signal=signal, closing=closing, as_of=as_of, fmt=fmt,
                          quiet=quiet)


@app.command("list")
def list_(
    ctx: typer.Context,
    opp: str = typer.Option(None, "--opp"),
    customer: str = typer.Option(None, "--customer"),
    owner: str = typer.Option(None, "--owner"),
    member: str = typer.Option(None, "--member", help="A user: activities on the deals "
                               "they own or whose team (铁三角) they are on."),
    since: str = typer.Option(None, "--since"),
    limit: int = LimitOpt,
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List activities, oldest first."""
    from kam.services import activities

    ws = open_ws(ctx)
    rows = activities.list_(ws, opp=opp, owner=owner, since=since, customer=customer,
                            limit=limit, fields=table_fields(fmt, output, "activity"),
                            member=member)
    emit(ctx, rows, fmt, kind="activity", output=output)
