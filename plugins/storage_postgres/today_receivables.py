"""``kam today``'s milestones due or overdue (到期和逾期的回款) from one PostgreSQL query,
as SQLite's (plugins/storage_sqlite/today_receivables.py): state, days overdue and
outstanding computed and the rows sorted as the morning list prints them by the server,
instead of every open milestone's whole record read, viewed and sorted in Python
(issue 15). Reference: :func:`kam.reports.today.python_due_receivables`
(tests/test_today_receivables.py on both databases). The query reads the table itself,
so row-level security filters it as it filters ``find``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from kam.plugins.storage_postgres.check_reads import _OPEN_DUE, _OUTSTANDING
from kam.plugins.storage_postgres.reads import BackendReads
from kam.plugins.storage_postgres.sql import where_sql
from kam.storage import DueReceivable, Where, kind

#: %s: the day (three times), the horizon, then the caller's conditions. Open means not
#: written off and money outstanding: the state is then partially paid, overdue or due.
#: Ids are ``COLLATE "C"``: the last tie-break orders them as Python's ``sorted``.
_DUE = ("SELECT id, contract_id, customer_id, kind, due_date,"
        " CASE WHEN coalesce(paid, 0) > 0 THEN 'partially_paid'"
        "  WHEN due_date < %s THEN 'overdue' ELSE 'due' END,"
        " CASE WHEN due_date < %s THEN %s - due_date ELSE 0 END AS late,"
        f" {_OUTSTANDING}, currency{{count}} FROM receivable WHERE {_OPEN_DUE}{{where}}"
        " ORDER BY late DESC, due_date, id")


class PostgresDueReceivables(BackendReads):
    """:class:`kam.storage.DueReceivables` (mixed into :class:`PostgresStorage`)."""

    def due_receivables(self, as_of: dt.date, due_by: dt.date, where: Where | None = None
                        ) -> Iterator[DueReceivable]:
        """The kinds, states and currencies repeat thousands of times: one object each
        (``kam today`` holds the rows)."""
        sql_where, params = where_sql(kind("receivable"), where)
        sql = _DUE.format(where=sql_where.replace(" WHERE ", " AND ", 1), count="")
        once: dict[Any, Any] = {}
        keep = once.setdefault
        for rid, contract, customer, kind_, due, state, late, left, currency in self._tuples(
                sql, [as_of, as_of, as_of, due_by, *params]):
            yield (rid, contract, customer, keep(kind_, kind_), due, keep(state, state), late,
                   left, keep(currency, currency))

    def due_receivables_head(self, as_of: dt.date, due_by: dt.date, where: Where | None,
                             limit: int) -> tuple[int, list[DueReceivable]]:
        """:class:`kam.storage.DueReceivablesHead`: the count beside each row, the first
        ``limit`` read (one row at least, for the count)."""
        sql_where, params = where_sql(kind("receivable"), where)
        sql = _DUE.format(where=sql_where.replace(" WHERE ", " AND ", 1),
                          count=", count(*) OVER ()") + " LIMIT %s"
        rows = list(self._tuples(sql, [as_of, as_of, as_of, due_by, *params, max(limit, 1)]))
        total = int(rows[0][-1]) if rows else 0
        return total, [r[:-1] for r in rows[:limit]]
