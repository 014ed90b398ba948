"""Complaints (投诉): what a customer complained of, the reply to the customer, and
escalation until closed.

A complaint is open until closed, and closes only after a reply (答复) was recorded.
Whom it is escalated to is a rule (hook ``kam_escalate_complaint``; the standard rules
send a serious one to the vice president): asked when it is added and by ``kam check``
while it is open, and recorded once — a complaint is never escalated twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.services.common import atomic, clean_changes, dump, validate
from kam.services.service import in_declared_order
from kam.storage import scope
from kam.text import check as check_text
from kam.workspace import Workspace

#: the statuses of a complaint not yet closed
OPEN = ("open", "replied", "escalated")


def escalation(ws: Workspace, complaint: dict[str, Any]) -> str | None:
    """Whom the rules escalate ``complaint`` to (the first name any plugin returns)."""
    names = ws.plugins.collect("kam_escalate_complaint", ws=ws, complaint=complaint)
    return next((str(n).strip() for n in names if str(n).strip()), None)


def _day(ws: Workspace, date: str | None) -> dt.date:
    return values.date(date, "--date") if date else ws.today


@atomic
def add(ws: Workspace, customer_id: str, *, severity: str, note: str,
        owner: str | None = None, contract: str | None = None,
        date: str | None = None) -> dict[str, Any]:
    """File a complaint; a serious one (by the rules) is escalated at once."""
    from kam.models.service import Complaint

    customer = ws.get("customer", customer_id.strip())
    contract_id = None
    if contract:
        found = ws.get("contract", contract.strip())
        if found["customer_id"] != customer["id"]:
            raise InputError(f"--contract: {found['id']} is a contract of "
                             f"{found['customer_id']}, not of {customer['id']}")
        contract_id = found["id"]
    now = ws.now()
    draft = dump(validate(Complaint, {
        "id": "CP0", "customer_id": customer["id"], "contract_id": contract_id,
        "severity": severity, "note": note, "owner": owner or customer.get("owner") or ws.actor,
        "date": _day(ws, date), "status": "open", "created_at": now, "updated_at": now,
    }))
    to = escalation(ws, draft)
    if to:
        draft |= {"status": "escalated", "escalated_to": to, "escalated_on": ws.today}
    with ws.mutation("complaint.added", refs=[customer["id"], contract_id or ""]) as m:
        record = in_declared_order("complaint",
                                   draft | {"id": ws.storage.next_id("complaint")})
        ws.storage.insert("complaint", record)
        m.record_id = record["id"]
        m.payload = {"severity": record["severity"], "owner": record["owner"],
                     "date": record["date"].isoformat(),
                     **clean_changes({"escalated_to": record.get("escalated_to")})}
    ws.fire("kam_complaint_event", complaint=record, action="added", event=m.event)
    return record


def _open_one(ws: Workspace, complaint_id: str, action: str) -> dict[str, Any]:
    record = ws.get("complaint", complaint_id.strip())
    if record.get("status") == "closed":
        raise RefusedError(f"complaint {record['id']} was closed on {record.get('closed_on')}: "
                           f"nothing to {action}")
    return record


def _change(ws: Workspace, record: dict[str, Any], action: str, changes: dict[str, Any],
            payload: dict[str, Any]) -> dict[str, Any]:
    changes = changes | {"updated_at": ws.now()}
    with ws.mutation(f"complaint.{action}", record["id"], payload,
                     refs=[record["customer_id"], record.get("contract_id") or ""]) as m:
        ws.storage.update("complaint", record["id"], changes)
    updated = record | changes
    ws.fire("kam_complaint_event", complaint=updated, action=action, event=m.event)
    return updated


@atomic
def reply(ws: Workspace, complaint_id: str, note: str | None,
          date: str | None = None) -> dict[str, Any]:
    """Record the reply to the customer (答复); a complaint closes only after one."""
    record = _open_one(ws, complaint_id, "reply to")
    text = (note or "").strip()
    if not text:
        raise InputError("--note: say what was replied to the customer")
    check_text(text, "--note")
    when = _day(ws, date)
    if when < record["date"]:
        raise InputError(f"--date: {when} is before the complaint ({record['date']})")
    changes = {"reply": text, "replied_on": when, "status": "replied"}
    return _change(ws, record, "replied", changes, {"replied_on": when.isoformat()})


@atomic
def escalate(ws: Workspace, complaint_id: str, note: str | None = None, to: str | None = None,
             date: str | None = None) -> dict[str, Any]:
    """Escalate by hand: to ``to``, else whom the rules name. Never twice."""
    record = _open_one(ws, complaint_id, "escalate")
    if record.get("escalated_to"):
        raise RefusedError(f"complaint {record['id']} was escalated already, to "
                           f"{record['escalated_to']} on {record.get('escalated_on')}")
    who = (to or "").strip() or escalation(ws, record)
    if not who:
        raise InputError(f"--to: the rules escalate {record['id']} ({record['severity']}) to "
                         "nobody; name whom to escalate it to")
    when = _day(ws, date)
    if when < record["date"]:
        raise InputError(f"--date: {when} is before the complaint ({record['date']})")
    return _change(ws, record, "escalated",
                   {"escalated_to": who, "escalated_on": when, "status": "escalated"},
                   {"to": who, "by_rule": False, **clean_changes({"note": note})})


@atomic
def close(ws: Workspace, complaint_id: str, note: str | None = None,
          date: str | None = None) -> dict[str, Any]:
    """Close a complaint: refused until the customer had a reply."""
    record = _open_one(ws, complaint_id, "close")
    if not record.get("reply"):
        raise RefusedError(f"complaint {record['id']} has no reply yet: reply to the customer "
                           f"first (kam complaint reply {record['id']} --note ...)")
    when = _day(ws, date)
    if record.get("replied_on") and when < record["replied_on"]:
        raise InputError(f"--date: {when} is before the reply ({record['replied_on']})")
    return _change(ws, record, "closed", {"closed_on": when, "status": "closed"},
                   {"closed_on": when.isoformat(), **clean_changes({"note": note})})


def escalate_due(ws: Workspace, preview: bool = False) -> list[dict[str, Any]]:
    """For ``kam check``: escalate each open complaint the rules now send to someone and
    that was never escalated (once; in a preview, only say so)."""
    out = []
    for record in ws.storage.find("complaint", {"status__in": list(OPEN)}, order_by=("id",)):
        if record.get("escalated_to"):
            continue
        who = escalation(ws, record)
        if not who:
            continue
        if not preview:
            record = _change(ws, record, "escalated",
                             {"escalated_to": who, "escalated_on": ws.today,
                              "status": "escalated"}, {"to": who, "by_rule": True})
        out.append({"complaint_id": record["id"], "customer_id": record["customer_id"],
                    "severity": record["severity"], "owner": record.get("owner"),
                    "escalated_to": who})
    return out


def list_(ws: Workspace, *, open_only: bool = False, owner: str | None = None,
          customer: str | None = None, limit: int | None = None) -> Iterator[dict[str, Any]]:
    where: dict[str, Any] = scope(owner=owner, customer=customer)
    if open_only:
        where["status__in"] = list(OPEN)
    return ws.storage.find("complaint", where, order_by=("date", "id"), limit=limit)
