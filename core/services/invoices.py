"""Invoices (开票) per contract or per milestone: number, amount, date. Invoiced
totals never exceed the contract (or the milestone) amount."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.services.common import atomic, dump, validate
from kam.workspace import Workspace

ZERO = Decimal("0.00")


@atomic
def issue(ws: Workspace, contract_id: str, amount: str, number: str, *,
          milestone: str | None = None, date: str | None = None) -> dict[str, Any]:
    from kam.models.contracts import Invoice

    contract = ws.get("contract", contract_id)
    if not contract.get("signed_on"):
        raise RefusedError(f"contract {contract['id']} is not signed: nothing to invoice yet")
    money = values.money(amount, "--amount")
    if money <= 0:
        raise InputError("--amount: must be above 0")
    number = (number or "").strip()
    if not number:
        raise InputError("--number: the invoice number is required")
    if ws.storage.count("invoice", {"number": number}):
        raise InputError(f"--number: invoice {number} is already recorded")
    on = values.date(date, "--date") if date else ws.today
    existing = list(ws.storage.find("invoice", {"contract_id": contract["id"]}))
    invoiced = sum((i["amount"] for i in existing), ZERO)
    if invoiced + money > contract["amount"]:
        raise RefusedError(f"contract {contract['id']}: {values.fmt_money(invoiced)} is "
                           f"invoiced already; {values.fmt_money(money)} more would exceed "
                           f"the amount {values.fmt_money(contract['amount'])}")
    receivable_id = None
    if milestone:
        rc = ws.get("receivable", milestone)
        if rc["contract_id"] != contract["id"]:
            raise InputError(f"--milestone: {rc['id']} belongs to {rc['contract_id']}")
        on_rc = sum((i["amount"] for i in existing if i.get("receivable_id") == rc["id"]), ZERO)
        if on_rc + money > rc["amount"]:
            raise RefusedError(f"milestone {rc['id']}: {values.fmt_money(on_rc)} is invoiced "
                               f"already; {values.fmt_money(money)} more would exceed its "
                               f"amount {values.fmt_money(rc['amount'])}")
        receivable_id = rc["id"]
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


def list_(ws: Workspace, contract: str | None = None) -> list[dict[str, Any]]:
    where = {"contract_id": ws.get("contract", contract)["id"]} if contract else None
    return list(ws.storage.find("invoice", where, order_by=("date", "id")))
