"""kam opp add|list|show|edit|advance|check|uncheck|approve|bid|tender|score|concession|trial|lose|
abandon|team|budget|budget-adjust|budget-approve|withdrawal|case-analysis"""

from __future__ import annotations

from typing import Any

import typer
from kam.cli import opp_money, opp_selling, opp_team
from kam.cli.common import (
    AsOfOpt,
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
    from kam.services import opportunities

    ws = open_ws(ctx)
    rows = opportunities.list_(ws, stage=stage, status=status, owner=owner,
                               member=member, customer=customer, limit=limit,
                               fields=table_fields(fmt, output, "opportunity"))
    emit(ctx, rows, fmt, kind="opportunity", output=output)


@app.command("show")
def show(ctx: typer.Context, opp_id: str, as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Fields, stage, checklist, and what the next gate still needs."""
    from kam.services import opportunities

    ws = open_ws(ctx, as_of)
    card = opportunities.card(ws, opp_id)
    if fmt != "table":
        extra = {("stage_checklist" if k == "checklist" else k): v
                 for k, v in card.items() if k != "opportunity"}
        data = card["opportunity"] | extra
        emit(ctx, data, fmt)
        return
    opp = card["opportunity"]
    hidden = ("checklist", "stage_history", "fields", "budget_split", "budget_adjustments",
              "withdrawal_criteria", "team", "evaluations", "concessions", "trials",
              "tender_sheet", "case_analysis")
    emit(ctx, opp, fmt, [k for k in opp if k not in hidden], kind="opportunity")
    if card["team"]:
        from kam.kinds import KINDS
        from kam.vocab import label

        typer.echo(f"\n{KINDS['opportunity'].header('team', ws.lang)}:")
        for m in card["team"]:
            typer.echo(f"  {m['user']}  {label('deal_role', m['role'], ws.lang)} — "
                       f"{label('deal_line', m['line'], ws.lang)}")
    for t in card["trials"]:
        say(ctx, f"trial {t['seq']} {t['start']}..{t['end']}: {t['scope']} — "
            f"{t['criteria']} [{t['result']}]")
    for c in card["concessions"]:
        say(ctx, f"concession {c['on']} ({c['direction']}): {c['what']}")
        if c.get("value"):
            say(ctx, f"  value {c['value']} {c['currency']}")
        if c.get("exchange"):
            say(ctx, f"  in exchange for {c['exchange']}")
        if c.get("discount"):
            say(ctx, f"  discount {c['discount']}%")
        if c.get("approved_by"):
            say(ctx, f"  approved by {c['approved_by']}")
    for e in card["evaluations"]:
        model = _model_label(ctx, ws, e["model"])
        say(ctx, f"evaluation {e['on']} ({model}, by {e['by']}): score {e['score']}")
    if card["tender"]:
        opp_selling.tender_out(ctx, card["tender"])
    say(ctx, f"\nstage: {card['stage_label']} — key node: {card['key_node']}")
    if card["customer_step"]:
        say(ctx, f"customer's step: {card['customer_step']}")
    if card["start_condition"]:
        say(ctx, f"start condition: {card['start_condition']}")
    say(ctx, "checklist:")
    for item in card["checklist"]:
        mark = "x" if item["done"] else " "
        req = " (required)" if item["required"] else ""
        say(ctx, f"  [{mark}] {item['task']}  {item['label']}{req}")
    if card["gate"]:
        say(ctx, f"to leave {card['stage_label']} the gate still needs:")
        for f in card["gate"]:
            say(ctx, f"  - {f['message']}")
    elif card["next_stage"]:
        say(ctx, f"gate open: ready to advance to {card['next_stage']}")
    if card["acquisition_advice"]:
        say(ctx, f"advice: {card['acquisition_advice']}")
    if card["budget"]["original"] or card["budget"]["spent"]:
        typer.echo("")
        opp_money.echo_budget(ctx, card["budget"])
    for f in card["review"]:
        say(ctx, f"review: {f['message']}")
    opp_money.echo_case_analysis(ctx, opp)


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
    from kam.services import opportunities

    ws = open_ws(ctx, as_of)
    result = opportunities.advance(ws, opp_id, to, force=force, reason=reason)
    if fmt == "json":
        emit(ctx, result, fmt)
        return
    opp = result["opportunity"]
    forced = " (forced)" if result["forced"] else ""
    say(ctx, f"{opp['id']}: {result['from']} → {result['to']}{forced}, "
        f"probability {opp['probability']}%, status {opp['status']}")
    print_findings(ctx, result["findings"])


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


def _model_label(ctx: Any, ws: Any, key: str) -> str:
    """An evaluation model's label in the user's language; its key when no plugin
    registers it any more."""
    from kam.cli.common import output_lang
    from kam.i18n import pick

    model = ws.plugins.evaluation_models().items.get(key)
    return pick(output_lang(ctx), model.zh, model.en) if model is not None else key
