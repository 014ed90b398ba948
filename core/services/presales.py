"""The presales budget of a deal (项目任务书的费用预算) and the expenses booked against it
(售前费用): set the budget split by milestone, record expenses with their receipts, and
raise the budget only through an adjustment (任务书调整表) approved by the roles
kam.toml names (``approvals.budget_adjust``, default ``sales_director``).

Spending over the budget in force, or over its milestone's budget when the budget is
split, is refused (exit 1): the point of the budget is that a deal's cost is decided
before it is spent, not discovered afterwards. An adjustment is made for a milestone
(default the deal's current stage): approved, it raises that milestone and the total.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kam import values, vocab
from kam.errors import InputError, RefusedError
from kam.models.presales_budget import budget_in_force, budget_view
from kam.services.common import atomic
from kam.services.contract_evidence import kept_file
from kam.workspace import Workspace

ZERO = Decimal("0.00")
#: who approves a budget adjustment when kam.toml names nobody (销售总监)
DEFAULT_ADJUST_ROLES = ("sales_director",)


def adjust_roles(ws: Workspace) -> list[str]:
    """The roles that must approve a budget adjustment (kam.toml approvals.budget_adjust)."""
    roles = (ws.config.get("approvals") or {}).get("budget_adjust")
    if roles is None:
        return list(DEFAULT_ADJUST_ROLES)
    return [r.strip() for r in roles if r.strip()]


def _positive(text: str, what: str) -> Decimal:
    amount = values.money(text, what, allow_negative=True)
    if amount <= 0:
        raise InputError(f"{what}: the amount must be above 0 ({text} was given)")
    return amount


def _split(ws: Workspace, opp: dict[str, Any], amount: Decimal,
           milestones: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    """The budget by milestone (stage keys of the deal's pipeline), adding up to it."""
    if not milestones:
        return []
    pipeline = ws.pipeline(opp["pipeline"])
    out: list[dict[str, str]] = []
    total = ZERO
    for key, text in milestones:
        stage = pipeline.parse_stage(key)
        if any(p["stage"] == stage for p in out):
            raise InputError(f"--milestone: {stage} is given twice")
        part = values.money(text, f"--milestone {key}")
        if part < 0:
            raise InputError(f"--milestone {key}: the amount cannot be negative ({text})")
        total += part
        out.append({"stage": stage, "amount": values.fmt_money(part)})
    if total != amount:
        raise InputError(f"--milestone: the milestones add up to {values.fmt_money(total)}, "
                         f"the budget is {values.fmt_money(amount)}; they must be equal")
    return out


@atomic
def set_budget(ws: Workspace, opp_id: str, amount: str,
               milestones: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """Set a deal's presales budget (费用预算), optionally split by milestone.

    Refused once expenses exceed the new budget in force (lower it by an adjustment
    instead of hiding spending already made)."""
    opp = ws.get("opportunity", opp_id)
    money = values.money(amount, "AMOUNT", allow_negative=True)
    if money < 0:
        raise InputError(f"AMOUNT: the budget cannot be negative ({amount} was given)")
    split = _split(ws, opp, money, milestones)
    after = {**opp, "expense_budget": money, "budget_split": split}
    view = budget_view(after, expenses_of(ws, opp["id"]))
    spent = view["spent"]
    if spent > budget_in_force(after):
        raise RefusedError(f"opportunity {opp['id']} has already spent "
                           f"{values.fmt_money(spent)}: a budget of "
                           f"{values.fmt_money(budget_in_force(after))} in force is below it")
    under = next((r for r in view["rows"] if r["budget"] is not None and r["left"] < 0), None)
    if under is not None:
        raise RefusedError(f"opportunity {opp['id']} has already spent "
                           f"{values.fmt_money(under['spent'])} in {under['stage']}: its "
                           f"milestone budget of {values.fmt_money(under['budget'])} "
                           "would be below it")
    changes = {"expense_budget": money, "budget_split": split, "updated_at": ws.now()}
    payload = {"expense_budget": values.fmt_money(money), "budget_split": split}
    with ws.mutation("opportunity.budget_set", opp["id"], payload,
                     refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"], changes)
    return {**opp, **changes}


@atomic
def request_adjustment(ws: Workspace, opp_id: str, amount: str, reason: str,
                       milestone: str | None = None) -> dict[str, Any]:
    """Ask to raise the budget by ``amount`` (任务书调整表) for a milestone (default the
    deal's current stage); it counts once approved."""
    opp = ws.get("opportunity", opp_id)
    stage = ws.pipeline(opp["pipeline"]).parse_stage(milestone) if milestone else opp["stage"]
    money = _positive(amount, "AMOUNT")
    if not (reason or "").strip():
        raise InputError("--reason: say why the budget must grow")
    if opp.get("expense_budget") is None:
        raise RefusedError(f"opportunity {opp['id']} has no presales budget to adjust: "
                           f"set one first (kam opp budget {opp['id']} AMOUNT)")
    adjustments = list(opp.get("budget_adjustments") or [])
    if any(a.get("status") == "pending" for a in adjustments):
        raise RefusedError(f"opportunity {opp['id']} already has a budget adjustment "
                           "waiting for approval: approve or reject it first")
    roles = adjust_roles(ws)
    entry = {"no": len(adjustments) + 1, "amount": values.fmt_money(money), "stage": stage,
             "reason": reason.strip(), "requested_by": ws.actor or None,
             "on": ws.today.isoformat(), "at": ws.now(),
             "status": "pending" if roles else "approved",
             "required_roles": roles, "approvals": []}
    adjustments.append(entry)
    with ws.mutation("opportunity.budget_adjustment_requested", opp["id"], entry,
                     refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"],
                          {"budget_adjustments": adjustments, "updated_at": ws.now()})
    return {**opp, "budget_adjustments": adjustments}


@atomic
def decide_adjustment(ws: Workspace, opp_id: str, by: str | None = None,
                      role: str | None = None, comment: str | None = None,
                      reject: bool = False) -> dict[str, Any]:
    """Approve or reject the pending adjustment, as the acting user holding a required
    role; not by the deal's owner nor by who asked. Approved by every required role,
    it raises the budget; one rejection closes it."""
    from kam.services import approvals as who_may
    from kam.services.contracts import _pick_role

    opp = ws.get("opportunity", opp_id)
    adjustments = [dict(a) for a in opp.get("budget_adjustments") or []]
    pending = next((a for a in adjustments if a.get("status") == "pending"), None)
    if pending is None:
        raise RefusedError(f"opportunity {opp['id']} has no budget adjustment waiting for "
                           f"approval (kam opp budget-adjust {opp['id']} AMOUNT --reason T)")
    approver = who_may.approver(ws, by)
    needed = list(pending.get("required_roles") or [])
    decided = list(pending.get("approvals") or [])
    approved = {a["role"] for a in decided if a.get("decision") == "approved"}
    outstanding = [r for r in needed if r not in approved]
    what = f"the budget adjustment of opportunity {opp['id']}"
    chosen = _pick_role(role, outstanding, needed, what=what,
                        held=who_may.roles_of(ws, approver))
    who_may.check(ws, approver, chosen, owners=[opp.get("owner"), pending.get("requested_by")],
                  what=what)
    entry = {"role": chosen, "by": approver, "on": ws.today.isoformat(), "at": ws.now(),
             "decision": "rejected" if reject else "approved", "comment": comment or ""}
    pending["approvals"] = [*decided, entry]
    if reject:
        pending["status"] = "rejected"
    elif not [r for r in needed if r not in approved | {chosen}]:
        pending["status"] = "approved"
    kind = ("opportunity.budget_adjustment_rejected" if reject
            else "opportunity.budget_adjustment_approved")
    with ws.mutation(kind, opp["id"], {"no": pending["no"], **entry,
                                       "status": pending["status"]},
                     refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"],
                          {"budget_adjustments": adjustments, "updated_at": ws.now()})
    return {**opp, "budget_adjustments": adjustments}


@atomic
def add_expense(ws: Workspace, opp_id: str, amount: str, *, type: str,
                date: str | None = None, receipt: str | None = None, by: str | None = None,
                milestone: str | None = None, note: str | None = None) -> dict[str, Any]:
    """Record a presales expense against the deal's budget; over it is refused (exit 1).

    ``date`` is when the money was spent (default today, never in the future); the
    milestone defaults to the deal's current stage; ``by`` to the acting user."""
    opp = ws.get("opportunity", opp_id)
    money = _positive(amount, "AMOUNT")
    kind = vocab.parse("expense_type", type)
    on = values.date(date, "--date") if date else ws.today
    if on > ws.today:
        raise InputError(f"--date: {on} is in the future (today is {ws.today})")
    stage = ws.pipeline(opp["pipeline"]).parse_stage(milestone) if milestone else opp["stage"]
    spender = " ".join((by or ws.actor or opp.get("owner") or "").split()) or None
    kept = kept_file(receipt, "--receipt") if receipt else None
    if opp.get("expense_budget") is None:
        raise RefusedError(f"opportunity {opp['id']} has no presales budget: set one first "
                           f"(kam opp budget {opp['id']} AMOUNT)")
    view = budget_view(opp, expenses_of(ws, opp["id"]))
    if view["spent"] + money > view["budget"]:
        raise RefusedError(
            f"over budget: opportunity {opp['id']} has {values.fmt_money(view['left'])} "
            f"of {values.fmt_money(view['budget'])} left, {values.fmt_money(money)} was given; "
            f"an approved adjustment raises it (kam opp budget-adjust {opp['id']} AMOUNT "
            "--reason T)")
    part = next((r for r in view["rows"] if r["stage"] == stage and r["budget"] is not None),
                None)
    if part is not None and part["spent"] + money > part["budget"]:
        raise RefusedError(
            f"over the milestone budget: {stage} of opportunity {opp['id']} has "
            f"{values.fmt_money(part['left'])} of {values.fmt_money(part['budget'])} left, "
            f"{values.fmt_money(money)} was given; an approved adjustment for it raises it "
            f"(kam opp budget-adjust {opp['id']} AMOUNT --milestone {stage} --reason T)")
    currency = opp.get("currency") or ws.config.get("currency") or "CNY"
    record = {"opportunity_id": opp["id"], "customer_id": opp["customer_id"], "type": kind,
              "amount": money, "currency": currency, "date": on,
              "stage": stage, "owner": spender, "receipt": kept or {},
              "note": (note or "").strip() or None, "created_at": ws.now()}
    with ws.mutation("expense.recorded", refs=[opp["id"], opp["customer_id"]]) as m:
        record["id"] = ws.storage.next_id("expense")
        ws.storage.insert("expense", record)
        m.record_id = record["id"]
        m.payload = {"opportunity_id": opp["id"], "type": kind,
                     "amount": values.fmt_money(money), "currency": record["currency"],
                     "date": on.isoformat(), "stage": stage, "owner": spender,
                     "receipt": kept}
    return record


def expenses_of(ws: Workspace, opp_id: str) -> list[dict[str, Any]]:
    return list(ws.storage.find("expense", {"opportunity_id": opp_id}, order_by=("date", "id")))


def list_expenses(ws: Workspace, *, opp: str | None = None, owner: str | None = None,
                  type: str | None = None, since: str | None = None,
                  until: str | None = None) -> list[dict[str, Any]]:
    """Expenses, oldest first, filtered by deal, who spent, type and date range."""
    where: dict[str, Any] = {}
    if opp:
        where["opportunity_id"] = ws.get("opportunity", opp)["id"]
    if owner:
        where["owner"] = owner.strip()
    if type:
        where["type"] = vocab.parse("expense_type", type)
    start = values.date(since, "--since") if since else None
    end = values.date(until, "--until") if until else None
    if start and end and end < start:
        raise InputError(f"--until: {end} is before --since {start}")
    if start:
        where["date__ge"] = start
    if end:
        where["date__le"] = end
    return list(ws.storage.find("expense", where or None, order_by=("date", "id")))


def budget(ws: Workspace, opp_id: str) -> dict[str, Any]:
    """Budget vs actual of one deal (kam.models.presales_budget.budget_view)."""
    opp = ws.get("opportunity", opp_id)
    return {"opportunity_id": opp["id"], **budget_view(opp, expenses_of(ws, opp["id"]))}


@atomic
def withdrawal(ws: Workspace, opp_id: str, criteria: Sequence[str] = (), *,
               met: int | None = None, clear: int | None = None) -> dict[str, Any]:
    """The deal's withdrawal criteria (撤出标准): ``criteria`` replaces the list; ``met``
    marks criterion N (from 1) as met, which blocks every stage exit until the deal is
    abandoned or the criterion cleared (``clear``). Checked by rules_standard."""
    opp = ws.get("opportunity", opp_id)
    current = [dict(c) for c in opp.get("withdrawal_criteria") or []]
    texts = [t.strip() for t in criteria if t.strip()]
    if not texts and met is None and clear is None:
        raise InputError("--criterion: give the criteria, or --met N / --clear N")
    if texts:
        current = [{"criterion": t, "met_on": None, "by": None} for t in texts]
    for n, flag in ((met, True), (clear, False)):
        if n is None:
            continue
        if not 1 <= n <= len(current):
            raise InputError(f"--{'met' if flag else 'clear'}: {n} is not a criterion of "
                             f"{opp['id']} (it has {len(current)})")
        current[n - 1] |= ({"met_on": ws.today.isoformat(), "by": ws.actor or None} if flag
                           else {"met_on": None, "by": ws.actor or None})
    payload = {"withdrawal_criteria": current}
    with ws.mutation("opportunity.withdrawal_criteria", opp["id"], payload,
                     refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"],
                          {"withdrawal_criteria": current, "updated_at": ws.now()})
    return {**opp, "withdrawal_criteria": current}
