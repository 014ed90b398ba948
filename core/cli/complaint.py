"""kam complaint add|reply|escalate|close|list — customer complaints (投诉)."""

from __future__ import annotations

import typer
from kam.cli.common import (
    AsOfOpt,
    FormatOpt,
    LimitOpt,
    OutputOpt,
    QuietOpt,
    emit,
    emit_created,
    open_ws,
)

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)

DateOpt = typer.Option(None, "--date", help="Default today.")


@app.command("add")
def add(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., metavar="CUSTOMER"),
    severity: str = typer.Option(..., "--severity", help="minor, normal, serious "
                                 "(轻微/一般/严重)."),
    note: str = typer.Option(..., "--note", help="What the customer complained of."),
    owner: str = typer.Option(None, "--owner", help="Default: the customer's owner."),
    contract: str = typer.Option(None, "--contract"),
    date: str = DateOpt,
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """File a complaint; a serious one is escalated by the rules at once."""
    from kam.services import complaints

    ws = open_ws(ctx, as_of)
    record = complaints.add(ws, customer_id, severity=severity, note=note, owner=owner,
                            contract=contract, date=date)
    emit_created(ctx, record, fmt, quiet, kind="complaint")


@app.command("reply")
def reply(ctx: typer.Context, complaint_id: str = typer.Argument(..., metavar="ID"),
          note: str = typer.Option(None, "--note", help="The reply to the customer."),
          date: str = DateOpt, as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Record the reply to the customer (答复)."""
    from kam.services import complaints

    ws = open_ws(ctx, as_of)
    emit(ctx, complaints.reply(ws, complaint_id, note, date), fmt, kind="complaint")


@app.command("escalate")
def escalate(ctx: typer.Context, complaint_id: str = typer.Argument(..., metavar="ID"),
             note: str = typer.Option(None, "--note"),
             to: str = typer.Option(None, "--to", help="Default: whom the rules name."),
             date: str = DateOpt, as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Escalate a complaint (once)."""
    from kam.services import complaints

    ws = open_ws(ctx, as_of)
    emit(ctx, complaints.escalate(ws, complaint_id, note, to, date), fmt, kind="complaint")


@app.command("close")
def close(ctx: typer.Context, complaint_id: str = typer.Argument(..., metavar="ID"),
          note: str = typer.Option(None, "--note"), date: str = DateOpt,
          as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Close a complaint; refused (exit 1) until it has a reply."""
    from kam.services import complaints

    ws = open_ws(ctx, as_of)
    emit(ctx, complaints.close(ws, complaint_id, note, date), fmt, kind="complaint")


@app.command("list")
def list_(
    ctx: typer.Context,
    open_only: bool = typer.Option(False, "--open", help="Only those not closed."),
    owner: str = typer.Option(None, "--owner"),
    customer: str = typer.Option(None, "--customer"),
    limit: int = LimitOpt,
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List complaints, oldest first."""
    from kam.services import complaints

    ws = open_ws(ctx)
    rows = complaints.list_(ws, open_only=open_only, owner=owner, customer=customer,
                            limit=limit)
    emit(ctx, rows, fmt, kind="complaint", output=output)
