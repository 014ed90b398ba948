"""kam receivable list|note|write-off"""

from __future__ import annotations

import typer
from kam.cli.common import AsOfOpt, FormatOpt, OutputOpt, emit, open_ws, table_fields

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                  help="Receivables: payment milestones (回款节点).")



@app.command("list")
def list_(
    ctx: typer.Context,
    overdue: bool = typer.Option(False, "--overdue", help="Only those past their due date."),
    customer: str = typer.Option(None, "--customer"),
    owner: str = typer.Option(None, "--owner", help="The contract owner."),
    member: str = typer.Option(None, "--member", help="A user: the contracts they own or "
                               "whose deal's team (铁三角) they are on."),
    contract: str = typer.Option(None, "--contract"),
    state: str = typer.Option(None, "--state"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """Milestones with their state and days overdue as of today (or --as-of)."""
    from kam.services import receivables

    ws = open_ws(ctx, as_of)
    rows = receivables.list_(ws, overdue=overdue, customer=customer, owner=owner,
                             contract=contract, state=state, member=member,
                             fields=table_fields(fmt, output, "receivable"))
    emit(ctx, rows, fmt, kind="receivable", output=output)


@app.command("note")
def note(
    ctx: typer.Context,
    receivable_id: str = typer.Argument(..., metavar="RC"),
    reason: str = typer.Option(..., "--reason", help="Why it is late: eager_signing, "
                               "dissatisfied, changed_mind, cash_trouble, ... (or the zh "
                               "label, e.g. 短期资金困难)."),
    promised: str = typer.Option(None, "--promised", help="The day the customer "
                                 "promised to pay."),
    text: str = typer.Option(None, "--note"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Record why a payment milestone is late and what the customer promised (催收说明)."""
    from kam.services import receivables

    ws = open_ws(ctx, as_of)
    emit(ctx, receivables.note(ws, receivable_id, reason, promised, text), fmt,
         kind="receivable")


@app.command("write-off")
def write_off(
    ctx: typer.Context,
    receivable_id: str = typer.Argument(..., metavar="ID"),
    by: str = typer.Option(..., "--by", help="Who approves the write-off."),
    reason: str = typer.Option(..., "--reason"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Write off what is outstanding as bad debt (坏账核销), approved and recorded."""
    from kam.services import receivables

    ws = open_ws(ctx, as_of)
    emit(ctx, receivables.write_off(ws, receivable_id, by, reason), fmt, kind="receivable")
