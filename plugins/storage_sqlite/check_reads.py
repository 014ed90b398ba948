"""``kam check``'s reads on SQLite: the overdue milestones it prints every day (催款),
a few columns each, as the text its JSON shows (:class:`kam.storage.OverdueTexts`)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from kam.plugins.storage_sqlite.summaries import _OUTSTANDING, OPEN_TERMS

_COLUMNS = ("id, contract_id, customer_id, kind, amount, currency, due_date, paid, "
            f"{_OUTSTANDING}, seq, share, trigger_on, paid_on, written_off, written_off_on, "
            "written_off_by, write_off_reason, due_offset, collection_notes, created_at, "
            "updated_at")


class _Memo(dict[Any, Any]):
    """Stored value → its text, each distinct value made once per read (a few thousand
    amounts and days among ~22,700 milestones); None stays None."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__({None: None})
        self.make = make

    def __missing__(self, stored: Any) -> Any:
        made = self[stored] = self.make(stored)
        return made


def _money_text(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2))  # as find's Decimal prints


def _day_text(stored: str) -> str:
    return dt.date.fromisoformat(stored).isoformat()


class OverdueTextQuery:
    """:class:`kam.storage.OverdueTexts`: the open milestones due before ``as_of`` through
    ``idx_receivable_open`` (its terms word for word; ``find``'s order by due date and
    id), each row made into ``receivable_view``'s fields as JSON text in Python."""

    conn: sqlite3.Connection

    def overdue_texts(self, as_of: dt.date) -> Iterator[dict[str, Any]]:
        from kam.plugins.storage_sqlite.backend import _json, _translate

        money, day = _Memo(_money_text), _Memo(_day_text)
        ordinal = _Memo(lambda stored: dt.date.fromisoformat(stored).toordinal())
        today = as_of.toordinal()
        try:
            cur = self.conn.execute(
                f"SELECT {_COLUMNS} FROM receivable WHERE {' AND '.join(OPEN_TERMS)}"
                " AND due_date <= ? ORDER BY due_date, rowid",
                ((as_of - dt.timedelta(days=1)).isoformat(),))
            while rows := cur.fetchmany(2000):
                for (rid, co, cu, kind_, amount, currency, due, paid, outstanding, seq,
                     share, trigger_on, paid_on, written_off, written_off_on, written_off_by,
                     reason, offset, notes, created_at, updated_at) in rows:
                    yield {"id": rid, "contract_id": co, "customer_id": cu, "kind": kind_,
                           "amount": money[amount or 0], "currency": currency,
                           "due_date": day[due], "paid": money[paid or 0],
                           "outstanding": money[outstanding],
                           "state": "partially_paid" if paid and paid > 0 else "overdue",
                           "days_overdue": today - ordinal[due], "seq": seq,
                           "share": share, "trigger_on": day[trigger_on],
                           "paid_on": day[paid_on], "written_off": money[written_off],
                           "written_off_on": day[written_off_on],
                           "written_off_by": written_off_by or None,
                           "write_off_reason": reason or None, "due_offset": offset or None,
                           "collection_notes": list(_json(notes) or []) if notes else [],
                           "created_at": created_at, "updated_at": updated_at}
        except sqlite3.Error as exc:
            raise _translate(exc) from None
