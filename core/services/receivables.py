"""Receivables (回款节点): the payment milestones of signed contracts, their state
for a given day, listing and write-off (坏账核销).

:func:`receivable_view` is the one place that decides a milestone's state and
days overdue; reports (aging 账龄, battle map 作战地图) import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.services.common import atomic
from kam.workspace import Workspace

ZERO = Decimal("0.00")
STATES = ("scheduled", "due", "overdue", "partially_paid", "paid", "written_off")
OPEN_STATES = ("scheduled", "due", "overdue", "partially_paid")


def receivable_view(record: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A stored receivable as of ``today``: the receivable JSON of cli.md.

    Pure (no storage, no clock). Returns a new dict with the stored fields plus:

    - ``outstanding`` = amount − paid − written_off (0 once written off);
    - ``days_overdue`` = days from ``due_date`` to ``today`` while something is
      outstanding and the due date has passed, else 0;
    - ``state``, the first that applies:
      ``written_off`` (written off 坏账), ``paid`` (nothing outstanding),
      ``partially_paid`` (some paid, some outstanding — overdue or not: see
      ``days_overdue``), ``overdue`` (due date passed), ``due`` (due date known,
      today or later), ``scheduled`` (trigger not happened yet: no due date).

    Aging buckets use ``outstanding`` and ``days_overdue``: ``not_due`` when
    ``days_overdue == 0``, else 1-30, 31-60, 61-90, 91-180, 180+.
    """
    amount = record.get("amount") or ZERO
    paid = record.get("paid") or ZERO
    written_off = record.get("written_off") or ZERO
    outstanding = amount - paid - written_off
    if outstanding < 0:
        outstanding = ZERO
    due = record.get("due_date")
    if record.get("written_off_on"):
        state, outstanding = "written_off", ZERO
    elif outstanding == 0:
        state = "paid"
    elif paid > 0:
        state = "partially_paid"
    elif due is None:
        state = "scheduled"
    elif due < today:
        state = "overdue"
    else:
        state = "due"
    days = (today - due).days if due is not None and outstanding > 0 and due < today else 0
    return {
        "id": record["id"],
        "contract_id": record["contract_id"],
        "customer_id": record["customer_id"],
        "kind": record["kind"],
        "amount": amount,
        "currency": record.get("currency"),
        "due_date": due,
        "paid": paid,
        "outstanding": outstanding,
        "state": state,
        "days_overdue": days,
        "seq": record.get("seq"),
        "share": record.get("share"),
        "trigger_on": record.get("trigger_on"),
        "paid_on": record.get("paid_on"),
        "written_off": record.get("written_off"),
        "written_off_on": record.get("written_off_on"),
        "written_off_by": record.get("written_off_by"),
        "write_off_reason": record.get("write_off_reason"),
        "due_offset": record.get("due_offset"),
        "created_at": record.get("created_at"),
        "updated_at": record.get("updated_at"),
    }


def views(records: Iterable[dict[str, Any]], today: dt.date) -> list[dict[str, Any]]:
    return [receivable_view(r, today) for r in records]


def of_contract(ws: Workspace, contract_id: str) -> list[dict[str, Any]]:
    """The stored milestones of a contract, in plan order."""
    return list(ws.storage.find("receivable", {"contract_id": contract_id},
                                order_by=("seq",)))


def list_(ws: Workspace, *, overdue: bool = False, customer: str | None = None,
          owner: str | None = None, contract: str | None = None,
          state: str | None = None) -> Iterator[dict[str, Any]]:
    """Milestones as of ``ws.today``; ``--overdue`` keeps those past their due date."""
    where: dict[str, Any] = {}
    if customer:
        where["customer_id"] = ws.get("customer", customer)["id"]
    if contract:
        where["contract_id"] = ws.get("contract", contract)["id"]
    if owner:
        ids = [c["id"] for c in ws.storage.find("contract", {"owner": owner})]
        where["contract_id__in"] = ids
    if overdue:
        where["due_date__lt"] = ws.today
    if state:
        from kam import vocab

        state = vocab.parse("receivable_state", state)
    records = sorted(ws.storage.find("receivable", where),
                     key=lambda r: (r["due_date"] is None, r["due_date"] or ws.today,
                                    r["contract_id"], r["seq"]))
    for record in records:
        view = receivable_view(record, ws.today)
        if overdue and view["days_overdue"] == 0:
            continue
        if state and view["state"] != state:
            continue
        yield view


@atomic
def write_off(ws: Workspace, receivable_id: str, by: str, reason: str) -> dict[str, Any]:
    """Write off what is still outstanding (坏账核销), approved by ``by``, with the reason."""
    if not (by or "").strip():
        raise InputError("--by: who approves the write-off is required")
    if not (reason or "").strip():
        raise InputError("--reason: a write-off needs a reason")
    record = ws.get("receivable", receivable_id)
    view = receivable_view(record, ws.today)
    if view["state"] == "written_off":
        raise RefusedError(f"receivable {record['id']} is already written off")
    if view["outstanding"] <= 0:
        raise RefusedError(f"receivable {record['id']} has nothing outstanding to write off")
    changes = {"written_off": view["outstanding"], "written_off_on": ws.today,
               "written_off_by": by.strip(), "write_off_reason": reason.strip(),
               "updated_at": ws.now()}
    payload = {"amount": values.fmt_money(view["outstanding"]), "currency": record["currency"],
               "by": by.strip(), "reason": reason.strip(),
               "days_overdue": view["days_overdue"]}
    with ws.mutation("receivable.written_off", record["id"], payload,
                     refs=[record["contract_id"], record["customer_id"]]) as m:
        ws.storage.update("receivable", record["id"], changes)
    updated = {**record, **changes}
    ws.fire("kam_receivable_event", receivable=receivable_view(updated, ws.today),
            action="written_off", level=None, event=m.event)
    return receivable_view(updated, ws.today)
