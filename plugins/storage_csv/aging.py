"""The CSV backend's :class:`kam.storage.AgingSums` and :class:`~kam.storage.MilestoneViews`:
the aging report's (应收账龄) sums of the milestones that still owe money, and the battle
map's (作战地图) milestone views, made from the raw cells of receivable.csv.

The reference (kam.reports.aging_sums.reference over PythonAggregates) builds each of
medium's 20k milestones as a record of ten converted fields (money as Decimal, dates as
dates), makes its whole view (receivable_view) and groups every one, the paid half too.
Here a row's cells are tested as text first (written off: nothing owed), its money is
added up in cents and only the milestones owing money are grouped, with each due date's
aging bucket worked out once. State, outstanding and days overdue exactly as
:func:`kam.models.receivable_state.receivable_view` gives them (tests/test_aging_sums.py
checks the sums equal the reference's on random milestones, on both CSV handles).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from kam.kinds import Kind
from kam.plugins.storage_csv.cells import _id_key
from kam.plugins.storage_csv.reading import _json_value, _money_cents, _money_value
from kam.plugins.storage_csv.summaries import raw_cells
from kam.storage import Record, Where, kind

if TYPE_CHECKING:
    from kam.storage import AgingSum, MilestoneView

_ZERO = Decimal("0.00")


#: a milestone's cells the sums read (the filters' columns follow)
AGING_FIELDS = ("contract_id", "customer_id", "currency", "due_date", "amount", "paid",
                "written_off", "written_off_on")


class AgingReads(Protocol):
    def select(self, kind: str, fields: list[str], where: dict[str, Any] | None = None,
               order_by: tuple[str, ...] = ("id",), distinct: bool = False,
               limit: int | None = None) -> Iterator[Record]: ...

    def _kind_cells(self, k: Kind, names: Sequence[str]
                    ) -> tuple[bool, Iterator[tuple[str, ...]]] | None: ...

    def _read(self, k: Kind, where: Where | None, fields: Sequence[str] | None,
              order_by: Sequence[str], limit: int | None, offset: int,
              texts: Sequence[str] = ()) -> Iterator[Record]: ...


def aging_sums(s: AgingReads, as_of: dt.date, ends: Sequence[int],
               where: Where | None = None, contract_where: Where | None = None
               ) -> Iterator[AgingSum]:
    owners = {c["id"]: c["owner"] or "" for c in s.select(
        "contract", ["id", "owner"], dict(contract_where or {}), ())}
    today = as_of.isoformat()
    buckets: dict[str, int] = {}  # a due date's text: its bucket when overdue

    def bucket(due: str) -> int:
        found = buckets.get(due)
        if found is None:
            days = (as_of - dt.date.fromisoformat(due)).days
            found = buckets[due] = next(
                (n for n, end in enumerate(ends, start=1) if days <= end), len(ends) + 1)
        return found

    sums: dict[tuple[Any, str, str, int], int] = {}
    cents = _money_cents
    for contract_id, customer_id, currency, due, amount, paid, off, off_on in _cells(
            s, where):
        if off_on or (paid == amount and not off):  # written off, or paid: owes 0
            continue
        owner = owners.get(contract_id)
        if owner is None:  # not a selected contract's
            continue
        owed = ((cents(amount) if amount else 0) - (cents(paid) if paid else 0)
                - (cents(off) if off else 0))
        if owed <= 0:
            continue
        key = (customer_id or None, owner, currency,
               bucket(due) if due and due < today else 0)
        sums[key] = sums.get(key, 0) + owed
    return iter([(*key, Decimal(cents).scaleb(-2)) for key, cents in sums.items()])


def _cells(s: AgingReads, where: Where | None) -> Iterator[tuple[str, ...]]:
    """AGING_FIELDS' cells ("" for none) of the milestones ``where`` selects: the raw
    cells of the file when it can (_raw_rows), else their records' values written as
    cells."""
    k = kind("receivable")
    found = _raw_rows(s, k, AGING_FIELDS, where)
    if found is None:
        return (tuple("" if v is None else str(v) for v in r.values())
                for r in s._read(k, where, AGING_FIELDS, (), None, 0,
                                 texts=("due_date", "written_off_on")))
    return found


#: a milestone's cells the battle map's views read (the filters' columns follow)
VIEW_CELLS = ("id", "contract_id", "seq", "kind", "share", "amount", "due_date", "paid",
              "written_off", "written_off_on", "collection_notes")


def milestone_views(s: AgingReads, as_of: dt.date, where: Where | None = None
                    ) -> Iterator[MilestoneView]:
    """kam.storage.MilestoneViews: from the raw cells when each filter is a test of a
    raw cell and no transaction holds the milestones — only the view's eleven values
    are made of each (the reference builds a record and its whole view: ~25 values) —
    else from the records' values written as cells. State, outstanding and days overdue
    by kam's one rule (``kam.api.milestone_state``, which receivable_view applies)."""
    from kam.api import milestone_state as state_of

    k = kind("receivable")
    found = _raw_rows(s, k, VIEW_CELLS, where)
    if found is None:  # the records' values written as cells
        found = (tuple("" if v is None else str(v) for v in r.values())
                 for r in s._read(k, where, VIEW_CELLS, (), None, 0,
                                  texts=("due_date", "written_off_on", "collection_notes")))
    rows = sorted(found, key=_plan_order)
    dated = dt.date.fromisoformat
    for (_id, cid, seq, kind_, share, amount_t, due_t, paid_t, off_t, off_on,
         notes) in rows:
        amount = _money_value(amount_t) if amount_t else _ZERO
        paid = _money_value(paid_t) if paid_t else _ZERO
        due = dated(due_t) if due_t else None
        state, outstanding, days = state_of(
            amount, paid, _money_value(off_t) if off_t else _ZERO, off_on, due, as_of)
        note = _json_value(notes) if notes else None
        yield (cid or None,  # type: ignore[misc]  # as the records have it: "" is None
               int(seq) if seq else None, kind_ or None, share or None, amount, due, paid,
               outstanding, state, days, dict(note[-1]) if note else None)


def _plan_order(cells: tuple[str, ...]) -> tuple[Any, ...]:
    """(contract id, seq, id) as the records sort: an empty value first, ids by number."""
    cid, seq = cells[1], cells[2]
    return (cid != "", cid, seq != "", int(seq) if seq else 0, _id_key(cells[0]))


def _raw_rows(s: AgingReads, k: Kind, fields: Sequence[str], where: Where | None
              ) -> Iterator[tuple[str, ...]] | None:
    """``fields``' cells of the rows ``where`` selects (summaries.raw_cells), or None."""
    found = raw_cells(s, k, fields, where)
    return None if found is None else found[1]
