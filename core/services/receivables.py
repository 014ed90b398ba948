"""Receivables (回款节点): the payment milestones of signed contracts, listed with
their state for a given day, and written off (坏账核销).

A milestone's state and days overdue are decided in one place,
:func:`kam.models.receivable_state.receivable_view`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.models.receivable_state import receivable_view
from kam.services.common import atomic
from kam.workspace import Workspace

Page = tuple[list[str], list[Sequence[Any]]]


def of_contract(ws: Workspace, contract_id: str) -> list[dict[str, Any]]:
    """The stored milestones of a contract, in plan order."""
    return list(ws.storage.find("receivable", {"contract_id": contract_id},
                                order_by=("seq",)))


def list_(ws: Workspace, *, overdue: bool = False, customer: str | None = None,
          owner: str | None = None, contract: str | None = None,
          state: str | None = None, member: str | None = None,
          fields: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """Milestones as of ``ws.today``; ``--overdue`` keeps those past their due date;
    ``member``: of the contracts a user owns or whose deal they work on (铁三角);
    ``fields``: at least those of the view (a table's columns) are wanted."""
    where: dict[str, Any] = {}
    if customer:
        where["customer_id"] = ws.get("customer", customer)["id"]
    if contract:
        where["contract_id"] = ws.get("contract", contract)["id"]
    if owner:
        ids = [c["id"] for c in ws.storage.find("contract", {"owner": owner})]
        where["contract_id__in"] = ids
    if member:
        from kam.models.deal_team import worked_by

        mine = worked_by(ws, member, "contract")["id__in"]
        if "contract_id__in" in where:
            owned = set(where["contract_id__in"])
            mine = [i for i in mine if i in owned]
        where["contract_id__in"] = mine
    if overdue:
        where["due_date__lt"] = ws.today
    if state:
        from kam import vocab

        state = vocab.parse("receivable_state", state)
    # by due date, then contract and plan order; undated milestones last. Two ordered
    # reads rather than one sort, so 200k milestones stream instead of being held
    reads = (({**where, "due_date__isnull": False}, ("due_date", "contract_id", "seq")),
             ({**where, "due_date__isnull": True}, ("contract_id", "seq")))
    today = ws.today

    def views() -> Iterator[dict[str, Any]]:
        for w, order in reads:
            for record in ws.storage.find("receivable", w, order_by=order):
                view = receivable_view(record, today)
                if overdue and view["days_overdue"] == 0:
                    continue
                if state and view["state"] != state:
                    continue
                yield view

    from kam.storage import ColumnReads, ReceivableCsvRows, RecordPages, StoredTextPages

    storage = ws.storage
    if not isinstance(storage, ColumnReads):
        return views()
    from kam.services.receivable_pages import stored_fields, view_pages

    read = stored_fields(fields)

    def keep(states: list[str], days: list[int]) -> Iterable[bool]:
        if overdue and state:
            return [d != 0 and s == state for s, d in zip(states, days, strict=True)]
        if overdue:
            return [d != 0 for d in days]
        return [s == state for s in states]

    shown = keep if overdue or state else None

    def built(page_reads: Callable[..., Iterator[Any]]) -> Callable[[], Iterator[Page]]:
        """Pages of the view built a column at a time from one of the backend's page
        reads (decoded columns, or json and dates as their stored text)."""
        return lambda: view_pages(itertools.chain.from_iterable(
            page_reads("receivable", read, w, order) for w, order in reads), today, shown)

    pages = built(storage.column_pages)  # csv and table
    text_pages = (built(storage.stored_text_pages) if isinstance(storage, StoredTextPages)
                  else None)

    csv_text = None
    if isinstance(storage, ReceivableCsvRows):
        fast = storage

        def csv_text() -> Iterator[str]:
            from kam.services.receivable_pages import csv_text

            return csv_text(fast, storage, reads, today, overdue, state)

    return RecordPages(pages, views, text_pages, csv_text)


@atomic
def note(ws: Workspace, receivable_id: str, reason: str, promised: str | None = None,
         text: str | None = None) -> dict[str, Any]:
    """A collection note (催收说明) on a milestone with money outstanding: why it is late
    (003's reasons), the date the customer promised to pay, and a remark."""
    from kam import vocab

    record = ws.get("receivable", receivable_id)
    key = vocab.parse("collection_reason", reason)
    view = receivable_view(record, ws.today)
    if view["outstanding"] <= 0:
        raise RefusedError(f"receivable {record['id']} is {view['state']}: nothing to collect")
    day = values.date(promised, "--promised") if promised else None
    if day is not None and day < ws.today:
        raise InputError(f"--promised: {day} is in the past (today is {ws.today})")
    entry = {"reason": key, "promised": day.isoformat() if day else None,
             "note": (text or "").strip() or None, "on": ws.today.isoformat(), "by": ws.actor}
    notes = list(record.get("collection_notes") or []) + [entry]
    with ws.mutation("receivable.noted", record["id"], entry,
                     refs=[record["contract_id"], record["customer_id"]]):
        ws.storage.update("receivable", record["id"],
                          {"collection_notes": notes, "updated_at": ws.now()})
    return receivable_view({**record, "collection_notes": notes}, ws.today)


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
