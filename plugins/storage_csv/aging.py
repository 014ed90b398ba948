"""The CSV backend's :class:`kam.storage.AgingSums`: the aging report's (应收账龄) sums of
the milestones that still owe money, added up from the raw cells of receivable.csv.

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
from kam.plugins.storage_csv import reading
from kam.plugins.storage_csv.reading import _money_cents
from kam.storage import Record, Where, kind, split_filter

if TYPE_CHECKING:
    from kam.storage import AgingSum

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
    cells of the file when each filter is a test of a raw cell (reading.raw_test) and no
    transaction holds the milestones, else their records' values written as cells."""
    k = kind("receivable")
    names = list(dict.fromkeys(
        [*AGING_FIELDS, *(split_filter(k, key)[0] for key in where or {})]))
    index = {name: i for i, name in enumerate(names)}
    tests = [reading.raw_test(k, key, want, index) for key, want in (where or {}).items()]
    found = None if any(t is None for t in tests) else s._kind_cells(k, names)
    if found is None:
        return (tuple("" if v is None else str(v) for v in r.values())
                for r in s._read(k, where, AGING_FIELDS, (), None, 0,
                                 texts=("due_date", "written_off_on")))
    width = len(AGING_FIELDS)
    passing = [t for t in tests if t is not None]
    if len(passing) == 1:
        only = passing[0]
        return (cells[:width] for cells in found[1] if only(cells))  # type: ignore[arg-type]
    return (cells[:width] for cells in found[1]
            if all(t(cells) for t in passing))  # type: ignore[arg-type]
