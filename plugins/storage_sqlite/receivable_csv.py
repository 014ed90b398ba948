"""``receivable list -f csv`` rows from one SQL read (回款节点列表, issue 15): each
milestone's view (state, outstanding, days overdue, money as two-place text) computed by
SQLite and handed out as the row csv.writer writes, in the list's order, so 200k
milestones are never turned into columns and back. :class:`kam.storage.ReceivableCsvRows`
says what each row holds; :func:`kam.services.receivable_pages.csv_text` checks and
writes them (tests/test_receivable_csv.py holds it equal to its reference on random
milestones)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from kam.storage import Where, kind

#: a money column's text as ``str(Decimal(cents).scaleb(-2))``: sign, units, two places
#: (the sign's CASE only for money below zero: ~15 % less for the usual amounts)
_MONEY = ("CASE WHEN {0} >= 0 THEN printf('%d.%02d', {0} / 100, {0} % 100) ELSE"
          " printf('-%d.%02d', abs({0}) / 100, abs({0}) % 100) END")
#: what is left to collect, in cents, as the view computes it (never below zero)
_LEFT = "max(coalesce(amount, 0) - coalesce(paid, 0) - coalesce(written_off, 0), 0)"
_OFF = "coalesce(written_off_on, '') <> ''"
#: a row this read cannot give exactly (its state is then None): money not in whole
#: cents or beyond ±10¹⁵, a due date date.fromisoformat would read otherwise, collection
#: notes that are not a list of objects (their cell is decoded and joined)
_ODD = " OR ".join([
    *(f"typeof({m}) NOT IN ('integer', 'null')"
      f" OR {m} NOT BETWEEN -1000000000000000 AND 1000000000000000"
      for m in ("amount", "paid", "written_off")),
    "date(due_date) IS NOT due_date OR due_date < '0001'",
    "(collection_notes <> '[]' AND substr(collection_notes, 1, 2) <> '[{')",
])
_STATE = (f"CASE WHEN {_ODD} THEN NULL WHEN {_OFF} THEN 'written_off' WHEN {_LEFT} = 0"
          " THEN 'paid' WHEN coalesce(paid, 0) > 0 THEN 'partially_paid' WHEN due_date IS"
          " NULL THEN 'scheduled' WHEN due_date < :today THEN 'overdue' ELSE 'due' END")
_COLUMNS = ", ".join([
    "id", "contract_id", "customer_id", "kind", _MONEY.format("coalesce(amount, 0)"),
    "currency", "due_date", _MONEY.format("coalesce(paid, 0)"),
    f"CASE WHEN {_OFF} THEN '0.00' ELSE {_MONEY.format(_LEFT)} END", _STATE,
    f"CASE WHEN {_OFF} OR {_LEFT} = 0 OR due_date IS NULL OR due_date >= :today THEN 0"
    " ELSE CAST(julianday(:today) - julianday(due_date) AS INTEGER) END",
    "seq", "share", "trigger_on", "paid_on",
    f"CASE WHEN written_off IS NULL THEN NULL ELSE {_MONEY.format('written_off')} END",
    "written_off_on", "written_off_by", "write_off_reason",
    # "+10d" ends in no digit, so is no number: quoted as neutralise quotes it
    "CASE WHEN substr(due_offset, -1) = 'd' AND substr(due_offset, 1, 1) IN ('+', '-')"
    " THEN '''' || due_offset ELSE due_offset END",
    "CASE WHEN collection_notes = '[]' THEN NULL ELSE collection_notes END",
    "created_at", "updated_at",
]).replace(":today", "?1")


class ReceivableCsvQuery:
    """:class:`kam.storage.ReceivableCsvRows` (mixed into :class:`SQLiteStorage`)."""

    conn: sqlite3.Connection

    _sql: Callable[..., tuple[str, list[Any]]]  # SQLiteStorage._sql: a read's SELECT

    def receivable_csv_rows(self, where: Where | None, order_by: Sequence[str],
                            today: dt.date, size: int = 500
                            ) -> Iterator[list[tuple[Any, ...]]]:
        """The milestones ``where`` selects in ``order_by``, a page of rows at a time."""
        sql, params = self._sql(kind("receivable"), _COLUMNS, where, order_by)
        if set(where or ()) <= {"due_date__isnull"}:
            # every dated (or undated) milestone: one scan and a sort, not a walk of
            # the due-date index fetching each row from a random table page
            sql = sql.replace(' FROM "receivable"', ' FROM "receivable" NOT INDEXED', 1)
        # ?1 is today; the where clause's own ? take the numbers after it
        cur = self.conn.execute(sql, [today.isoformat(), *params])
        while True:
            rows = cur.fetchmany(size)
            if not rows:
                return
            yield rows
