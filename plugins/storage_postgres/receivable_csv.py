"""``receivable list -f csv`` rows from one PostgreSQL read (回款节点列表, issue 15), as
SQLite's (plugins/storage_sqlite/receivable_csv.py): each milestone's view (state,
outstanding, days overdue, money as two-place text) computed by the server and handed
out as the row csv.writer writes, in the list's order, so 200k milestones are never
decoded into columns and viewed again. :class:`kam.storage.ReceivableCsvRows` says what
each row holds; tests/test_receivable_csv.py holds it equal to its reference on random
milestones on both databases.

Money is ``NUMERIC(20,2)``: its text is always the two-place text ``str(Decimal)``
prints, so no money is odd here; dates are ``DATE`` (always readable). Only collection
notes that are not a list of objects (their cell is decoded and joined) are left to the
reference (state None). The read is on the table itself, so row-level security filters
it as it filters ``find``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from kam.plugins.storage_postgres.reads import BackendReads
from kam.storage import Where, kind

#: what is left to collect as the view computes it (never below zero); scale 2
_LEFT = ("greatest(coalesce(amount, 0.00) - coalesce(paid, 0.00)"
         " - coalesce(written_off, 0.00), 0.00)")
_OFF = "written_off_on IS NOT NULL"
#: notes the reference decodes and joins (texts, not objects): made by the reference
_ODD = "(collection_notes <> '[]' AND left(collection_notes, 2) <> '[{')"
#: each %s is the day the list is made for (given first, before the filter's)
_STATE = (f"CASE WHEN {_ODD} THEN NULL WHEN {_OFF} THEN 'written_off' WHEN {_LEFT} = 0"
          " THEN 'paid' WHEN coalesce(paid, 0) > 0 THEN 'partially_paid' WHEN due_date IS"
          " NULL THEN 'scheduled' WHEN due_date < %s THEN 'overdue' ELSE 'due' END")
#: the dates of a row, as the server writes them (ISO) or made ISO by ``to_char``
_DATES = ("due_date", "trigger_on", "paid_on", "written_off_on")


def _columns(date: Callable[[str], str]) -> str:
    """The view's fields (``VIEW_FIELDS``' order) as csv cells; ``date`` a date column's
    ISO text."""
    return ", ".join([
        "id", "contract_id", "customer_id", "kind", "coalesce(amount, 0.00)::text",
        "currency", date("due_date"), "coalesce(paid, 0.00)::text",
        f"CASE WHEN {_OFF} THEN '0.00' ELSE ({_LEFT})::text END", _STATE,
        f"CASE WHEN {_OFF} OR {_LEFT} = 0 OR due_date IS NULL OR due_date >= %s THEN 0"
        " ELSE %s - due_date END",
        "seq", "share", date("trigger_on"), date("paid_on"), "written_off::text",
        date("written_off_on"), "written_off_by", "write_off_reason",
        # "+10d" ends in no digit, so is no number: quoted as neutralise quotes it
        "CASE WHEN right(due_offset, 1) = 'd' AND left(due_offset, 1) IN ('+', '-')"
        " THEN '''' || due_offset ELSE due_offset END",
        "CASE WHEN collection_notes = '[]' THEN NULL ELSE collection_notes END",
        "created_at", "updated_at",
    ])


class PostgresReceivableCsv(BackendReads):
    """:class:`kam.storage.ReceivableCsvRows` (mixed into :class:`PostgresStorage`)."""

    def receivable_csv_rows(self, where: Where | None, order_by: Sequence[str],
                            today: dt.date, size: int = 500
                            ) -> Iterator[list[tuple[Any, ...]]]:
        """The milestones ``where`` selects in ``order_by``, ``size`` rows at a time from
        a server cursor (pages of 2,000 held 5 MB more on medium for no less CPU)."""
        as_text, date = self._date_texts()
        columns = _columns(date)
        sql, params = self._sql(kind("receivable"), columns, where, order_by)
        # the day's %s come first (in the columns), the filter's after them
        params = [today] * columns.count("%s") + params
        for _names, rows in self._pages(sql, params, True, size, text_dates=as_text):
            yield rows
