"""kam opp add|list|show|edit|advance|check|uncheck|approve|bid|tender|score|concession|trial|lose|
abandon|team|budget|budget-adjust|budget-approve|withdrawal|case-analysis"""

from __future__ import annotations

import typer
from kam.cli import everyday, opp_money, opp_selling, opp_team
from kam.cli.common import (
    AsOfOpt,
    FormatOpt,
    LimitOpt,
    OutputOpt,
    QuietOpt,
    emit,
    emit_created,
    open_ws,
    say,
    whole,
)

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)
app.add_typer(opp_team.app, name="team")


@app.command("add")
def add(
    ctx: typer.Context,
    customer_id: str,
    title: str,
    amount: str = typer.Option(..., "--amount", help="Expected contract amount."),
    currency: str = typer.Option(None, "--currency"),
    margin: str = typer.Option(None, "--margin", help="Estimated gross margin %."),
    expense_budget: str = typer.Option(None, "--expense-budget"),
    category: str = typer.Option(None, "--category"),
    close_date: str = typer.Option(None, "--close-date", help="Expected signing date."),
    importance: str = typer.Option(None, "--importance", help="N, I, VI or NI."),
    owner: str = typer.Option(None, "--owner"),
    number: str = typer.Option(None, "--number", help="Project number."),
    pipeline: str = typer.Option(None, "--pipeline", help="Stage model (default from config)."),
    renews: str = typer.Option(None, "--renewal-of", "--renews",
                               help="续单: the contract this deal renews."),
    field: list[str] = typer.Option([], "--field"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Add an opportunity (商机) in the first stage."""
    from kam.services import opportunities

    ws = open_ws(ctx, as_of)
    record = opportunities.add(
        ws, customer_id, title, fields=field, amount=amount, currency=currency, margin=margin,
        expense_budget=expense_budget, category=category, close_date=close_date,
        importance=importance, owner=owner, number=number, pipeline=pipeline,
        renews_contract_id=renews)
    emit_created(ctx, record, fmt, quiet, kind="opportunity")


@app.command("list")
def list_(
    ctx: typer.Context,
    stage: str = typer.Option(None, "--stage"),
    status: str = typer.Option(None, "--status", help="open, won, lost, abandoned."),
    owner: str = typer.Option(None, "--owner"),
    member: str = typer.Option(None, "--member", help="Deals this user owns or is on "
                               "the team (铁三角) of."),
    customer: str = typer.Option(None, "--customer"),
    limit: int = LimitOpt,
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List opportunities."""
    everyday.opp_list(ctx, stage=stage, status=status, owner=owner, member=member,
                      customer=customer, limit=limit, fmt=fmt, output=output)


@app.command("show")
def show(ctx: typer.Context, opp_id: str, as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Fields, stage, checklist, and what the next gate still needs."""
    everyday.opp_show(ctx, opp_id, as_of, fmt)


@app.command("edit")
def edit(
    ctx: typer.Context,
    opp_id: str,
    title: str = typer.Option(None, "--title"),
    amount: str = typer.Option(None, "--amount"),
    currency: str = typer.Option(None, "--currency"),
    margin: str = typer.Option(None, "--margin"),
    expense_budget: str = typer.Option(None, "--expense-budget"),
    category: str = typer.Option(None, "--category"),
    close_date: str = typer.Option(None, "--close-date"),
    importance: str = typer.Option(None, "--importance"),
    owner: str = typer.Option(None, "--owner"),
    number: str = typer.Option(None, "--number"),
    customer_owner: str = typer.Option(None, "--customer-owner",
                                       help="The customer-side owner of the project."),
    probability: int = typer.Option(None, "--probability",
                                     click_type=whole("--probability", 0, 100)),
    forecast_category: str = typer.Option(None, "--forecast",
                                          help="pipeline, best_case, commit, closed, omitted."),
    budget_confirmed: bool = typer.Option(None, "--budget-confirmed/--no-budget-confirmed"),
    budget_amount: str = typer.Option(None, "--budget-amount"),
    authority: str = typer.Option(None, "--authority"),
    need: str = typer.Option(None, "--need"),
    timeline: str = typer.Option(None, "--timeline"),
    competition: str = typer.Option(None, "--competition"),
    decision_process: str = typer.Option(None, "--decision-process"),
    renews: str = typer.Option(None, "--renewal-of", "--renews",
                               help="续单: the contract this deal renews."),
    field: list[str] = typer.Option([], "--field"),
    fmt: str = FormatOpt,
) -> None:
    """Change an opportunity's fields (initiation report, BANT, evaluation elements)."""
    from kam.services import opportunities

    ws = open_ws(ctx)
    record = opportunities.edit(
        ws, opp_id, fields=field, title=title, amount=amount, currency=currency, margin=margin,
        expense_budget=expense_budget, category=category, close_date=close_date,
        importance=importance, owner=owner, number=number, customer_owner=customer_owner,
        probability=probability, forecast_category=forecast_category,
        budget_confirmed=budget_confirmed, budget_amount=budget_amount,
        authority_contact_id=authority, need=need, timeline=timeline,
        competition=competition, decision_process=decision_process,
        renews_contract_id=renews)
    emit(ctx, record, fmt, kind="opportunity")


@app.command("advance")
def advance(
    ctx: typer.Context,
    opp_id: str,
    to: str = typer.Option(None, "--to", help="Target stage (default: the next one)."),
    force: bool = typer.Option(False, "--force", help="Pass a gate that does not hold."),
    reason: str = typer.Option(None, "--reason", help="Why (required with --force)."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Move to the next stage; refused (exit 1) with what is missing unless the gate holds."""
    everyday.opp_advance(ctx, opp_id, to, force=force, reason=reason, as_of=as_of, fmt=fmt)


def _checklist(ctx: typer.Context, opp_id: str, tasks: list[str], done: bool,
               fmt: str) -> None:
    from kam.services import opportunities

    ws = open_ws(ctx)
    record = opportunities.set_checklist(ws, opp_id, tasks, done)
    if fmt == "json":
        emit(ctx, {"id": record["id"], "checklist": record["checklist"]}, fmt)
    else:
        ticked = ", ".join(record["checklist"]) or "-"
        say(ctx, f"{record['id']} checklist: {ticked}")


@app.command("check")
def check(ctx: typer.Context, opp_id: str, tasks: list[str], fmt: str = FormatOpt) -> None:
    """Tick checklist items (stage.task, task key or label)."""
    _checklist(ctx, opp_id, tasks, True, fmt)


@app.command("uncheck")
def uncheck(ctx: typer.Context, opp_id: str, tasks: list[str], fmt: str = FormatOpt) -> None:
    """Untick checklist items."""
    _checklist(ctx, opp_id, tasks, False, fmt)


@app.command("approve")
def approve(
    ctx: typer.Context,
    opp_id: str,
    by: str = typer.Option(None, "--by", help="The approving manager: the acting user "
                           "(KAM_USER); another name is refused."),
    comment: str = typer.Option(None, "--comment"),
    reject: bool = typer.Option(False, "--reject", help="Record a rejection instead "
                                "(it revokes an earlier approval)."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Record management approval of an I/VI deal (留痕), by the acting user.

    Not by the deal's owner; with kam.toml [roles], only by a holder of management."""
    from kam.services import opportunities

    ws = open_ws(ctx, as_of)
    record = opportunities.approve(ws, opp_id, by, comment, reject)
    emit(ctx, {"id": record["id"], "approvals": record["approvals"]}, fmt)


@app.command("bid")
def bid(
    ctx: typer.Context,
    opp_id: str,
    price: str = typer.Option(..., "--price"),
    date: str = typer.Option(None, "--date"),
    result: str = typer.Option("pending", "--result", help="pending, won or lost."),
    cost: str = typer.Option(None, "--cost", help="Our cost of this bid (gives its margin)."),
    margin: str = typer.Option(None, "--margin", help="The bid's gross margin % "
                               "(default: from --cost, else the deal's estimate)."),
    competitor: list[str] = typer.Option([], "--competitor", help="NAME=PRICE, repeatable."),
    approved_by: str = typer.Option(None, "--approved-by", help="Who approved a price "
                                    "under the margin floor."),
    reason: str = typer.Option(None, "--reason", help="Why it was lost (with --result lost)."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Record a bid (投标/议标) after its margin check; a lost bid closes the deal."""
    from kam.services import bids

    ws = open_ws(ctx, as_of)
    record = bids.bid(ws, opp_id, price, date, result, cost=cost, margin=margin,
                      competitors=competitor, approved_by=approved_by, reason=reason)
    emit(ctx, {"id": record["id"], "bids": record["bids"]}, fmt)


def _close(ctx: typer.Context, opp_id: str, status: str, reason: str, summary: str | None,
           as_of: str | None, fmt: str) -> None:
    from kam.services import opportunities

    ws = open_ws(ctx, as_of)
    emit(ctx, opportunities.close(ws, opp_id, status, reason, summary), fmt, kind="opportunity")


@app.command("lose")
def lose(
    ctx: typer.Context,
    opp_id: str,
    reason: str = typer.Option(..., "--reason"),
    summary: str = typer.Option(None, "--summary"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Close as lost (丢单), with the reason and a summary."""
    _close(ctx, opp_id, "lost", reason, summary, as_of, fmt)


@app.command("abandon")
def abandon(
    ctx: typer.Context,
    opp_id: str,
    reason: str = typer.Option(..., "--reason"),
    summary: str = typer.Option(None, "--summary"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Close the project (结项): cost too high, withdrawal criteria met."""
    _close(ctx, opp_id, "abandoned", reason, summary, as_of, fmt)


# scoring, negotiation, trials and tenders; the presales money: flat `kam opp` commands
# declared in their own modules
app.registered_commands += (opp_selling.app.registered_commands
                            + opp_money.app.registered_commands)
