"""Payments (回款) against a contract, allocated to its milestones: the named one,
else the oldest due first (then the not-yet-due ones in plan order). Paying more
than is outstanding is refused. With kam.toml ``finance.confirm_payments`` a payment
is a request until finance confirms it (收款申请单 → 财务确认), and counts only then."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.models.receivable_state import receivable_view
from kam.models.states import SIGNED
from kam.services.common import atomic
from kam.services.receivables import of_contract
from kam.workspace import Workspace

ZERO = Decimal("0.00")
FAR = dt.date.max
#: the role that confirms a requested payment (财务)
FINANCE = "finance"


def allocate(rows: list[dict[str, Any]], amount: Decimal, today: dt.date,
             milestone: str | None = None) -> list[tuple[dict[str, Any], Decimal]]:
    """Split ``amount`` over milestone views; pure. Raises RefusedError on over-payment."""
    open_rows = [r for r in rows if r["outstanding"] > 0]
    if milestone:
        target = next((r for r in rows if r["id"] == milestone.strip().upper()), None)
        if target is None:
            raise InputError(f"--milestone: {milestone} is not a milestone of this contract")
        if amount > target["outstanding"]:
            raise RefusedError(f"over-payment: {target['id']} has "
                               f"{values.fmt_money(target['outstanding'])} outstanding, "
                               f"{values.fmt_money(amount)} was given")
        return [(target, amount)]
    total = sum((r["outstanding"] for r in open_rows), ZERO)
    if amount > total:
        raise RefusedError(f"over-payment: the contract has {values.fmt_money(total)} "
                           f"outstanding, {values.fmt_money(amount)} was given")
    ordered = sorted(open_rows, key=lambda r: (r["due_date"] or FAR, r["seq"]))
    out, left = [], amount
    for r in ordered:
        if left <= 0:
            break
        part = min(left, r["outstanding"])
        out.append((r, part))
        left -= part
    return out


def two_step(ws: Workspace) -> bool:
    """kam.toml ``[finance] confirm_payments`` (default false): a payment recorded by
    sales is a request (收款申请单) that counts only once finance confirms it."""
    value = (ws.config.get("finance") or {}).get("confirm_payments", False)
    return bool(value)


@atomic(loads=())  # no record model: checks and writes only
def record(ws: Workspace, contract_id: str, amount: str, *, date: str | None = None,
           milestone: str | None = None, ref: str | None = None,
           note: str | None = None) -> dict[str, Any]:
    """Record cash received and allocate it; returns the payment with its allocations.

    With ``finance.confirm_payments`` on, it is recorded as ``requested``: its
    allocations are only proposed and no milestone changes until ``confirm``."""
    contract = ws.get("contract", contract_id)
    if contract["status"] not in (*SIGNED, "terminated") or not contract.get("signed_on"):
        raise RefusedError(f"contract {contract['id']} is {contract['status']}: payments are "
                           "recorded against signed contracts")
    money = values.money(amount, "AMOUNT", allow_negative=True)
    if money <= 0:
        raise InputError(f"AMOUNT: the amount must be above 0 ({amount} was given)")
    on = values.date(date, "--date") if date else ws.today
    if on > ws.today:
        raise InputError(f"--date: {on} is in the future (today is {ws.today})")
    signed_on = values.date(contract["signed_on"], "signed_on")
    if on < signed_on:
        raise InputError(f"--date: {on} is before contract {contract['id']} was signed "
                         f"on {signed_on}")
    stored = {r["id"]: r for r in of_contract(ws, contract["id"])}
    views = [receivable_view(r, ws.today) for r in stored.values()]
    parts = allocate(views, money, ws.today, milestone)
    allocations = [{"receivable_id": r["id"], "amount": values.fmt_money(part)}
                   for r, part in parts]
    payment = {"contract_id": contract["id"], "customer_id": contract["customer_id"],
               "amount": money, "currency": contract["currency"], "date": on,
               "ref": (ref or "").strip() or None, "allocations": allocations,
               "note": (note or "").strip() or None, "created_at": ws.now()}
    if two_step(ws):
        payment |= {"status": "requested", "requested_by": ws.actor or None,
                    "receivable_id": parts[0][0]["id"] if milestone else None}
        with ws.mutation("payment.requested",
                         refs=[contract["id"], contract["customer_id"]]) as m:
            payment["id"] = ws.storage.next_id("payment")
            ws.storage.insert("payment", payment)
            m.record_id = payment["id"]
            m.payload = {"amount": values.fmt_money(money), "currency": contract["currency"],
                         "date": on.isoformat(), "ref": payment["ref"],
                         "allocations": allocations}
        return payment | {"milestones": views}
    with ws.mutation("payment.recorded", refs=[contract["id"], contract["customer_id"]]) as m:
        payment["id"] = ws.storage.next_id("payment")
        ws.storage.insert("payment", payment)
        m.record_id = payment["id"]
        m.payload = {"amount": values.fmt_money(money), "currency": contract["currency"],
                     "date": on.isoformat(), "ref": payment["ref"],
                     "allocations": allocations}
        updated, fully = _apply(ws, contract, stored, parts, on, m)
    return _after(ws, payment, updated, fully, m)


def _apply(ws: Workspace, contract: dict[str, Any], stored: dict[str, dict[str, Any]],
           parts: list[tuple[dict[str, Any], Decimal]], on: dt.date, m: Any
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Add the parts to their milestones (inside the mutation ``m``); returns the
    updated milestones and those now fully paid."""
    updated: list[dict[str, Any]] = []
    for r, part in parts:
        row = stored[r["id"]]
        paid = (row.get("paid") or ZERO) + part
        changes = {"paid": paid, "updated_at": ws.now()}
        if paid >= row["amount"] - (row.get("written_off") or ZERO):
            changes["paid_on"] = on
        updated.append({**row, **changes})
    fully = [u for u in updated if u.get("paid_on") and receivable_view(u, ws.today)["state"]
             == "paid"]
    for u in updated:
        ws.storage.update("receivable", u["id"], {k: u[k] for k in ("paid", "updated_at")}
                          | ({"paid_on": u["paid_on"]} if "paid_on" in u else {}))
        m.refs.append(u["id"])
    if any(u["kind"] == "down_payment" for u in fully):
        _tick_advance(ws, contract)
    return updated, fully


def _after(ws: Workspace, payment: dict[str, Any], updated: list[dict[str, Any]],
           fully: list[dict[str, Any]], m: Any) -> dict[str, Any]:
    for u in fully:
        ws.fire("kam_receivable_event", receivable=receivable_view(u, ws.today),
                action="paid", level=None, event=m.event)
    return payment | {"milestones": [receivable_view(u, ws.today) for u in updated]}


@atomic
def confirm(ws: Workspace, payment_id: str, by: str | None = None) -> dict[str, Any]:
    """Finance confirms a requested payment (财务确认): it is allocated now, against the
    milestones as they stand, and counts from here. The confirmer is the acting user,
    never who requested it; with kam.toml ``[roles]`` they must hold ``finance``."""
    from kam.services import approvals as who_may

    payment = ws.get("payment", payment_id)
    if payment.get("status") != "requested":
        raise RefusedError(f"payment {payment['id']} is already confirmed")
    who = who_may.approver(ws, by)
    who_may.check(ws, who, FINANCE, owners=[payment.get("requested_by")],
                  what=f"payment {payment['id']}")
    contract = ws.get("contract", payment["contract_id"])
    stored = {r["id"]: r for r in of_contract(ws, contract["id"])}
    views = [receivable_view(r, ws.today) for r in stored.values()]
    parts = allocate(views, payment["amount"], ws.today, payment.get("receivable_id"))
    allocations = [{"receivable_id": r["id"], "amount": values.fmt_money(part)}
                   for r, part in parts]
    changes = {"status": "confirmed", "allocations": allocations, "confirmed_by": who,
               "confirmed_on": ws.today}
    with ws.mutation("payment.confirmed", payment["id"],
                     {"by": who, "allocations": allocations,
                      "amount": values.fmt_money(payment["amount"])},
                     refs=[contract["id"], contract["customer_id"]]) as m:
        ws.storage.update("payment", payment["id"], changes)
        updated, fully = _apply(ws, contract, stored, parts, payment["date"], m)
    return _after(ws, {**payment, **changes}, updated, fully, m)


def _tick_advance(ws: Workspace, contract: dict[str, Any]) -> None:
    """The down payment is in: tick 催收预付款 on the opportunity's signing checklist."""
    from kam.services.opportunities import tick_in_mutation

    opp = ws.storage.get("opportunity", contract["opportunity_id"])
    if opp is not None:
        tick_in_mutation(ws, opp, ["negotiation.collect_advance"])


def list_(ws: Workspace, contract: str | None = None, status: str | None = None
          ) -> list[dict[str, Any]]:
    """Payments, oldest first; ``status`` ``requested`` lists those awaiting finance."""
    from kam import vocab

    where: dict[str, Any] = {"contract_id": ws.get("contract", contract)["id"]} \
        if contract else {}
    if status:
        key = vocab.parse("payment_status", status)
        rows = ws.storage.find("payment", where or None, order_by=("date", "id"))
        return [p for p in rows if (p.get("status") or "confirmed") == key]
    return list(ws.storage.find("payment", where or None, order_by=("date", "id")))
