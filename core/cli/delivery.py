"""kam delivery request|approve|ship|confirm|list — 发货: 需货申请单 → 审核 → 出库 → 客户确认单."""

from __future__ import annotations

import typer
from kam.cli.common import AsOfOpt, FormatOpt, OutputOpt, QuietOpt, emit, emit_created, open_ws, say

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)

IdArg = typer.Argument(..., metavar="DELIVERY")


@app.command("request")
def request(
    ctx: typer.Context,
    contract_id: str = typer.Argument(..., metavar="CONTRACT"),
    line: list[str] = typer.Option([], "--line", help="ITEM=QTY, or ITEM for all of it still "
                                   "outstanding; repeatable. None: everything outstanding."),
    note: str = typer.Option(None, "--note"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Request a delivery (需货申请单) of the contract's subject lines."""
    from kam.services import deliveries

    ws = open_ws(ctx, as_of)
    emit_created(ctx, deliveries.request(ws, contract_id, line, note), fmt, quiet,
                 kind="delivery")


@app.command("approve")
def approve(
    ctx: typer.Context,
    delivery_id: str = IdArg,
    by: str = typer.Option(None, "--by", help="The reviewer: the acting user (KAM_USER)."),
    comment: str = typer.Option(None, "--comment"),
    reject: bool = typer.Option(False, "--reject", help="Reject the request instead."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Review a request (审核), never by who requested it."""
    from kam.services import deliveries

    ws = open_ws(ctx, as_of)
    emit(ctx, deliveries.approve(ws, delivery_id, by, comment, reject), fmt, kind="delivery")


@app.command("ship")
def ship(
    ctx: typer.Context,
    delivery_id: str = IdArg,
    date: str = typer.Option(None, "--date", help="Outbound date (default today)."),
    force: bool = typer.Option(False, "--force", help="Ship although the advance is overdue."),
    reason: str = typer.Option(None, "--reason"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """The outbound (出库) of an approved request; waits while the advance is overdue."""
    from kam.services import deliveries

    ws = open_ws(ctx, as_of)
    emit(ctx, deliveries.ship(ws, delivery_id, date, force=force, reason=reason), fmt,
         kind="delivery")


@app.command("confirm")
def confirm(
    ctx: typer.Context,
    delivery_id: str = IdArg,
    date: str = typer.Option(None, "--date", help="The customer's confirmation date: the "
                             "delivery date (default today)."),
    attachment: str = typer.Option(None, "--attachment", help="The signed confirmation "
                                   "(客户确认单), kept by SHA-256."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """The customer's confirmation (客户确认单); the last one delivers the contract."""
    from kam.services import deliveries

    ws = open_ws(ctx, as_of)
    d = deliveries.confirm(ws, delivery_id, date, attachment)
    if fmt != "table":
        emit(ctx, d, fmt)
        return
    emit(ctx, {k: v for k, v in d.items() if k not in ("due", "contract_delivered")}, fmt,
         kind="delivery")
    if d["contract_delivered"]:
        due = ", ".join(f"{r['id']} {r['due_date']}" for r in d["due"])
        say(ctx, f"\ncontract {d['contract_id']} delivered on {d['confirmed_on']}; "
            f"milestones now due: {due}" if due
            else f"\ncontract {d['contract_id']} delivered on {d['confirmed_on']}")


@app.command("list")
def list_(
    ctx: typer.Context,
    contract: str = typer.Option(None, "--contract"),
    status: str = typer.Option(None, "--status", help="requested, approved, rejected, "
                               "shipped, confirmed."),
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """Deliveries, oldest first."""
    from kam.services import deliveries

    ws = open_ws(ctx)
    emit(ctx, deliveries.list_(ws, contract, status), fmt, kind="delivery", output=output)
