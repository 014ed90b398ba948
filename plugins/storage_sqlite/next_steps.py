"""``kam today``'s next steps due (到期的下一步) for the whole team, read from the call
summary ``call_last`` (kam.plugins.storage_sqlite.summaries) in the order the morning
list prints them — its ``next_due`` index, whose entries end with the key — so a 100k-deal
team's ~45k steps are never held as records and sorted (issue 15, memory flat).
:func:`kam.reports.rollups.next_steps_due` is the reference (tests/test_rollups.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kam.plugins.storage_sqlite.aggregates import streamed

if TYPE_CHECKING:
    from kam.storage import NextStep

_DUE = ("SELECT s.next_due, s.next_step, s.key, s.customer_id, s.owner, s.act"
        " FROM call_last s WHERE s.date <= ?1 AND s.next_due IS NOT NULL AND s.next_due <= ?2"
        " AND (s.deal = 0 OR s.key IN (SELECT id FROM opportunity"
        "  WHERE status IN ('open', 'won') AND completed_at IS NULL))"
        " ORDER BY s.next_due, s.key LIMIT ?3")

#: how many: from ``idx_call_last_due`` and ``idx_opportunity_live`` alone (0016)
_COUNT = ("SELECT count(*) FROM call_last s WHERE s.date <= ?1 AND s.next_due IS NOT NULL"
          " AND s.next_due <= ?2 AND (s.deal = 0 OR s.key IN (SELECT id FROM opportunity"
          "  WHERE status IN ('open', 'won') AND completed_at IS NULL))")


class NextStepsQuery:
    """:class:`kam.storage.NextStepsDue` (mixed into :class:`SQLiteStorage`)."""

    conn: sqlite3.Connection

    def next_steps_due(self, as_of: dt.date, due_by: dt.date
                       ) -> Iterator[NextStep] | None:
        """The steps in order, 500 rows at a time; ``None`` when a key was called after
        ``as_of`` (its latest call then is in the history, not the summary)."""
        day = as_of.isoformat()
        if self._called_after(day):
            return None
        return _steps(self.conn, day, due_by.isoformat(), -1)

    def next_steps_head(self, as_of: dt.date, due_by: dt.date, limit: int
                        ) -> tuple[int, list[NextStep]] | None:
        """:class:`kam.storage.NextStepsHead`: counted through the index, then the first
        ``limit`` read in order."""
        day = as_of.isoformat()
        if self._called_after(day):
            return None
        try:
            total = self.conn.execute(_COUNT, (day, due_by.isoformat())).fetchone()[0]
        except sqlite3.Error as exc:
            from kam.plugins.storage_sqlite.backend import _translate

            raise _translate(exc) from None
        return total, list(_steps(self.conn, day, due_by.isoformat(), limit))

    def _called_after(self, day: str) -> bool:
        """A key called after ``day``: its latest call by then is in the history."""
        return bool(self.conn.execute("SELECT 1 FROM call_last WHERE date > ? LIMIT 1",
                                      (day,)).fetchone())


def _steps(conn: sqlite3.Connection, day: str, due_by: str, limit: int
           ) -> Iterator[NextStep]:
    # the same day, owner and step text recur thousands of times: one object each
    days: dict[str, dt.date] = {}
    texts: dict[str | None, str | None] = {}
    dated = dt.date.fromisoformat
    for due, step, key, customer, owner, act in streamed(conn, _DUE, (day, due_by, limit), 500):
        when = days.get(due)
        if when is None:
            when = days[due] = dated(due)
        yield (when, texts.setdefault(step, step), key,
               key if customer == key else customer, texts.setdefault(owner, owner), act)
