"""Contract changes (合同变更): an amendment with amount delta, reason and approval;
the open payment milestones are re-balanced, never silently."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.models.states import ENDED, UNSIGNED
from kam.services import contract_plan as plans
from kam.services.common import atomic
from kam.services.contract_reading import get, milestones, required_roles
from kam.workspace import Workspace


@atomic
def amend(ws: Workspace, contract_id: str, delta: str, reason: str) -> dict[str, Any]:
    """Change the amount (合同变更) by ``delta`` with a reason; never silently.

    Unsigned: the amount changes and the contract goes back to draft. Signed: the
    open milestones are re-balanced (paid ones keep their amounts); when the rule
    requires approval the amendment waits, pending, for ``contract approve``.
    Returns ``{"contract", "pending", "roles"}``.
    """
    contract = get(ws, contract_id)
    if contract["status"] in ENDED:
        raise RefusedError(f"contract {contract['id']} is {contract['status']}: it cannot be "
                           "amended")
    if not (reason or "").strip():
        raise InputError("--reason: an amendment needs a reason")
    change = values.money(delta, "--delta", allow_negative=True)
    if change == 0:
        raise InputError("--delta: must not be 0")
    new_amount = contract["amount"] + change
    if new_amount <= 0:
        raise InputError(f"--delta: the amount would become {values.fmt_money(new_amount)}")
    if contract.get("pending_amendment"):
        raise RefusedError(f"contract {contract['id']} already has an amendment waiting for "
                           "approval")
    version = (contract.get("version") or 0) + 1
    request = {"version": version, "delta": values.fmt_money(change),
               "amount_before": values.fmt_money(contract["amount"]),
               "amount_after": values.fmt_money(new_amount), "reason": reason.strip(),
               "by": ws.actor, "on": ws.today.isoformat()}
    refs = [contract["opportunity_id"], contract["customer_id"]]
    if contract["status"] in UNSIGNED:
        plans.split(contract["plan"], new_amount)
        changes = {"amount": new_amount, "version": version, "status": "draft",
                   "amendments": list(contract.get("amendments") or []) + [request],
                   "updated_at": ws.now()}
        with ws.mutation("contract.amended", contract["id"], request, refs=refs) as m:
            ws.storage.update("contract", contract["id"], changes)
        updated = {**contract, **changes}
        ws.fire("kam_contract_event", contract=updated, action="amended", event=m.event)
        return {"contract": updated, "pending": False, "roles": []}
    probe = {**contract, "amount": new_amount, "version": version,
             "pending_amendment": request}
    changes = amendment_changes(ws, probe, request)  # validates the re-balance first
    roles = required_roles(ws, probe)
    if roles:
        pending = request | {"roles": roles}
        changes = {"pending_amendment": pending, "updated_at": ws.now()}
        with ws.mutation("contract.amendment_requested", contract["id"], pending, refs=refs):
            ws.storage.update("contract", contract["id"], changes)
        return {"contract": {**contract, **changes}, "pending": True, "roles": roles}
    refs += [r["id"] for r in changes["_receivables"]]
    with ws.mutation("contract.amended", contract["id"], request, refs=refs) as m:
        write_rebalance(ws, changes.pop("_receivables"))
        ws.storage.update("contract", contract["id"], changes)
    updated = {**contract, **changes}
    ws.fire("kam_contract_event", contract=updated, action="amended", event=m.event)
    return {"contract": updated, "pending": False, "roles": []}


def amendment_changes(ws: Workspace, contract: dict[str, Any], request: dict[str, Any]
                       ) -> dict[str, Any]:
    """Contract changes and re-balanced milestones for applying ``request``."""
    rows = milestones(ws, contract)
    amounts = [r["amount"] for r in rows]
    locked = [(r.get("paid") or 0) > 0 or bool(r.get("written_off_on")) for r in rows]
    new = plans.rebalance(amounts, locked, Decimal(request["delta"]))
    _refuse_below_taken(ws, contract, rows, new, Decimal(request["amount_after"]))
    applied = {k: v for k, v in request.items() if k != "roles"}
    applied["milestones"] = {r["id"]: [values.fmt_money(a), values.fmt_money(b)]
                             for r, a, b in zip(rows, amounts, new, strict=True) if a != b}
    return {
        "amount": Decimal(request["amount_after"]), "version": request["version"],
        "pending_amendment": None, "updated_at": ws.now(),
        "amendments": list(contract.get("amendments") or []) + [applied],
        "_receivables": [{"id": r["id"], "amount": b, "updated_at": ws.now()}
                         for r, a, b in zip(rows, amounts, new, strict=True) if a != b],
    }


def _refuse_below_taken(ws: Workspace, contract: dict[str, Any], rows: list[dict[str, Any]],
                        new: list[Decimal], new_amount: Decimal) -> None:
    """Refuse a re-balance that leaves a milestone below what was invoiced or paid on it
    (or the contract below what was invoiced on it): 开出的发票、收到的钱不能超过节点金额."""
    zero = Decimal("0.00")
    invoiced: dict[str | None, Decimal] = {}
    for i in ws.storage.find("invoice", {"contract_id": contract["id"]}, order_by=()):
        if i.get("status") == "rejected":
            continue
        key = i.get("receivable_id") or None
        invoiced[key] = invoiced.get(key, zero) + i["amount"]
    for r, amount in zip(rows, new, strict=True):
        label = f"milestone {r['id']} ({r['kind']})"
        paid = (r.get("paid") or zero) + (r.get("written_off") or zero)
        if paid > amount:
            raise RefusedError(f"{label}: the amendment would leave it at "
                               f"{values.fmt_money(amount)}, below the "
                               f"{values.fmt_money(paid)} paid or written off on it")
        billed = invoiced.get(r["id"], zero)
        if billed > amount:
            raise RefusedError(f"{label}: the amendment would leave it at "
                               f"{values.fmt_money(amount)}, below the "
                               f"{values.fmt_money(billed)} invoiced on it")
    total = sum(invoiced.values(), zero)
    if total > new_amount:
        raise RefusedError(f"contract {contract['id']}: the amendment would leave the amount "
                           f"at {values.fmt_money(new_amount)}, below the "
                           f"{values.fmt_money(total)} invoiced on it")


def write_rebalance(ws: Workspace, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        ws.storage.update("receivable", row["id"], {k: v for k, v in row.items() if k != "id"})
