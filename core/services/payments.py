"""Payments (回款) against a contract, allocated to its milestones: the named one,
else the oldest due first (then the not-yet-due ones in plan order). Paying more
than is outstanding is refused."""

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


@atomic
def record(ws: Workspace, contract_id: str, amount: str, *, date: str | None = None,
           milestone: str | None = None, ref: str | None = None,
           note: str | None = None) -> dict[str, Any]:
    """Record cash received and allocate it; returns the payment with its allocations."""
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
    with ws.mutation("payment.recorded", refs=[contract["id"], contract["customer_id"]]) as m:
        payment["id"] = ws.storage.next_id("payment")
        ws.storage.insert("payment", payment)
        for u in updated:
            ws.storage.update("receivable", u["id"], {k: u[k] for k in ("paid", "updated_at")}
                              | ({"paid_on": u["paid_on"]} if "paid_on" in u else {}))
            m.refs.append(u["id"])
        if any(u["kind"] == "down_payment" for u in fully):
            _tick_advance(ws, contract)
        m.record_id = payment["id"]
        m.payload = {"amount": values.fmt_money(money), "currency": contract["currency"],
                     "date": on.isoformat(), "ref": payment["ref"],
                     "allocations": allocations}
    for u in fully:
        ws.fire("kam_receivable_event", receivable=receivable_view(u, ws.today),
                action="paid", level=None, event=m.event)
    return payment | {"milestones": [receivable_view(u, ws.today) for u in updated]}


def _tick_advance(ws: Workspace, contract: dict[str, Any]) -> None:
    """The down payment is in: tick 催收预付款 on the opportunity's signing checklist."""
    from kam.services.opportunities import tick_in_mutation

    opp = ws.storage.get("opportunity", contract["opportunity_id"])
    if opp is not None:
        tick_in_mutation(ws, opp, ["negotiation.collect_advance"])


def list_(ws: Workspace, contract: str | None = None) -> list[dict[str, Any]]:
    where = {"contract_id": ws.get("contract", contract)["id"]} if contract else None
    return list(ws.storage.find("payment", where, order_by=("date", "id")))
