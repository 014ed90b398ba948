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
        " FROM call_last s WHERE s.date <= ? AND s.next_due IS NOT NULL AND s.next_due <= ?"
        " AND (s.deal = 0 OR s.key IN (SELECT id FROM opportunity"
        "  WHERE status IN ('open', 'won') AND completed_at IS NULL))"
        " ORDER BY s.next_due, s.key")


class NextStepsQuery:
    """:class:`kam.storage.NextStepsDue` (mixed into :class:`SQLiteStorage`)."""

    conn: sqlite3.Connection

    def next_steps_due(self, as_of: dt.date, due_by: dt.date
                       ) -> Iterator[NextStep] | None:
        """The steps in order, 500 rows at a time; ``None`` when a key was called after
        ``as_of`` (its latest call then is in the history, not the summary)."""
        day = as_of.isoformat()
        if self.conn.execute("SELECT 1 FROM call_last WHERE date > ? LIMIT 1",
                             (day,)).fetchone():
            return None
        return _steps(self.conn, day, due_by.isoformat())


def _steps(conn: sqlite3.Connection, day: str, due_by: str) -> Iterator[NextStep]:
    # the same day, owner and step text recur thousands of times: one object each
    days: dict[str, dt.date] = {}
    texts: dict[str | None, str | None] = {}
    dated = dt.date.fromisoformat
    for due, step, key, customer, owner, act in streamed(conn, _DUE, (day, due_by), 500):
        when = days.get(due)
        if when is None:
            when = days[due] = dated(due)
        yield (when, texts.setdefault(step, step), key,
               key if customer == key else customer, texts.setdefault(owner, owner), act)
