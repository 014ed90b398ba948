"""kam contract create|edit|list|show|review|approve|sign|amend|deliver|accept|handover|
attach|verify|close|terminate"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
    option_pairs,
    output_lang,
    say,
    table_fields,
    whole,
)

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                  help="Contracts (合同): review, approval, signing, delivery, acceptance.")

#: a contract's milestones, shown inside it (kam.kinds' receivable has the labels)
MILESTONE_COLUMNS = ["id", "seq", "kind", "share", "amount", "due_date", "paid", "outstanding",
                     "state", "days_overdue"]

PlanOpt = typer.Option(None, "--plan", help="KIND:SHARE:OFFSET,... e.g. down_payment:30%:+10d,"
                       "on_delivery:30%:+30d,on_acceptance:30%:+30d,warranty:10%:+12m")


def _text(ctx: typer.Context, text: str, fmt: str, data: Any) -> None:
    if fmt == "table":
        typer.echo(text)
    else:
        emit(ctx, data, fmt)


def _term(ctx: typer.Context, zh: str) -> str:
    """A Chinese term inside an English line, as the workspace writes it (zh-Hant)."""
    from kam.cli.common import state
    from kam.i18n import hant

    ws = state(ctx).ws
    return hant(zh) if ws is not None and ws.lang == "zh-Hant" else zh


def _findings(findings: list) -> str:
    if not findings:
        return "  no findings"
    return "\n".join(f"  {f.severity}: {f.message}" + (f" [{f.plugin}]" if f.plugin else "")
                     for f in findings)


def _checklist(items: list[dict]) -> str:
    return "\n".join(f"  [{'x' if i['done'] else ' '}] {i['task']}  {i['label']}"
                     for i in items)


@app.command("create")
def create(
    ctx: typer.Context,
    opp: str = typer.Argument(..., metavar="OPP"),
    number: str = typer.Option(None, "--number", help="Contract number (default HT-YEAR-N)."),
    amount: str = typer.Option(None, "--amount", help="Default: the opportunity's amount."),
    currency: str = typer.Option(None, "--currency"),
    tax_rate: str = typer.Option(None, "--tax-rate", help="VAT rate %."),
    discount: str = typer.Option(None, "--discount", help="Discount % off the quote."),
    plan: str = PlanOpt,
    warranty_months: int = typer.Option(None, "--warranty-months",
                                         click_type=whole("--warranty-months", 0, 240)),
    acceptance_criteria: str = typer.Option(None, "--acceptance-criteria"),
    change_cost: str = typer.Option(None, "--change-cost", help="Cost of changes clause."),
    service_end: str = typer.Option(None, "--service-end", help="End of service obligations."),
    title: str = typer.Option(None, "--title"),
    gifts: str = typer.Option(None, "--gifts", help="Gifts and rebates."),
    line: list[str] = typer.Option([], "--line", help="ITEM|SPEC|QUANTITY|UNIT_PRICE "
                                   "(标的物, repeatable)."),
    term: list[str] = typer.Option([], "--term", help="KEY=TEXT: delivery_place, "
                                   "delivery_deadline, delivery_method, acceptance_method, "
                                   "breach, force_majeure, dispute, termination, retention_cap"),
    owner: str = typer.Option(None, "--owner"),
    field: list[str] = typer.Option([], "--field"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Draft a contract for an opportunity, with its payment plan."""
    from kam.services import contracts

    ws = open_ws(ctx, as_of)
    record = contracts.create(
        ws, opp, fields=field, number=number, amount=amount, currency=currency,
        tax_rate=tax_rate, discount=discount, plan=plan, warranty_months=warranty_months,
        acceptance_criteria=acceptance_criteria, change_cost=change_cost,
        service_end=service_end, title=title, gifts=gifts, lines=line, terms=term, owner=owner)
    emit_created(ctx, record, fmt, quiet, kind="contract")


@app.command("edit")
def edit(
    ctx: typer.Context,
    contract_id: str = typer.Argument(..., metavar="ID"),
    number: str = typer.Option(None, "--number"),
    amount: str = typer.Option(None, "--amount"),
    currency: str = typer.Option(None, "--currency"),
    tax_rate: str = typer.Option(None, "--tax-rate"),
    discount: str = typer.Option(None, "--discount"),
    plan: str = PlanOpt,
    warranty_months: int = typer.Option(None, "--warranty-months",
                                         click_type=whole("--warranty-months", 0, 240)),
    acceptance_criteria: str = typer.Option(None, "--acceptance-criteria"),
    change_cost: str = typer.Option(None, "--change-cost"),
    service_end: str = typer.Option(None, "--service-end"),
    title: str = typer.Option(None, "--title"),
    gifts: str = typer.Option(None, "--gifts"),
    line: list[str] = typer.Option([], "--line"),
    term: list[str] = typer.Option([], "--term"),
    owner: str = typer.Option(None, "--owner"),
    field: list[str] = typer.Option([], "--field"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Change an unsigned contract (it goes back to draft: review and approve again)."""
    from kam.services import contracts

    ws = open_ws(ctx, as_of)
    record = contracts.edit(
        ws, contract_id, fields=field, number=number, amount=amount, currency=currency,
        tax_rate=tax_rate, discount=discount, plan=plan, warranty_months=warranty_months,
        acceptance_criteria=acceptance_criteria, change_cost=change_cost,
        service_end=service_end, title=title, gifts=gifts, lines=line or None,
        terms=term or None, owner=owner)
    emit(ctx, record, fmt, kind="contract")


@app.command("list")
def list_(
    ctx: typer.Context,
    status: str = typer.Option(None, "--status"),
    customer: str = typer.Option(None, "--customer"),
    owner: str = typer.Option(None, "--owner"),
    opp: str = typer.Option(None, "--opp"),
    limit: int = LimitOpt,
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List contracts."""
    from kam.services import contracts

    ws = open_ws(ctx)
    rows = contracts.list_(ws, status=status, customer=customer, owner=owner, opp=opp,
                           limit=limit, fields=table_fields(fmt, output, "contract"))
    emit(ctx, rows, fmt, kind="contract", output=output)


@app.command("show")
def show(ctx: typer.Context, contract_id: str = typer.Argument(..., metavar="ID"),
         as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """The contract, its milestones as of today, approvals still needed, evidence."""
    from kam.services import contracts

    ws = open_ws(ctx, as_of)
    card = contracts.card(ws, contract_id)
    if fmt != "table":
        emit(ctx, card, fmt)
        return
    c = card["contract"]
    keys = ["id", "number", "title", "opportunity_id", "customer_id", "owner", "amount",
            "currency", "tax_rate", "discount", "status", "version", "warranty_months",
            "acceptance_criteria", "change_cost", "service_end", "signed_on", "delivered_on",
            "initial_accepted_on", "final_accepted_on", "closed_on", "terminated_on"]
    emit(ctx, c, fmt, keys, kind="contract")
    if card["team"]:
        from kam.models.deal_team import MEMBER_COLUMNS, MEMBER_VOCAB

        say(ctx, f"\ndeal team of {c['opportunity_id']}:")
        emit(ctx, card["team"], "table", MEMBER_COLUMNS, MEMBER_VOCAB)
    say(ctx, "\nmilestones:")
    emit(ctx, card["milestones"], "table", MILESTONE_COLUMNS, kind="receivable")
    if card["approvals_needed"]:
        say(ctx, "\napprovals needed: " + ", ".join(card["approvals_needed"]))
    if c.get("approvals"):
        say(ctx, "\napprovals:")
        emit(ctx, c["approvals"], "table", ["version", "role", "by", "decision", "at",
                                            "comment"],
             {"decision": "approval_decision", "role": "approval_role"})
    if c.get("amendments"):
        say(ctx, "\namendments:")
        emit(ctx, c["amendments"], "table", ["version", "on", "delta", "amount_before",
                                             "amount_after", "reason"])
    if c.get("pending_amendment"):
        p = c["pending_amendment"]
        say(ctx, f"\npending amendment: {p['delta']} ({p['reason']}), waiting for "
            + ", ".join(p.get("roles") or []))
    if card["attachments"]:
        say(ctx, "\nattachments:")
        emit(ctx, card["attachments"], "table", kind="attachment")
    if card["signing_checklist"]:
        say(ctx, f"\nsigning checklist ({_term(ctx, '签约成交')}):")
        typer.echo(_checklist(card["signing_checklist"]))
    if card["deliveries"]:
        say(ctx, f"\ndeliveries ({_term(ctx, '发货')}):")
        emit(ctx, card["deliveries"], "table", kind="delivery")
    if any(t["recorded"] for t in card["pnl"]["stages"]):
        say(ctx, f"\nP&L ({_term(ctx, '概算/预算/核算/决算')}):")
        _echo_pnl(ctx, card["pnl"])


def _echo_pnl(ctx: typer.Context, pnl: dict[str, Any]) -> None:
    """The accounts per stage, per category, and the drift between them."""
    shown = [t for t in pnl["stages"] if t["recorded"]]
    emit(ctx, shown, "table", ["account", "cost", "revenue", "gross_profit", "margin_pct"],
         {"account": "cost_stage"})
    typer.echo("")
    emit(ctx, pnl["categories"], "table",
         ["category", *[f"{t['account']}_cost" for t in shown]], {"category": "cost_category"})
    if pnl["drift"]:
        typer.echo("")
        emit(ctx, pnl["drift"], "table", ["from_stage", "to_stage", "cost_change",
                                          "margin_points"],
             {"from_stage": "cost_stage", "to_stage": "cost_stage"})


@app.command("cost", context_settings={"allow_extra_args": True,
                                             "ignore_unknown_options": True})
def cost(
    ctx: typer.Context,
    contract_id: str = typer.Argument(..., metavar="CONTRACT"),
    stage: str = typer.Option(..., "--stage", help="estimate (概算), budget (预算), actual "
                              "(核算) or final (决算)."),
    category: list[str] = typer.Option([], "--category", metavar="CATEGORY AMOUNT",
                                       help="A cost line (also CATEGORY=AMOUNT); repeatable."),
    revenue: str = typer.Option(None, "--revenue", help="actual: revenue recognised to date."),
    date: str = typer.Option(None, "--date", help="Date of the accounts (default today)."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Record a contract's costs by category for one account; estimate, budget and final
    replace that account, actual costs add up."""
    from kam.services import contract_costs

    ws = open_ws(ctx, as_of)
    pnl = contract_costs.record(ws, contract_id, stage,
                                option_pairs("--category", category, ctx.args), date=date,
                                revenue=revenue)
    if fmt == "table":
        _echo_pnl(ctx, pnl)
    else:
        emit(ctx, pnl, fmt)


@app.command("review")
def review(ctx: typer.Context, contract_id: str = typer.Argument(..., metavar="ID"),
           as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Contract review (合同评审): findings; exit 1 if any blocks."""
    from kam.services import contracts

    ws = open_ws(ctx, as_of)
    result = contracts.review(ws, contract_id)
    c = result["contract"]
    text = (f"contract {c['id']} review: "
            + ("BLOCKED" if result["blocked"] else "passed") + f" (status {c['status']})\n"
            + _findings(result["findings"]))
    _text(ctx, text, fmt, {"contract_id": c["id"], "status": c["status"],
                           "blocked": result["blocked"], "findings": result["findings"]})
    if result["blocked"]:
        raise typer.Exit(1)


@app.command("approve")
def approve(
    ctx: typer.Context,
    contract_id: str = typer.Argument(..., metavar="ID"),
    by: str = typer.Option(None, "--by", help="The approver: the acting user (KAM_USER); "
                           "another name is refused."),
    role: str = typer.Option(None, "--role", help="The required role approving "
                             "(sales_manager, sales_director, general_manager, finance, ...)."),
    comment: str = typer.Option(None, "--comment"),
    reject: bool = typer.Option(False, "--reject", help="Record a rejection instead "
                                "(it revokes an earlier approval)."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Approve (or --reject) a contract or its pending amendment (合同审批, recorded).

    By the acting user, never the owner, for a required role only; with kam.toml
    [roles], only for a role the approver holds."""
    from kam.services import contracts

    ws = open_ws(ctx, as_of)
    c = contracts.approve(ws, contract_id, by, role=role, comment=comment, reject=reject)
    last = c["approvals"][-1]
    text = (f"{c['id']}: {last['decision']} by {last['by']} as {last['role']}; "
            f"status {c['status']}")
    _text(ctx, text, fmt, c)


@app.command("sign")
def sign(ctx: typer.Context, contract_id: str = typer.Argument(..., metavar="ID"),
         date: str = typer.Option(None, "--date", help="Signing date (default today)."),
         force: bool = typer.Option(False, "--force", help="Pass the deal's failing gates "
                                    "(recorded, odds lowered)."),
         reason: str = typer.Option(None, "--reason", help="Why the gates are forced."),
         as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Sign (签订合同): through the deal's gates; wins it and schedules the milestones."""
    from kam.services import contracts

    ws = open_ws(ctx, as_of)
    r = contracts.sign(ws, contract_id, date, force=force, reason=reason)
    if fmt != "table":
        emit(ctx, r, fmt)
        return
    c, o = r["contract"], r["opportunity"]
    say(ctx, f"contract {c['id']} ({c['number']}) signed on {c['signed_on']}; "
        f"opportunity {o['id']} {o['status']}, stage {o['stage']}")
    emit(ctx, r["milestones"], "table", MILESTONE_COLUMNS, kind="receivable")
    if r["signing_checklist"]:
        say(ctx, f"\nsigning checklist ({_term(ctx, '签约成交')}):")
        typer.echo(_checklist(r["signing_checklist"]))


@app.command("amend")
def amend(ctx: typer.Context, contract_id: str = typer.Argument(..., metavar="ID"),
          delta: str = typer.Option(..., "--delta", help="Amount change, e.g. 50000 or "
                                    "-20000."),
          reason: str = typer.Option(..., "--reason"),
          as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Amend the amount (合同变更); unpaid milestones are re-balanced."""
    from kam.services import contract_amendments

    ws = open_ws(ctx, as_of)
    r = contract_amendments.amend(ws, contract_id, delta, reason)
    c = r["contract"]
    if r["pending"]:
        text = (f"{c['id']}: amendment {c['pending_amendment']['delta']} waits for approval "
                f"by {', '.join(r['roles'])} (kam contract approve {c['id']} --by NAME "
                "--role ROLE)")
    else:
        text = f"{c['id']}: amended, amount now {c['amount']} {c['currency']}"
    _text(ctx, text, fmt, {"contract": c, "pending": r["pending"], "roles": r["roles"]})


def _lifecycle_out(ctx: typer.Context, r: Mapping[str, Any], fmt: str, what: str) -> None:
    c = r["contract"]
    lines = [f"{c['id']}: {what} (status {c['status']})"]
    lines += [f"  {x['id']} {x['kind']} due {x['due_date']}" for x in r["due"]]
    data = {"contract": c, "due": r["due"]}
    if "warnings" in r:
        data["warnings"] = r["warnings"]
    _text(ctx, "\n".join(lines), fmt, data)


@app.command("deliver")
def deliver(ctx: typer.Context, contract_id: str = typer.Argument(..., metavar="ID"),
            date: str = typer.Option(None, "--date"),
            force: bool = typer.Option(False, "--force", help="Deliver although the down "
                                       "payment is overdue (款到发货 held)."),
            reason: str = typer.Option(None, "--reason", help="Why (required with --force)."),
            as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Record delivery (到货): on-delivery milestones get their due dates.

    Refused while a down payment is overdue, unless --force --reason T
    ([rules] hold_delivery_until_advance = false: a warning only)."""
    from kam.services import contract_lifecycle

    ws = open_ws(ctx, as_of)
    r = contract_lifecycle.deliver(ws, contract_id, date, force=force, reason=reason)
    forced = " (forced)" if force and r["warnings"] else ""
    _lifecycle_out(ctx, r, fmt, f"delivered on {r['contract']['delivered_on']}{forced}")


@app.command("accept")
def accept(ctx: typer.Context, contract_id: str = typer.Argument(..., metavar="ID"),
           date: str = typer.Option(None, "--date"),
           stage: str = typer.Option("final", "--stage", help="initial (初验) or final (终验)."),
           as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Record acceptance; final acceptance starts the acceptance and warranty milestones."""
    from kam.services import contract_lifecycle

    ws = open_ws(ctx, as_of)
    r = contract_lifecycle.accept(ws, contract_id, date, stage)
    c = r["contract"]
    on = c["final_accepted_on"] or c["initial_accepted_on"]
    _lifecycle_out(ctx, r, fmt, f"{stage} acceptance on {on}")


@app.command("handover")
def handover(
    ctx: typer.Context,
    contract_id: str = typer.Argument(..., metavar="ID"),
    pm: str = typer.Option(None, "--pm", help="Project manager."),
    engineer: str = typer.Option(None, "--engineer"),
    sales_manager: str = typer.Option(None, "--sales-manager"),
    start: str = typer.Option(None, "--start", help="Implementation start."),
    end: str = typer.Option(None, "--end", help="Implementation end."),
    scope: str = typer.Option(None, "--scope", help="Scope and goals."),
    training: str = typer.Option(None, "--training"),
    product_scope: str = typer.Option(None, "--product-scope",
                                      help="Product and functional scope."),
    standard_quote: str = typer.Option(None, "--standard-quote"),
    implementation_fee: str = typer.Option(None, "--implementation-fee"),
    commitments: str = typer.Option(None, "--commitments", help="Key customer commitments."),
    remarks: str = typer.Option(None, "--remarks"),
    date: str = typer.Option(None, "--date", help="Handover date (default today)."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """The presales-to-implementation handover form (售前与工程实施交接单)."""
    from kam.services import contract_lifecycle

    ws = open_ws(ctx, as_of)
    c = contract_lifecycle.handover(
        ws, contract_id, pm=pm, engineer=engineer, sales_manager=sales_manager, start=start,
        end=end, scope=scope, training=training, product_scope=product_scope,
        standard_quote=standard_quote, implementation_fee=implementation_fee,
        commitments=commitments, remarks=remarks, date=date)
    emit(ctx, c["handover"], fmt)


@app.command("attach")
def attach(ctx: typer.Context, contract_id: str = typer.Argument(..., metavar="ID"),
           file: str = typer.Argument(..., metavar="FILE"),
           kind: str = typer.Option("other", "--kind", help="contract, configuration, bid, "
                                    "delivery_note, acceptance, other."),
           as_of: str = AsOfOpt, fmt: str = FormatOpt, quiet: bool = QuietOpt) -> None:
    """Keep a document as evidence (证据链): path and SHA-256."""
    from kam.services import contract_evidence

    ws = open_ws(ctx, as_of)
    emit_created(ctx, contract_evidence.attach(ws, contract_id, file, kind), fmt, quiet)


@app.command("verify")
def verify(ctx: typer.Context, contract_id: str = typer.Argument(..., metavar="ID"),
           fmt: str = FormatOpt) -> None:
    """Recompute the attachments' SHA-256; exit 1 if any changed or is missing."""
    from kam.services import contract_evidence

    ws = open_ws(ctx)
    rows = contract_evidence.verify(ws, contract_id)
    emit(ctx, rows, fmt, ["id", "kind", "status", "path"], {"status": "attachment_status"})
    bad = [r for r in rows if r["status"] != "ok"]
    if bad:
        from kam.vocab import label

        lang = output_lang(ctx)
        listed = ", ".join(f"{r['id']} {label('attachment_status', r['status'], lang)}"
                           for r in bad)
        say(ctx, f"kam: {len(bad)} attachment(s) of {contract_id.upper()} changed or "
            f"missing: {listed}", err=True)
        raise typer.Exit(1)


@app.command("close")
def close(ctx: typer.Context, contract_id: str = typer.Argument(..., metavar="ID"),
          date: str = typer.Option(None, "--date"), as_of: str = AsOfOpt,
          fmt: str = FormatOpt) -> None:
    """Close the project (结项) after final acceptance."""
    from kam.services import contract_lifecycle

    ws = open_ws(ctx, as_of)
    r = contract_lifecycle.close(ws, contract_id, date)
    _lifecycle_out(ctx, r, fmt, f"closed on {r['contract']['closed_on']}")


@app.command("terminate")
def terminate(ctx: typer.Context, contract_id: str = typer.Argument(..., metavar="ID"),
              reason: str = typer.Option(..., "--reason"),
              date: str = typer.Option(None, "--date"), as_of: str = AsOfOpt,
              fmt: str = FormatOpt) -> None:
    """End a contract early (终止), with the reason."""
    from kam.services import contract_lifecycle

    ws = open_ws(ctx, as_of)
    r = contract_lifecycle.terminate(ws, contract_id, reason, date)
    _lifecycle_out(ctx, r, fmt, f"terminated on {r['contract']['terminated_on']}")
