"""kam pay record|confirm|list"""

from __future__ import annotations

import typer
from kam.cli import everyday
from kam.cli.common import AsOfOpt, FormatOpt, OutputOpt, QuietOpt, emit, open_ws, say

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                  help="Payments received (回款), allocated to milestones.")



@app.command("record", context_settings={"ignore_unknown_options": True})
def record(
    ctx: typer.Context,
    contract_id: str = typer.Argument(..., metavar="CONTRACT"),
    amount: str = typer.Argument(..., metavar="AMOUNT"),
    date: str = typer.Option(None, "--date", help="Date received (default today)."),
    milestone: str = typer.Option(None, "--milestone", help="Pay this milestone (RC id); "
                                  "default: the oldest due first."),
    ref: str = typer.Option(None, "--ref", help="Bank reference."),
    note: str = typer.Option(None, "--note"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Record a payment; over-payment is refused (exit 1)."""
    everyday.pay_record(ctx, contract_id, amount, date=date, milestone=milestone, ref=ref,
                        note=note, as_of=as_of, fmt=fmt, quiet=quiet)


@app.command("confirm")
def confirm(
    ctx: typer.Context,
    payment_id: str = typer.Argument(..., metavar="PAYMENT"),
    by: str = typer.Option(None, "--by", help="Finance: the acting user (KAM_USER)."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Finance confirms a requested payment (财务确认); it counts from now on."""
    from kam.services import payments

    ws = open_ws(ctx, as_of)
    p = payments.confirm(ws, payment_id, by)
    if fmt == "table":
        say(ctx, f"{p['id']}: {p['amount']} {p['currency']} confirmed by "
            f"{p['confirmed_by']} for {p['contract_id']}")
        everyday.payment_milestones(ctx, p)
    else:
        emit(ctx, p, fmt)


@app.command("list")
def list_(ctx: typer.Context, contract: str = typer.Option(None, "--contract"),
          status: str = typer.Option(None, "--status", help="requested or confirmed."),
          fmt: str = FormatOpt, output: str = OutputOpt) -> None:
    """Payments, oldest first."""
    from kam.services import payments

    ws = open_ws(ctx)
    emit(ctx, payments.list_(ws, contract, status), fmt, kind="payment", output=output)
