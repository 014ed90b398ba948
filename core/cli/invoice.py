"""kam invoice issue|request|approve|list"""

from __future__ import annotations

import typer
from kam.cli.common import AsOfOpt, FormatOpt, OutputOpt, QuietOpt, emit, emit_created, open_ws

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="Invoices (开票).")



@app.command("issue")
def issue(
    ctx: typer.Context,
    contract_id: str = typer.Argument(..., metavar="CONTRACT"),
    amount: str = typer.Option(..., "--amount"),
    number: str = typer.Option(..., "--number", help="The invoice number."),
    milestone: str = typer.Option(None, "--milestone", help="The milestone (RC id) invoiced."),
    date: str = typer.Option(None, "--date"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Record an invoice issued for a contract or one of its milestones."""
    from kam.services import invoices

    ws = open_ws(ctx, as_of)
    record = invoices.issue(ws, contract_id, amount, number, milestone=milestone, date=date)
    emit_created(ctx, record, fmt, quiet, kind="invoice")


@app.command("request")
def request(
    ctx: typer.Context,
    contract_id: str = typer.Argument(..., metavar="CONTRACT"),
    amount: str = typer.Option(..., "--amount"),
    milestone: str = typer.Option(None, "--milestone", help="The milestone (RC id) invoiced."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Request an invoice (开票申请单); finance issues it with kam invoice approve."""
    from kam.services import invoices

    ws = open_ws(ctx, as_of)
    emit_created(ctx, invoices.request(ws, contract_id, amount, milestone=milestone), fmt,
                 quiet, kind="invoice")


@app.command("approve")
def approve(
    ctx: typer.Context,
    invoice_id: str = typer.Argument(..., metavar="INVOICE"),
    number: str = typer.Option(None, "--number", help="The invoice number issued."),
    date: str = typer.Option(None, "--date", help="Invoice date (default today)."),
    by: str = typer.Option(None, "--by", help="Finance: the acting user (KAM_USER)."),
    comment: str = typer.Option(None, "--comment"),
    reject: bool = typer.Option(False, "--reject", help="Reject the request instead."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Approve a requested invoice and issue it with its number (or --reject it)."""
    from kam.services import invoices

    ws = open_ws(ctx, as_of)
    record = invoices.approve(ws, invoice_id, number, date=date, by=by, comment=comment,
                              reject=reject)
    emit(ctx, record, fmt, kind="invoice")


@app.command("list")
def list_(ctx: typer.Context, contract: str = typer.Option(None, "--contract"),
          fmt: str = FormatOpt, output: str = OutputOpt) -> None:
    """Invoices."""
    from kam.services.invoices import list_ as load

    ws = open_ws(ctx)
    emit(ctx, load(ws, contract), fmt, kind="invoice", output=output)
