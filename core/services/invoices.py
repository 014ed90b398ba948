"""Invoices (开票) per contract or per milestone: number, amount, date. Invoiced
totals never exceed the contract (or the milestone) amount.

With kam.toml ``finance.approve_invoices`` an invoice is first requested (开票申请单,
``kam invoice request``) and issued when finance approves it with its number
(``kam invoice approve``); a request holds its amount against the limits, counts as
invoiced only once issued, and a rejection frees it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.services.common import atomic, dump, validate
from kam.workspace import Workspace

ZERO = Decimal("0.00")
#: the role that approves and issues a requested invoice (财务)
FINANCE = "finance"


def two_step(ws: Workspace) -> bool:
    """kam.toml ``[finance] approve_invoices`` (default false)."""
    return bool((ws.config.get("finance") or {}).get("approve_invoices", False))


def _number(ws: Workspace, number: str | None) -> str:
    number = (number or "").strip()
    if not number:
        raise InputError("--number: the invoice number is required")
    if ws.storage.count("invoice", {"number": number}):
        raise InputError(f"--number: invoice {number} is already recorded")
    return number


def _checked(ws: Workspace, contract: dict[str, Any], amount: str,
             milestone: str | None) -> tuple[Decimal, str | None]:
    """The amount, within what is left to invoice of the contract (and the milestone);
    requests waiting count against it, rejected ones do not."""
    if not contract.get("signed_on"):
        raise RefusedError(f"contract {contract['id']} is not signed: nothing to invoice yet")
    money = values.money(amount, "--amount")
    if money <= 0:
        raise InputError("--amount: must be above 0")
    existing = [i for i in ws.storage.find("invoice", {"contract_id": contract["id"]})
                if i.get("status") != "rejected"]
    invoiced = sum((i["amount"] for i in existing), ZERO)
    if invoiced + money > contract["amount"]:
        raise RefusedError(f"contract {contract['id']}: {values.fmt_money(invoiced)} is "
                           f"invoiced already; {values.fmt_money(money)} more would exceed "
                           f"the amount {values.fmt_money(contract['amount'])}")
    if not milestone:
        return money, None
    rc = ws.get("receivable", milestone)
    if rc["contract_id"] != contract["id"]:
        raise InputError(f"--milestone: {rc['id']} belongs to {rc['contract_id']}")
    on_rc = sum((i["amount"] for i in existing if i.get("receivable_id") == rc["id"]), ZERO)
    if on_rc + money > rc["amount"]:
        raise RefusedError(f"milestone {rc['id']}: {values.fmt_money(on_rc)} is invoiced "
                           f"already; {values.fmt_money(money)} more would exceed its "
                           f"amount {values.fmt_money(rc['amount'])}")
    return money, rc["id"]


@atomic
def issue(ws: Workspace, contract_id: str, amount: str, number: str, *,
          milestone: str | None = None, date: str | None = None) -> dict[str, Any]:
    from kam.models.contracts import Invoice

    contract = ws.get("contract", contract_id)
    if two_step(ws):
        raise RefusedError("invoices are requested and approved here (kam.toml "
                           f"finance.approve_invoices): kam invoice request {contract['id']} "
                           "--amount A, then finance runs kam invoice approve")
    money, receivable_id = _checked(ws, contract, amount, milestone)
    number = _number(ws, number)
    on = values.date(date, "--date") if date else ws.today
    record = dump(validate(Invoice, {
        "id": "IV0", "contract_id": contract["id"], "customer_id": contract["customer_id"],
        "receivable_id": receivable_id, "number": number, "amount": money,
        "currency": contract["currency"], "date": on, "created_at": ws.now()}))
    with ws.mutation("invoice.issued", refs=[contract["id"], contract["customer_id"],
                                             receivable_id or ""]) as m:
        record["id"] = ws.storage.next_id("invoice")
        ws.storage.insert("invoice", record)
        m.record_id = record["id"]
        m.payload = {"number": number, "amount": values.fmt_money(money),
                     "currency": contract["currency"], "receivable_id": receivable_id}
    return record


@atomic
def request(ws: Workspace, contract_id: str, amount: str, *, milestone: str | None = None
            ) -> dict[str, Any]:
    """Ask for an invoice (开票申请单); finance issues it with ``approve``."""
    from kam.models.contracts import Invoice

    contract = ws.get("contract", contract_id)
    money, receivable_id = _checked(ws, contract, amount, milestone)
    record = dump(validate(Invoice, {
        "id": "IV0", "contract_id": contract["id"], "customer_id": contract["customer_id"],
        "receivable_id": receivable_id, "number": None, "amount": money,
        "currency": contract["currency"], "date": ws.today, "created_at": ws.now(),
        "status": "requested", "requested_by": ws.actor or None, "approvals": []}))
    with ws.mutation("invoice.requested", refs=[contract["id"], contract["customer_id"],
                                                receivable_id or ""]) as m:
        record["id"] = ws.storage.next_id("invoice")
        ws.storage.insert("invoice", record)
        m.record_id = record["id"]
        m.payload = {"amount": values.fmt_money(money), "currency": contract["currency"],
                     "receivable_id": receivable_id}
    return record


@atomic
def approve(ws: Workspace, invoice_id: str, number: str | None = None, *,
            date: str | None = None, by: str | None = None, comment: str | None = None,
            reject: bool = False) -> dict[str, Any]:
    """Finance approves a requested invoice and issues it under ``number`` (dated
    ``date``, default today), or rejects it; never the requester, and with kam.toml
    ``[roles]`` only a holder of ``finance``."""
    from kam.services import approvals as who_may

    invoice = ws.get("invoice", invoice_id)
    if invoice.get("status") != "requested":
        raise RefusedError(f"invoice {invoice['id']} is {invoice.get('status') or 'issued'}: "
                           "only a requested invoice is approved")
    who = who_may.approver(ws, by)
    who_may.check(ws, who, FINANCE, owners=[invoice.get("requested_by")],
                  what=f"invoice request {invoice['id']}")
    entry = {"by": who, "role": FINANCE, "on": ws.today.isoformat(), "at": ws.now(),
             "decision": "rejected" if reject else "approved", "comment": comment or ""}
    changes: dict[str, Any] = {"approvals": [*(invoice.get("approvals") or []), entry],
                               "status": "rejected" if reject else "issued"}
    if not reject:
        changes["number"] = _number(ws, number)
        on = values.date(date, "--date") if date else ws.today
        if on > ws.today:
            raise InputError(f"--date: {on} is in the future (today is {ws.today})")
        changes["date"] = on
    kind = "invoice.rejected" if reject else "invoice.issued"
    payload = {"approval": entry, "amount": values.fmt_money(invoice["amount"]),
               "currency": invoice["currency"], "receivable_id": invoice.get("receivable_id"),
               "number": changes.get("number")}
    with ws.mutation(kind, invoice["id"], payload,
                     refs=[invoice["contract_id"], invoice["customer_id"],
                           invoice.get("receivable_id") or ""]):
        ws.storage.update("invoice", invoice["id"], changes)
    return {**invoice, **changes}


def list_(ws: Workspace, contract: str | None = None) -> list[dict[str, Any]]:
    where = {"contract_id": ws.get("contract", contract)["id"]} if contract else None
    return list(ws.storage.find("invoice", where, order_by=("date", "id")))
