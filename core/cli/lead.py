"""kam lead add|qualify|edit|list|show|drop"""

from __future__ import annotations

import typer
from kam.cli.common import (
    FormatOpt,
    LimitOpt,
    OutputOpt,
    QuietOpt,
    emit,
    emit_created,
    open_ws,
    print_findings,
    say,
    table_fields,
)

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)



def _bant(budget_confirmed: bool | None, budget_amount: str | None, authority: str | None,
          need: str | None, timeline: str | None) -> dict:
    return {"budget_confirmed": budget_confirmed, "budget_amount": budget_amount,
            "authority_contact_id": authority, "need": need, "timeline": timeline}


BudgetOpt = typer.Option(None, "--budget-confirmed/--no-budget-confirmed",
                         help="B: is the budget confirmed?")
AmountOpt = typer.Option(None, "--budget-amount", help="B: the budget amount.")
AuthorityOpt = typer.Option(None, "--authority", help="A: the decision maker (a contact id).")
NeedOpt = typer.Option(None, "--need", help="N: the stated need.")
TimelineOpt = typer.Option(None, "--timeline", help="T: expected purchase date.")


@app.command("add")
def add(
    ctx: typer.Context,
    customer_id: str,
    title: str,
    source: str = typer.Option(None, "--source"),
    scenario: str = typer.Option(None, "--scenario", help="continuous or occasional."),
    owner: str = typer.Option(None, "--owner"),
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Add a lead (线索) at a customer."""
    from kam.services import leads

    ws = open_ws(ctx)
    record = leads.add(ws, customer_id, title, source=source, scenario=scenario, owner=owner)
    emit_created(ctx, record, fmt, quiet, kind="lead")


@app.command("edit")
def edit(
    ctx: typer.Context,
    lead_id: str,
    budget_confirmed: bool = BudgetOpt,
    budget_amount: str = AmountOpt,
    authority: str = AuthorityOpt,
    need: str = NeedOpt,
    timeline: str = TimelineOpt,
    source: str = typer.Option(None, "--source"),
    title: str = typer.Option(None, "--title"),
    fmt: str = FormatOpt,
) -> None:
    """Record BANT facts on a lead without qualifying it yet."""
    from kam.services import leads

    ws = open_ws(ctx)
    record = leads.edit(ws, lead_id, source=source, title=title,
                        **_bant(budget_confirmed, budget_amount, authority, need, timeline))
    emit(ctx, record, fmt, kind="lead")


@app.command("qualify")
def qualify(
    ctx: typer.Context,
    lead_id: str,
    budget_confirmed: bool = BudgetOpt,
    budget_amount: str = AmountOpt,
    authority: str = AuthorityOpt,
    need: str = NeedOpt,
    timeline: str = TimelineOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Qualify with BANT; a qualified lead becomes an opportunity (its id is printed)."""
    from kam.services import leads

    ws = open_ws(ctx)
    result = leads.qualify(ws, lead_id,
                           **_bant(budget_confirmed, budget_amount, authority, need, timeline))
    opp = result["opportunity"]
    if quiet:
        typer.echo(opp["id"])
    elif fmt == "json":
        emit(ctx, {"verdict": result["verdict"], "lead_id": result["lead"]["id"],
                   "opportunity_id": opp["id"], "opportunity": opp,
                   "findings": result["findings"]}, fmt)
    else:
        say(ctx, f"qualified: {result['lead']['id']} → opportunity {opp['id']}")
        print_findings(ctx, result["findings"])


@app.command("list")
def list_(
    ctx: typer.Context,
    status: str = typer.Option(None, "--status", help="open, converted, dropped."),
    customer: str = typer.Option(None, "--customer"),
    owner: str = typer.Option(None, "--owner"),
    limit: int = LimitOpt,
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List leads."""
    from kam.services import leads

    ws = open_ws(ctx)
    rows = leads.list_(ws, status=status, customer=customer, owner=owner, limit=limit,
                       fields=table_fields(fmt, output, "lead"))
    emit(ctx, rows, fmt, kind="lead", output=output)


@app.command("show")
def show(ctx: typer.Context, lead_id: str, fmt: str = FormatOpt) -> None:
    """Show one lead."""
    from kam.services import leads

    ws = open_ws(ctx)
    emit(ctx, leads.get(ws, lead_id), fmt, kind="lead")


@app.command("spin")
def spin(
    ctx: typer.Context,
    lead_id: str,
    situation: str = typer.Option(None, "--situation", help="背景问题: the facts found."),
    problem: str = typer.Option(None, "--problem", help="难点问题: the difficulties."),
    implication: str = typer.Option(None, "--implication", help="暗示问题: their cost."),
    need_payoff: str = typer.Option(None, "--need-payoff",
                                    help="需求效益问题: the value of solving them."),
    fmt: str = FormatOpt,
) -> None:
    """Record SPIN questioning (SPIN 提问) on a lead; an empty value clears a part."""
    from kam.services import leads

    ws = open_ws(ctx)
    emit(ctx, leads.spin(ws, lead_id, situation=situation, problem=problem,
                         implication=implication, need_payoff=need_payoff), fmt, kind="lead")


@app.command("drop")
def drop(
    ctx: typer.Context,
    lead_id: str,
    reason: str = typer.Option(..., "--reason"),
    fmt: str = FormatOpt,
) -> None:
    """Drop a lead, with the reason."""
    from kam.services import leads

    ws = open_ws(ctx)
    emit(ctx, leads.drop(ws, lead_id, reason), fmt, kind="lead")
