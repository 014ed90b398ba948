"""A payment milestone's state on a given day (回款节点状态): the one place that decides
it, for the receivables and contracts services and for the reports (aging 账龄, battle
map 作战地图, today). Pure: no storage, no clock; states are never stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")
OPEN_STATES = ("scheduled", "due", "overdue", "partially_paid")


def milestone_state(amount: Decimal, paid: Decimal, written_off: Decimal, written_off_on: Any,
                    due: dt.date | None, today: dt.date) -> tuple[str, Decimal, int]:
    """A milestone's (state, outstanding, days overdue) on ``today``, as
    :func:`receivable_view` gives them, from its money (0 for none), whether it was
    written off and its due date: the one rule, also for a backend that makes the views
    from its own cells (``kam.api.milestone_state``)."""
    outstanding = amount - paid - written_off
    if outstanding < 0:
        outstanding = ZERO
    if written_off_on:
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
    return state, outstanding, days


def receivable_view(record: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A stored receivable as of ``today``: the receivable JSON of docs/json.md.

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
    due = record.get("due_date")
    state, outstanding, days = milestone_state(amount, paid, record.get("written_off") or ZERO,
                                               record.get("written_off_on"), due, today)
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
        "written_off_by": record.get("written_off_by") or None,
        "write_off_reason": record.get("write_off_reason") or None,
        "due_offset": record.get("due_offset") or None,  # "" and None alike on every backend
        "collection_notes": list(record.get("collection_notes") or []),
        "created_at": record.get("created_at"),
        "updated_at": record.get("updated_at"),
    }


def latest_note(receivable: dict[str, Any]) -> dict[str, Any] | None:
    """The milestone's latest collection note (催收说明: why it is late, what was
    promised), or None: the last recorded."""
    notes = receivable.get("collection_notes") or []
    return dict(notes[-1]) if notes else None
