"""``kam check``'s mark on SQLite (催款水位, :class:`kam.storage.DunningMarks`): the day and
settings of the last recorded run, and the milestones added or changed since.

Two tables of the backend's own (migration ``0017_check_mark``), kept by triggers:

- ``check_mark``: one row, the last recorded run's day, levels (JSON) and days ahead;
- ``check_touched``: the rowids of the milestones inserted or updated since the mark
  was set (nothing is kept while there is no mark: a workspace never checked pays
  nothing for it).

A reminder event deleted or changed takes the mark away (the next run looks every open
milestone up, and sets it again); so does a bulk load, which runs without triggers
(:func:`forget`). The next day's run on large looks up ~400 milestones instead of
~23k, each through ``idx_event_reminder``.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from kam.plugins.storage_sqlite.check_reads import _OVERDUE, STATES_OPEN, dunning_rows
from kam.plugins.storage_sqlite.summaries import _OUTSTANDING, _REMINDERS

#: the backend's own tables (no kind of theirs in core/kinds.py)
TABLES = ("check_mark", "check_touched")

_KEPT = "EXISTS (SELECT 1 FROM check_mark)"
_TOUCH = "INSERT OR IGNORE INTO check_touched (receivable) VALUES (NEW.rowid);"

#: migration ``0017_check_mark``
MIGRATION: tuple[str, ...] = (
    "CREATE TABLE check_mark (one INTEGER PRIMARY KEY CHECK (one = 1),"
    " as_of TEXT NOT NULL, levels TEXT NOT NULL, ahead INTEGER NOT NULL)",
    "CREATE TABLE check_touched (receivable INTEGER PRIMARY KEY)",
    f"CREATE TRIGGER check_touched_insert AFTER INSERT ON receivable WHEN {_KEPT}"
    f" BEGIN {_TOUCH} END",
    f"CREATE TRIGGER check_touched_update AFTER UPDATE ON receivable WHEN {_KEPT}"
    f" BEGIN {_TOUCH} END",
    f"CREATE TRIGGER check_mark_reminder_deleted AFTER DELETE ON event"
    f" WHEN OLD.{_REMINDERS} BEGIN DELETE FROM check_mark; END",
    f"CREATE TRIGGER check_mark_reminder_changed AFTER UPDATE OF kind, record_id, payload"
    f" ON event WHEN OLD.{_REMINDERS} BEGIN DELETE FROM check_mark; END",
)

#: where a currency's sum starts, as the run's does (``kam.models.receivable_state.ZERO``)
_ZERO = Decimal("0.00")
_TOUCHED = "r.rowid IN (SELECT receivable FROM check_touched)"


def forget(conn: sqlite3.Connection) -> None:
    """No mark, nothing touched: what a bulk load that ran without the triggers leaves
    (kam import), so the next run looks every open milestone up."""
    conn.execute("DELETE FROM check_mark")
    conn.execute("DELETE FROM check_touched")


class DunningMarkQuery:
    """:class:`kam.storage.DunningMarks` (mixed into :class:`SQLiteStorage`)."""

    conn: sqlite3.Connection

    def dunning_mark(self) -> tuple[dt.date, tuple[int, ...], int] | None:
        from kam.plugins.storage_sqlite.backend import _translate

        try:
            row = self.conn.execute("SELECT as_of, levels, ahead FROM check_mark").fetchone()
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        if row is None:
            return None
        try:
            levels = json.loads(row[1])
            return (dt.date.fromisoformat(row[0]), tuple(int(x) for x in levels),
                    int(row[2]))
        except (TypeError, ValueError):  # not what set_dunning_mark wrote: no mark
            return None

    def marked_dunning_states(self, due_by: dt.date,
                              windows: Sequence[tuple[dt.date, dt.date]]
                              ) -> Iterator[tuple[str, dt.date, str | None, Decimal, bool,
                                                  tuple[Any, ...]]]:
        terms = [*(["(r.due_date > ? AND r.due_date <= ?)"] * len(windows)), _TOUCHED]
        params = [due_by.isoformat(), *(d.isoformat() for w in windows for d in w)]
        sql = f"{STATES_OPEN} AND ({' OR '.join(terms)}) ORDER BY r.due_date, r.rowid"
        return dunning_rows(self.conn, sql, tuple(params))

    def overdue_totals(self, as_of: dt.date) -> tuple[int, dict[str | None, Decimal]]:
        """Summed by SQLite, one row per currency, where every amount is whole cents
        (an integer sum is exact: the same Decimal as adding each); else each row
        added in Python, in ``open_balances``' order."""
        from kam.plugins.storage_sqlite.backend import _translate

        day = ((as_of - dt.timedelta(days=1)).isoformat(),)
        totals: dict[str | None, Decimal] = {}
        count = 0
        try:
            sums = self.conn.execute(
                f"SELECT currency, count(*), sum(o), sum(typeof(o) IS NOT 'integer')"
                f" FROM (SELECT currency, {_OUTSTANDING} AS o {_OVERDUE}) GROUP BY currency",
                day).fetchall()
        except sqlite3.OperationalError as exc:  # a sum beyond 64 bits: added in Python
            if "overflow" not in str(exc):
                raise _translate(exc) from None
            sums = [(None, 0, 0, 1)]
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        if not any(odd for *_, odd in sums):
            for currency, n, cents, _ in sums:
                count += n
                totals[currency] = _ZERO + Decimal(cents).scaleb(-2)
            return count, totals
        try:
            cur = self.conn.execute(f"SELECT currency, {_OUTSTANDING} {_OVERDUE}"
                                    " ORDER BY due_date, rowid", day)
            while rows := cur.fetchmany(2000):
                count += len(rows)
                for currency, cents in rows:
                    totals[currency] = totals.get(currency, _ZERO) + Decimal(cents).scaleb(-2)
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        return count, totals

    def set_dunning_mark(self, mark: tuple[dt.date, tuple[int, ...], int]) -> None:
        from kam.plugins.storage_sqlite.backend import _translate

        day, levels, ahead = mark
        try:
            if self.conn.execute("SELECT EXISTS (SELECT 1 FROM check_touched)").fetchone()[0]:
                self.conn.execute("DELETE FROM check_touched")
            self.conn.execute(  # written only when it changes: a rerun writes nothing
                "INSERT INTO check_mark (one, as_of, levels, ahead) VALUES (1, ?, ?, ?)"
                " ON CONFLICT (one) DO UPDATE SET as_of = excluded.as_of,"
                " levels = excluded.levels, ahead = excluded.ahead"
                " WHERE as_of IS NOT excluded.as_of OR levels IS NOT excluded.levels"
                " OR ahead IS NOT excluded.ahead",
                (day.isoformat(), json.dumps(list(levels)), ahead))
        except sqlite3.Error as exc:
            raise _translate(exc) from None
