"""``kam today``'s milestones due or overdue (到期和逾期的回款) from one query through the
open-milestone index, state, days overdue and outstanding computed by SQLite and sorted
as the morning list prints them, instead of ~25k whole records decoded, each given its
full view and sorted in Python (issue 15). Reference:
:func:`kam.reports.today.python_due_receivables` (tests/test_today_receivables.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kam.plugins.storage_sqlite.aggregates import streamed
from kam.plugins.storage_sqlite.summaries import OPEN_TERMS
from kam.storage import Where, kind

if TYPE_CHECKING:
    from kam.storage import DueReceivable

#: ?1 is the day, ?2 the horizon; the caller's conditions follow (their ? numbered on).
#: Open (OPEN_TERMS, word for word, so the partial index serves) means outstanding > 0
#: and not written off: the state is then partially paid, overdue or due.
_DUE = ("SELECT id, contract_id, customer_id, kind, due_date,"
        " CASE WHEN coalesce(paid, 0) > 0 THEN 'partially_paid'"
        "  WHEN due_date < ?1 THEN 'overdue' ELSE 'due' END,"
        " CASE WHEN due_date < ?1 THEN CAST(julianday(?1) - julianday(due_date) AS INTEGER)"
        "  ELSE 0 END AS late,"
        " coalesce(amount, 0) - coalesce(paid, 0) - coalesce(written_off, 0), currency{count}"
        f" FROM receivable WHERE due_date <= ?2 AND {' AND '.join(OPEN_TERMS)}{{where}}"
        " ORDER BY late DESC, due_date, id")


class DueReceivableQuery:
    """:class:`kam.storage.DueReceivables` (mixed into :class:`SQLiteStorage`)."""

    conn: sqlite3.Connection

    def _where(self, k: Any, where: Where | None) -> tuple[str, list[Any]]:
        raise NotImplementedError  # SQLiteStorage's

    def due_receivables(self, as_of: dt.date, due_by: dt.date, where: Where | None = None
                        ) -> Iterator[DueReceivable]:
        sql_where, params = self._where(kind("receivable"), where)
        sql = _DUE.format(where=sql_where.replace(" WHERE ", " AND ", 1), count="")
        return _made(streamed(self.conn, sql, [as_of.isoformat(), due_by.isoformat(), *params],
                              500))

    def due_receivables_head(self, as_of: dt.date, due_by: dt.date, where: Where | None,
                             limit: int) -> tuple[int, list[DueReceivable]]:
        """:class:`kam.storage.DueReceivablesHead`: the count beside each row (one row
        at least is read, for it)."""
        sql_where, params = self._where(kind("receivable"), where)
        sql = _DUE.format(where=sql_where.replace(" WHERE ", " AND ", 1),
                          count=", count(*) OVER ()") + " LIMIT ?"
        rows = list(streamed(self.conn, sql, [as_of.isoformat(), due_by.isoformat(), *params,
                                              max(limit, 1)], 500))
        total = rows[0][-1] if rows else 0
        return total, list(_made(r[:-1] for r in rows[:limit]))


def _made(rows: Iterable[tuple[Any, ...]]) -> Iterator[DueReceivable]:
    # days, kinds, states and currencies repeat thousands of times: one object each, and
    # each distinct amount made a Decimal once (memory stays flat: the dicts are small)
    days: dict[str, dt.date] = {}
    money: dict[int, Decimal] = {}
    once: dict[Any, Any] = {}
    dated = dt.date.fromisoformat
    for rid, contract, customer, kind_, due, state, late, left, currency in rows:
        when = days.get(due)
        if when is None:
            when = days[due] = dated(due)
        amount = money.get(left)
        if amount is None:
            if len(money) > 20_000:
                money.clear()
            amount = money[left] = Decimal(left).scaleb(-2)
        yield (rid, contract, customer, once.setdefault(kind_, kind_), when,
               once.setdefault(state, state), late, amount,
               once.setdefault(currency, currency))
