"""The whole team's stalled deals (停滞的商机) for ``kam today`` and the activity report,
judged by SQLite from the call summary ``call_last`` (kam.plugins.storage_sqlite.summaries):
a big team's ~50k open deals are not read and judged one by one, and the morning list
reads only the rows it prints. :func:`kam.reports.activity.stalled_reference` is the
reference (tests/test_stalled_deals.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kam.storage import StalledDeal

# an open deal's silence as the reference counts it: from its latest call on or before
# as_of, else the stage's start, else the (UTC) day it was made, else none (0 days)
_STALLED = (
    "WITH d AS (SELECT o.id, o.title, o.owner, o.stage, c.date AS last,"
    "  COALESCE(c.run, 0) AS run,"
    "  CAST(julianday(:today) - julianday(COALESCE(c.date, NULLIF(o.stage_entered_at, ''),"
    "   NULLIF(substr(o.created_at, 1, 10), ''), :today)) AS INTEGER) AS silent"
    "  FROM opportunity o LEFT JOIN call_last c ON c.key = o.id AND c.deal"
    "  WHERE o.status = 'open' AND COALESCE(o.completed_at, '') = '')"
    " SELECT id, title, owner, stage, last, silent, run, count(*) OVER ()"
    " FROM d WHERE run >= :run OR silent >= :silent"
    " ORDER BY silent DESC, run DESC, id LIMIT :limit")


class StalledQuery:
    """:class:`kam.storage.StalledDeals` (mixed into :class:`SQLiteStorage`)."""

    conn: sqlite3.Connection

    def stalled_deals(self, as_of: dt.date, silent_days: int, run_n: int,
                      limit: int | None = None) -> tuple[int, list[StalledDeal]] | None:
        from kam.plugins.storage_sqlite.backend import _translate

        day = as_of.isoformat()
        try:
            if self.conn.execute("SELECT 1 FROM call_last WHERE deal AND date > ? LIMIT 1",
                                 (day,)).fetchone():
                return None  # that deal's latest call by as_of is in the history
            rows = self.conn.execute(_STALLED, {  # one row at least, for the count
                "today": day, "run": run_n, "silent": silent_days,
                "limit": -1 if limit is None else max(limit, 1)}).fetchall()
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        dated = dt.date.fromisoformat
        found = [(i, title, owner, stage, dated(last) if last else None, silent, run)
                 for i, title, owner, stage, last, silent, run, _total in rows]
        return (rows[0][7] if rows else 0), found[:limit]
