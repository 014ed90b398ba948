"""kam opp add|list|show|edit|advance|check|uncheck|approve|bid|tender|score|concession|trial|lose|
abandon|team|budget|budget-adjust|budget-approve|withdrawal|case-analysis"""

from __future__ import annotations

import typer
from kam.cli import opp_team
from kam.cli.common import (
    AsOfOpt,
    FormatOpt,
    LimitOpt,
    OutputOpt,
    QuietOpt,
    emit,
    emit_created,
    open_ws,
    option_pairs,
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
        say(ctx, f"evaluation {e['on']} ({e['model']}, by {e['by']}): score {e['score']}")
    if card["tender"]:
        _tender_out(ctx, card["tender"])
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
        _echo_budget(ctx, card["budget"])
    for f in card["review"]:
        say(ctx, f"review: {f['message']}")
    _echo_case_analysis(ctx, opp)


def _echo_case_analysis(ctx: typer.Context, opp: dict) -> None:
    """The case-analysis report (案例分析报告) written after the win or loss."""
    case = opp.get("case_analysis") or {}
    if case.get("summary"):
        say(ctx, f"case analysis by {case.get('by') or '-'} on {case['on']}: {case['summary']}")
        if case.get("lessons"):
            say(ctx, f"  lessons: {case['lessons']}")
        if case.get("attachment"):
            say(ctx, f"  attachment: {case['attachment']['path']}")


def _echo_budget(ctx: typer.Context, view: dict) -> None:
    """Budget vs actual (费用预算 vs 实际) as a line of totals and a row per milestone."""
    from kam.values import fmt_money

    pending = view.get("pending_adjustment")
    say(ctx, f"presales budget: {fmt_money(view['budget'])} {view['currency'] or ''} "
        f"(original {fmt_money(view['original'])}, approved adjustments "
        f"{fmt_money(view['adjustments'])}); spent {fmt_money(view['spent'])}, "
        f"left {fmt_money(view['left'])}")
    if pending:
        say(ctx, f"budget adjustment of {pending['amount']} waiting for approval")
    if view["rows"]:
        emit(ctx, view["rows"], "table", ["stage", "budget", "spent", "left"])


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
    from kam.services import opportunities

    ws = open_ws(ctx, as_of)
    record = opportunities.bid(ws, opp_id, price, date, result, cost=cost, margin=margin,
                               competitors=competitor, approved_by=approved_by,
                               reason=reason)
    emit(ctx, {"id": record["id"], "bids": record["bids"]}, fmt)


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
        _echo_budget(ctx, view)
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
@app.command("score")
def score(
    ctx: typer.Context,
    opp_id: str,
    criterion: list[str] = typer.Option([], "--criterion", help="KEY=VALUE for each "
                                        "criterion of the model (value: 1-5 or its label)."),
    model: str = typer.Option(None, "--model", help="Evaluation model (default: "
                              "rules.evaluation_model, else standard)."),
    date: str = typer.Option(None, "--date", help="The day of the evaluation."),
    note: str = typer.Option(None, "--note"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Record a scored evaluation (商机评估) against the evaluation model."""
    from kam.services import scoring

    ws = open_ws(ctx, as_of)
    record = scoring.score(ws, opp_id, criterion, model=model, on=date, note=note)
    entry = record["evaluations"][-1]  # the one just recorded
    if fmt != "table":
        emit(ctx, {"id": record["id"], **entry}, fmt)
        return
    rows = ws.evaluation_model(entry["model"]).breakdown(entry, ws.lang)
    emit(ctx, rows, fmt, ["criterion", "weight", "rating", "points", "top"])
    typer.echo(f"{record['id']}: score {entry['score']} ({entry['model']}, {entry['on']})")


@app.command("concession")
def concession(
    ctx: typer.Context,
    opp_id: str,
    what: str = typer.Option(..., "--what", help="What was conceded (折扣, 免费培训, 账期...)."),
    direction: str = typer.Option(..., "--direction", help="given (by us) or received "
                                  "(from the customer)."),
    value: str = typer.Option(None, "--value", help="Its value in the deal's currency; a "
                              "given value counts towards the discount."),
    exchange: str = typer.Option(None, "--exchange", help="What it was given in exchange "
                                 "for."),
    approved_by: str = typer.Option(None, "--approved-by", help="Who approved it (needed "
                                    "when the discount passes the approval thresholds)."),
    date: str = typer.Option(None, "--date"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Log a concession given or received in negotiation (谈判让步), on the deal's card."""
    from kam.services import negotiation

    ws = open_ws(ctx, as_of)
    record = negotiation.concede(ws, opp_id, what=what, direction=direction, value=value,
                                 exchange=exchange, approved_by=approved_by, on=date)
    emit(ctx, record["concessions"], fmt, ["on", "direction", "what", "value", "currency",
                                           "exchange", "discount", "approved_by"],
         {"direction": "concession_direction"})


@app.command("trial")
def trial(
    ctx: typer.Context,
    opp_id: str,
    scope: str = typer.Option(None, "--scope", help="What is tried (试用范围)."),
    start: str = typer.Option(None, "--start"),
    end: str = typer.Option(None, "--end"),
    criteria: str = typer.Option(None, "--criteria", help="The success criteria agreed."),
    result: str = typer.Option(None, "--result", help="pending, passed or failed."),
    number: int = typer.Option(None, "--trial", click_type=whole("--trial", 1, 10000),
                               help="Set the result of this trial (1, 2, ...) instead."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Record a trial/POC before bidding (试用体验), or a trial's result."""
    from kam.services import trials

    ws = open_ws(ctx, as_of)
    record = trials.record(ws, opp_id, scope=scope, start=start, end=end, criteria=criteria,
                           result=result, trial=number)
    emit(ctx, record["trials"], fmt, ["seq", "scope", "start", "end", "criteria", "result"],
         {"result": "trial_result"})


@app.command("tender")
def tender(
    ctx: typer.Context,
    opp_id: str,
    technical_weight: str = typer.Option(..., "--technical-weight",
                                         help="The technical part's weight (技术分), %."),
    commercial_weight: str = typer.Option(..., "--commercial-weight",
                                          help="The commercial part's weight (商务分), %; "
                                          "the two add up to 100."),
    ours: tuple[str, str] = typer.Option(..., "--ours", metavar="TECH COMM",
                                         help="Our expected technical and commercial "
                                         "scores, 0-100 each."),
    competitor: list[str] = typer.Option([], "--competitor", metavar="NAME=TECH,COMM",
                                         help="A competitor's expected scores; repeatable."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Record the customer's tender scoring sheet (招投标评分表): weighted totals, our rank."""
    from kam.models.tender import standings
    from kam.services import tenders

    ws = open_ws(ctx, as_of)
    record = tenders.record(ws, opp_id, technical_weight, commercial_weight, ours, competitor)
    sheet = standings(record["tender_sheet"])
    if fmt != "table":
        emit(ctx, {"id": record["id"], "tender": sheet}, fmt)
        return
    assert sheet is not None
    _tender_out(ctx, sheet)


def _tender_out(ctx: typer.Context, sheet: dict) -> None:
    from kam.models.tender import STANDING_COLUMNS

    say(ctx, f"tender scoring sheet: technical {sheet['technical_weight']}%, "
        f"commercial {sheet['commercial_weight']}%")
    emit(ctx, sheet["bidders"], "table", STANDING_COLUMNS, {"bidder": "tender_bidder"})
    say(ctx, f"our rank: {sheet['our_rank']} of {len(sheet['bidders'])} "
        f"(weighted total {sheet['our_total']})")


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
