"""Deliveries (发货流程): a request for some of the contract's subject lines (需货申请单),
its review (审核), the outbound (销售出库单) and the customer's confirmation (客户确认单).

The delivery date is the customer's confirmation date, never the day it was typed in.
A request without lines asks for everything still outstanding. When the confirmed
deliveries cover every subject line (or, for a contract without lines, the whole
contract), the contract is delivered on that date and its ``on_delivery`` milestones
fall due, as ``kam contract deliver`` (the one-step path) does. With the contract term
``delivery_milestone=first`` the on-delivery milestones start at the first confirmed
delivery instead (the contract is still delivered only when complete). The outbound
follows the company rule for an overdue advance (款到发货, ``rules.hold_delivery_until_advance``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.models.states import ENDED, SIGNED
from kam.services.common import atomic
from kam.services.contract_evidence import kept_file
from kam.workspace import Workspace

ZERO = Decimal(0)
#: a delivery in these states holds its quantities (a rejected one frees them)
HOLDING = ("requested", "approved", "shipped", "confirmed")


def _qty(text: str) -> str:
    return f"{Decimal(text).normalize():f}"


def ordered(contract: dict[str, Any]) -> dict[str, Decimal]:
    """Quantity per item of the contract's subject lines (标的物)."""
    out: dict[str, Decimal] = {}
    for line in contract.get("lines") or []:
        item = str(line.get("item") or "").strip()
        out[item] = out.get(item, ZERO) + Decimal(str(line.get("quantity") or 0))
    return out


def _sum(deliveries: Sequence[dict[str, Any]], states: Sequence[str]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for d in deliveries:
        if d["status"] in states:
            for line in d.get("lines") or []:
                out[line["item"]] = out.get(line["item"], ZERO) + Decimal(line["quantity"])
    return out


def outstanding(contract: dict[str, Any], deliveries: Sequence[dict[str, Any]]
                ) -> dict[str, Decimal]:
    """What no live delivery holds yet, per item (items with nothing left omitted)."""
    held = _sum(deliveries, HOLDING)
    return {item: q - held.get(item, ZERO) for item, q in ordered(contract).items()
            if q - held.get(item, ZERO) > 0}


def complete(contract: dict[str, Any], deliveries: Sequence[dict[str, Any]]) -> bool:
    """Every subject line confirmed by the customer (a contract without lines: one
    confirmed delivery of the whole)."""
    confirmed = [d for d in deliveries if d["status"] == "confirmed"]
    items = ordered(contract)
    if not items:
        return bool(confirmed)
    got = _sum(confirmed, ("confirmed",))
    return all(got.get(item, ZERO) >= q for item, q in items.items())


def of_contract(ws: Workspace, contract_id: str) -> list[dict[str, Any]]:
    return list(ws.storage.find("delivery", {"contract_id": contract_id}, order_by=("id",)))


def _open_contract(ws: Workspace, contract_id: str) -> dict[str, Any]:
    contract = ws.get("contract", contract_id)
    if contract["status"] not in SIGNED or contract["status"] in ENDED:
        raise RefusedError(f"contract {contract['id']} is {contract['status']}: only a signed "
                           "contract delivers")
    if contract.get("delivered_on"):
        raise RefusedError(f"contract {contract['id']} was delivered in full on "
                           f"{contract['delivered_on']}")
    return contract


def _requested_lines(contract: dict[str, Any], left: dict[str, Decimal],
                     specs: Sequence[str]) -> list[dict[str, str]]:
    """``ITEM=QTY`` or ``ITEM`` (all of it still outstanding); none: everything left."""
    if not specs:
        return [{"item": item, "quantity": _qty(str(q))} for item, q in left.items()]
    items = ordered(contract)
    out: list[dict[str, str]] = []
    for spec in specs:
        item, sep, qty_text = spec.rpartition("=") if "=" in spec else (spec, "", "")
        item = item.strip()
        if item not in items:
            raise InputError(f"--line: {item!r} is not a subject line of contract "
                             f"{contract['id']} ({', '.join(items) or 'it has none'})")
        if any(line["item"] == item for line in out):
            raise InputError(f"--line: {item} is given twice")
        qty = values.number(qty_text, f"--line {spec}") if sep else left.get(item, ZERO)
        if qty <= 0 and sep:
            raise InputError(f"--line {spec}: the quantity must be above 0")
        if qty > left.get(item, ZERO) or qty <= 0:
            raise RefusedError(f"--line {spec}: {_qty(str(left.get(item, ZERO)))} of {item} "
                               "is still to deliver")
        out.append({"item": item, "quantity": _qty(str(qty))})
    return out


def _day(ws: Workspace, date: str | None, after: dt.date | None, what: str) -> dt.date:
    on = values.date(date, "--date") if date else ws.today
    if on > ws.today:
        raise InputError(f"--date: {on} is in the future (today is {ws.today})")
    if after and on < after:
        raise InputError(f"--date: {on} is before {what} ({after})")
    return on


@atomic
def request(ws: Workspace, contract_id: str, lines: Sequence[str] = (),
            note: str | None = None) -> dict[str, Any]:
    """A delivery request (需货申请单) for some subject lines, or all still outstanding."""
    contract = _open_contract(ws, contract_id)
    existing = of_contract(ws, contract["id"])
    left = outstanding(contract, existing)
    if not ordered(contract):
        if lines:
            raise InputError(f"--line: contract {contract['id']} has no subject lines; "
                             "request the whole delivery without --line")
        if any(d["status"] in HOLDING for d in existing):
            raise RefusedError(f"contract {contract['id']} has no subject lines and its "
                               "delivery is already requested")
        wanted: list[dict[str, str]] = []
    else:
        if not left:
            raise RefusedError(f"contract {contract['id']}: every subject line is already "
                               "requested")
        wanted = _requested_lines(contract, left, lines)
    record = {"contract_id": contract["id"], "customer_id": contract["customer_id"],
              "lines": wanted, "status": "requested", "requested_by": ws.actor or None,
              "requested_on": ws.today, "approvals": [], "shipped_on": None,
              "confirmed_on": None, "confirmation": {},
              "note": (note or "").strip() or None, "created_at": ws.now(),
              "updated_at": ws.now()}
    with ws.mutation("delivery.requested", refs=[contract["id"], contract["customer_id"]]) as m:
        record["id"] = ws.storage.next_id("delivery")
        ws.storage.insert("delivery", record)
        m.record_id = record["id"]
        m.payload = {"contract_id": contract["id"], "lines": wanted}
    return record


def _get(ws: Workspace, delivery_id: str, status: str, what: str) -> dict[str, Any]:
    d = ws.get("delivery", delivery_id)
    if d["status"] != status:
        raise RefusedError(f"delivery {d['id']} is {d['status']}: only a {status} delivery "
                           f"can be {what}")
    return d


@atomic
def approve(ws: Workspace, delivery_id: str, by: str | None = None,
            comment: str | None = None, reject: bool = False) -> dict[str, Any]:
    """The review (审核) of a request, by the acting user, never who requested it; a
    rejection frees its quantities."""
    from kam.services.approvals import approver, same_person

    d = _get(ws, delivery_id, "requested", "reviewed")
    who = approver(ws, by)
    if same_person(who, d.get("requested_by")):
        raise RefusedError(f"{who} requested delivery {d['id']} and may not review it "
                           "(separation of duties): another person must decide")
    entry = {"by": who, "on": ws.today.isoformat(), "at": ws.now(),
             "decision": "rejected" if reject else "approved", "comment": comment or ""}
    changes = {"approvals": [*(d.get("approvals") or []), entry],
               "status": "rejected" if reject else "approved", "updated_at": ws.now()}
    kind = "delivery.rejected" if reject else "delivery.approved"
    with ws.mutation(kind, d["id"], entry, refs=[d["contract_id"], d["customer_id"]]):
        ws.storage.update("delivery", d["id"], changes)
    return {**d, **changes}


@atomic
def ship(ws: Workspace, delivery_id: str, date: str | None = None, *, force: bool = False,
         reason: str | None = None) -> dict[str, Any]:
    """The outbound (销售出库单) of an approved request. While a down payment is overdue
    it waits (款到发货) unless ``force`` with a reason, or the company rule is off."""
    from kam.services.contract_lifecycle import _describe, hold_delivery, overdue_advance

    d = _get(ws, delivery_id, "approved", "shipped")
    contract = _open_contract(ws, d["contract_id"])
    reason = (reason or "").strip()
    if force and not reason:
        raise InputError("--reason: a forced outbound needs a reason")
    on = _day(ws, date, contract["signed_on"], "the signing")
    late = overdue_advance(ws, contract, on)
    payload: dict[str, Any] = {"on": on.isoformat()}
    if late:
        what = _describe(contract, late)
        if force:
            payload |= {"forced": True, "reason": reason}
            ws.warnings.append(f"delivery {d['id']} shipped although {what} (forced: {reason})")
        elif hold_delivery(ws):
            raise RefusedError(f"delivery {d['id']}: {what}; the outbound waits for the "
                               "advance (款到发货) — collect it, or pass --force --reason T")
        else:
            ws.warnings.append(f"delivery {d['id']} shipped although {what}")
        payload["overdue"] = {v["id"]: v["days_overdue"] for v in late}
    changes = {"status": "shipped", "shipped_on": on, "updated_at": ws.now()}
    with ws.mutation("delivery.shipped", d["id"], payload,
                     refs=[d["contract_id"], d["customer_id"]]):
        ws.storage.update("delivery", d["id"], changes)
    return {**d, **changes}


@atomic
def confirm(ws: Workspace, delivery_id: str, date: str | None = None,
            attachment: str | None = None) -> dict[str, Any]:
    """The customer's confirmation (客户确认单): its date is the delivery date. The one
    that completes the contract's lines delivers the contract (on-delivery milestones
    fall due); returns the delivery with ``contract_delivered`` and ``due``."""
    from kam.services.contract_lifecycle import _trigger

    d = _get(ws, delivery_id, "shipped", "confirmed")
    contract = _open_contract(ws, d["contract_id"])
    on = _day(ws, date, d["shipped_on"], "the outbound")
    kept = kept_file(attachment, "--attachment") if attachment else {}
    changes = {"status": "confirmed", "confirmed_on": on, "confirmation": kept,
               "updated_at": ws.now()}
    before = of_contract(ws, contract["id"])
    after = [{**x, **changes} if x["id"] == d["id"] else x for x in before]
    full = complete(contract, after)
    first = (str((contract.get("terms") or {}).get("delivery_milestone") or "") == "first"
             and not any(x["status"] == "confirmed" for x in before))
    payload: dict[str, Any] = {"on": on.isoformat(), "contract_id": contract["id"],
                               "lines": d.get("lines") or [], "confirmation": kept or None,
                               "contract_delivered": full}
    started: list[dict[str, Any]] = []
    with ws.mutation("delivery.confirmed", d["id"], payload,
                     refs=[contract["id"], contract["customer_id"],
                           contract["opportunity_id"]]) as m:
        ws.storage.update("delivery", d["id"], changes)
        if full or first:
            started = _trigger(ws, contract, "delivered", on)
            m.refs += [r["id"] for r in started]
            m.payload["due"] = {r["id"]: r["due_date"].isoformat() for r in started}
        if full:
            ws.storage.update("contract", contract["id"],
                              {"delivered_on": on, "status": "executing",
                               "updated_at": ws.now()})
    if full:
        updated = {**contract, "delivered_on": on, "status": "executing"}
        ws.fire("kam_contract_event", contract=updated, action="delivered", event=m.event)
    return {**d, **changes, "contract_delivered": full, "due": started}


def list_(ws: Workspace, contract: str | None = None, status: str | None = None
          ) -> list[dict[str, Any]]:
    from kam import vocab

    where: dict[str, Any] = {}
    if contract:
        where["contract_id"] = ws.get("contract", contract)["id"]
    if status:
        where["status"] = vocab.parse("delivery_status", status)
    return list(ws.storage.find("delivery", where or None, order_by=("id",)))
