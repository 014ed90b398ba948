"""kam opp budget|budget-adjust|budget-approve|withdrawal|case-analysis: the money of a
deal before it is won (售前费用预算, 任务书调整表, 撤出标准, 案例分析报告)."""

from __future__ import annotations

import typer
from kam.cli import everyday
from kam.cli.common import (
    AsOfOpt,
    FormatOpt,
    emit,
    open_ws,
    option_pairs,
)

app = typer.Typer(rich_markup_mode=None)

@app.command("budget", context_settings={"allow_extra_args": True,
                                             "ignore_unknown_options": True})
def budget(
    ctx: typer.Context,
    opp_id: str = typer.Argument(..., metavar="OPP"),
    amount: str = typer.Argument(..., metavar="AMOUNT"),
    milestone: list[str] = typer.Option([], "--milestone", metavar="KEY AMOUNT",
                                        help="A stage and its part of the budget "
                                        "(also KEY=AMOUNT); repeatable, adding up to AMOUNT."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Set the deal's presales budget (项目任务书费用预算), split by milestone."""
    from kam.services import presales

    ws = open_ws(ctx, as_of)
    presales.set_budget(ws, opp_id, amount, option_pairs("--milestone", milestone, ctx.args))
    _budget_out(ctx, presales.budget(ws, opp_id), fmt)


def _budget_out(ctx: typer.Context, view: dict, fmt: str) -> None:
    if fmt == "table":
        everyday.echo_budget(ctx, view)
    else:
        emit(ctx, view, fmt)


@app.command("budget-adjust")
def budget_adjust(
    ctx: typer.Context,
    opp_id: str = typer.Argument(..., metavar="OPP"),
    amount: str = typer.Argument(..., metavar="AMOUNT", help="How much to add."),
    reason: str = typer.Option(..., "--reason"),
    milestone: str = typer.Option(None, "--milestone", help="The stage whose budget it "
                                  "raises (default the deal's current stage)."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Ask to raise the presales budget (任务书调整表) of a milestone and the total; it
    counts once approved by the roles of kam.toml approvals.budget_adjust (default
    sales_director)."""
    from kam.services import presales

    ws = open_ws(ctx, as_of)
    presales.request_adjustment(ws, opp_id, amount, reason, milestone)
    _budget_out(ctx, presales.budget(ws, opp_id), fmt)


@app.command("budget-approve")
def budget_approve(
    ctx: typer.Context,
    opp_id: str = typer.Argument(..., metavar="OPP"),
    by: str = typer.Option(None, "--by", help="The approver: the acting user (KAM_USER)."),
    role: str = typer.Option(None, "--role", help="The required role approving."),
    comment: str = typer.Option(None, "--comment"),
    reject: bool = typer.Option(False, "--reject", help="Reject the adjustment instead."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Approve (or reject) the deal's pending budget adjustment; not by its owner."""
    from kam.services import presales

    ws = open_ws(ctx, as_of)
    presales.decide_adjustment(ws, opp_id, by, role, comment, reject)
    _budget_out(ctx, presales.budget(ws, opp_id), fmt)


@app.command("withdrawal")
def withdrawal(
    ctx: typer.Context,
    opp_id: str = typer.Argument(..., metavar="OPP"),
    criterion: list[str] = typer.Option([], "--criterion", help="A withdrawal criterion "
                                        "(撤出标准); repeatable; replaces the list."),
    met: int = typer.Option(None, "--met", help="Criterion N is met: every stage exit "
                            "is blocked until the deal is abandoned or N cleared."),
    clear: int = typer.Option(None, "--clear", help="Criterion N is no longer met."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Set the deal's withdrawal criteria, checked at every stage exit."""
    from kam.services import presales

    ws = open_ws(ctx, as_of)
    record = presales.withdrawal(ws, opp_id, criterion, met=met, clear=clear)
    emit(ctx, record["withdrawal_criteria"], fmt, ["criterion", "met_on", "by"])


@app.command("case-analysis")
def case_analysis(
    ctx: typer.Context,
    opp_id: str = typer.Argument(..., metavar="OPP"),
    summary: str = typer.Option(..., "--summary", help="What happened and why."),
    lessons: str = typer.Option(None, "--lessons", help="What to do again or differently."),
    file: str = typer.Option(None, "--file", help="The report file, kept by path, size "
                             "and SHA-256."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Write the case-analysis report (案例分析报告) of a won or lost deal."""
    from kam.services import case_analysis as service

    ws = open_ws(ctx, as_of)
    record = service.record(ws, opp_id, summary, lessons, file)
    emit(ctx, {"id": record["id"], **record["case_analysis"]}, fmt)
