"""kam service log|list|survey — after-sales service (客户服务) and satisfaction surveys."""

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

_LEVELS = "very_satisfied, satisfied, average, poor (非常满意/满意/一般/较差)."


@app.command("log")
def log(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., metavar="CUSTOMER"),
    type_: str = typer.Option(..., "--type", help="paid, contract, free, internal "
                              "(有偿/合同/免费/内务, or A-D)."),
    contract: str = typer.Option(None, "--contract", help="The contract served under."),
    engineer: str = typer.Option(None, "--engineer", help="Default: you."),
    date: str = typer.Option(None, "--date", help="The day of the service (default today)."),
    hours: str = typer.Option(None, "--hours", help="Duration in hours, e.g. 2.5."),
    cost: str = typer.Option(None, "--cost", help="Cost of the service (money)."),
    currency: str = typer.Option(None, "--currency",
                                 help="Default: the contract's, else the customer's."),
    voucher: str = typer.Option(None, "--voucher", help="Service voucher number."),
    remote: bool = typer.Option(False, "--remote", help="A remote-service request."),
    note: str = typer.Option(None, "--note"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Register a service call on a customer (服务记录)."""
    from kam.services import service

    ws = open_ws(ctx, as_of)
    record = service.log(ws, customer_id, type=type_, contract=contract, engineer=engineer,
                         date=date, hours=hours, cost=cost, currency=currency,
                         voucher=voucher, remote=remote, note=note)
    emit_created(ctx, record, fmt, quiet, kind="service")


@app.command("list")
def list_(
    ctx: typer.Context,
    customer: str = typer.Option(None, "--customer"),
    engineer: str = typer.Option(None, "--engineer"),
    type_: str = typer.Option(None, "--type"),
    contract: str = typer.Option(None, "--contract"),
    limit: int = LimitOpt,
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List the service register, oldest first."""
    from kam.services import service

    ws = open_ws(ctx)
    rows = service.list_(ws, customer=customer, engineer=engineer, type=type_,
                         contract=contract, limit=limit)
    emit(ctx, rows, fmt, kind="service", output=output)


@app.command("survey")
def survey(
    ctx: typer.Context,
    service_id: str = typer.Argument(..., metavar="SERVICE_ID"),
    attitude: str = typer.Option(..., "--attitude", help="态度: " + _LEVELS),
    skill: str = typer.Option(..., "--skill", help="技术: " + _LEVELS),
    arrival: str = typer.Option(..., "--arrival", help="到达时间: " + _LEVELS),
    promises: str = typer.Option(..., "--promises", help="答应事项: " + _LEVELS),
    date: str = typer.Option(None, "--date", help="Default today."),
    respondent: str = typer.Option(None, "--respondent", help="Who answered."),
    note: str = typer.Option(None, "--note"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Record the satisfaction survey of one service (满意度调查); one per service."""
    from kam.services import service

    ws = open_ws(ctx, as_of)
    record = service.survey(ws, service_id, attitude=attitude, skill=skill, arrival=arrival,
                            promises=promises, date=date, respondent=respondent, note=note)
    emit_created(ctx, record, fmt, quiet, kind="survey")


@app.command("surveys")
def surveys(
    ctx: typer.Context,
    customer: str = typer.Option(None, "--customer"),
    limit: int = LimitOpt,
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List satisfaction surveys, oldest first."""
    from kam.services import service

    ws = open_ws(ctx)
    emit(ctx, service.surveys(ws, customer=customer, limit=limit), fmt, kind="survey",
         output=output)
