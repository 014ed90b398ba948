"""The bodies of the everyday commands (``opp list|show|advance``, ``customer list``,
``pay record``, ``activity log``, ``report``): typer-free, so the typer commands
(kam.cli.opp, customer, pay, activity, report) and kam's lean front end (kam.cli.fast)
run the same code."""

from __future__ import annotations

from typing import Any

from kam.cli.common import (
    echo,
    emit,
    emit_created,
    open_ws,
    output_lang,
    print_findings,
    say,
    table_fields,
)


def opp_list(ctx: Any, *, stage: str | None = None, status: str | None = None,
             owner: str | None = None, member: str | None = None,
             customer: str | None = None, limit: int | None = None, fmt: str = "table",
             output: str | None = None) -> None:
    """``kam opp list``: the opportunities (商机) asked for."""
    from kam.services import opportunities

    ws = open_ws(ctx)
    rows = opportunities.list_(ws, stage=stage, status=status, owner=owner,
                               member=member, customer=customer, limit=limit,
                               fields=table_fields(fmt, output, "opportunity"))
    emit(ctx, rows, fmt, kind="opportunity", output=output)


def customer_list(ctx: Any, *, grade: str | None = None, matrix: str | None = None,
                  owner: str | None = None, flagged: bool = False, limit: int | None = None,
                  fmt: str = "table", output: str | None = None) -> None:
    """``kam customer list``: the customers (客户) asked for; ``flagged``, only those with
    an open anomaly flag (异常客户)."""
    from kam.services import customers

    ws = open_ws(ctx)
    rows = customers.list_(ws, grade=grade, matrix=matrix, owner=owner, limit=limit,
                           flagged=flagged,
                           fields=None if flagged else table_fields(fmt, output, "customer"))
    columns = ["id", "name", "grade", "owner", "flags"] if flagged else None
    emit(ctx, rows, fmt, columns, kind="customer", output=output)


def opp_show(ctx: Any, opp_id: str, as_of: str | None, fmt: str) -> None:
    """``kam opp show``: fields, stage, checklist, and what the next gate still needs."""
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

        echo(f"\n{KINDS['opportunity'].header('team', ws.lang)}:")
        for m in card["team"]:
            echo(f"  {m['user']}  {label('deal_role', m['role'], ws.lang)} — "
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
        tender_out(ctx, card["tender"])
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
        echo("")
        echo_budget(ctx, card["budget"])
    for f in card["review"]:
        say(ctx, f"review: {f['message']}")
    echo_case_analysis(ctx, opp)


def opp_advance(ctx: Any, opp_id: str, to: str | None, *, force: bool,
                reason: str | None, as_of: str | None, fmt: str) -> None:
    """``kam opp advance``: the next stage (推进), or what its gate still needs."""
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


def pay_record(ctx: Any, contract_id: str, amount: str, *, date: str | None = None,
               milestone: str | None = None, ref: str | None = None,
               note: str | None = None, as_of: str | None = None, fmt: str = "table",
               quiet: bool = False) -> None:
    """``kam pay record``: a payment received (回款) and the milestones it pays."""
    from kam.services import payments

    ws = open_ws(ctx, as_of)
    p = payments.record(ws, contract_id, amount, date=date, milestone=milestone, ref=ref,
                        note=note)
    if quiet:
        echo(p["id"])
    elif fmt == "table":
        say(ctx, f"{p['id']}: {p['amount']} {p['currency']} on {p['date']} for "
            f"{p['contract_id']}")
        if p.get("status") == "requested":
            say(ctx, f"requested: {p['id']} counts once finance confirms it "
                f"(kam pay confirm {p['id']})")
        payment_milestones(ctx, p)
    else:
        emit(ctx, p, fmt)


def payment_milestones(ctx: Any, payment: dict) -> None:
    """The milestones (回款节点) a payment paid, as a table."""
    emit(ctx, payment["milestones"], "table",
         ["id", "kind", "amount", "paid", "outstanding", "state"], kind="receivable")


def activity_log(ctx: Any, record_id: str, *, type_: str, date: str | None = None,
                 contact: list[str] | None = None, outcome: str | None = None,
                 note: str | None = None, next_step: str | None = None,
                 next_due: str | None = None, owner: str | None = None,
                 signal: list[str] | None = None, closing: str | None = None,
                 as_of: str | None = None, fmt: str = "table", quiet: bool = False) -> None:
    """``kam activity log``: a visit or call (拜访) and what it won."""
    from kam.services import activities

    ws = open_ws(ctx, as_of)
    record = activities.log(ws, record_id, type=type_, date=date, contacts=contact or [],
                            outcome=outcome, note=note, next_step=next_step,
                            next_due=next_due, owner=owner, signals=signal or [],
                            closing=closing)
    emit_created(ctx, record, fmt, quiet, kind="activity")


def report(ctx: Any, name: str | None, record_id: str | None, *, as_of: str | None,
           option: list[str], **given: Any) -> None:
    """``kam report NAME [ID]``: a report (报表) to stdout or its file; no name, the
    catalogue. ``given``: the report's options as reports.run_to takes them."""
    from kam.errors import InputError
    from kam.services import reports

    ws = open_ws(ctx, as_of)
    if not name:
        from kam.output import render

        echo(render(reports.catalogue(ws), "table", ["name", "description", "plugin"]))
        return
    extra = {}
    for pair in option:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isidentifier():
            raise InputError(f"--option: {pair!r} must look like key=value")
        extra[key.strip()] = value
    from kam.collector import CollectedRarely

    with CollectedRarely():
        path = reports.run_to(ws, name, _echo, record_id, **given, **extra)
    if path is not None:
        echo(str(path))


def _echo(text: str) -> None:
    echo(text, nl=False)


def tender_out(ctx: Any, sheet: dict) -> None:
    """A tender's scoring sheet (招投标评分表): weights, the bidders' standing, our rank."""
    from kam.models.tender import STANDING_COLUMNS

    say(ctx, f"tender scoring sheet: technical {sheet['technical_weight']}%, "
        f"commercial {sheet['commercial_weight']}%")
    emit(ctx, sheet["bidders"], "table", STANDING_COLUMNS, {"bidder": "tender_bidder"})
    say(ctx, f"our rank: {sheet['our_rank']} of {len(sheet['bidders'])} "
        f"(weighted total {sheet['our_total']})")


def echo_case_analysis(ctx: Any, opp: dict) -> None:
    """The case-analysis report (案例分析报告) written after the win or loss."""
    case = opp.get("case_analysis") or {}
    if case.get("summary"):
        say(ctx, f"case analysis by {case.get('by') or '-'} on {case['on']}: {case['summary']}")
        if case.get("lessons"):
            say(ctx, f"  lessons: {case['lessons']}")
        if case.get("attachment"):
            say(ctx, f"  attachment: {case['attachment']['path']}")


def echo_budget(ctx: Any, view: dict) -> None:
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


def _model_label(ctx: Any, ws: Any, key: str) -> str:
    """An evaluation model's label in the user's language; its key when no plugin
    registers it any more."""
    from kam.i18n import pick

    model = ws.plugins.evaluation_models().items.get(key)
    return pick(output_lang(ctx), model.zh, model.en) if model is not None else key
