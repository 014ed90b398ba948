"""PostgreSQL fast paths for ``kam check`` with nothing new (催款提醒 and the anomaly pass:
kam.storage.OpenBalances, UnflaggedLate, FiredReminders, OverdueTexts), mixed into
:class:`PostgresStorage`: a few columns each instead of whole milestones, customers and
events. The references are kam.services.check's ``python_*`` functions
(tests/test_check_fired.py checks them equal on both SQL backends). They read the
tables themselves, so row-level security filters them as it filters ``find``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from kam.plugins.storage_postgres.reads import BackendReads
from kam.plugins.storage_postgres.sql import json_value
from kam.storage import REMINDER_KINDS

#: money outstanding on a milestone (what ``receivable_view`` has while not written off)
_OUTSTANDING = ("coalesce(amount, 0.00) - coalesce(paid, 0.00)"
                " - coalesce(written_off, 0.00)")
#: the open milestones due by a day (one parameter)
_OPEN_DUE = f"written_off_on IS NULL AND {_OUTSTANDING} > 0 AND due_date <= %s"


#: the overdue milestones' columns in ``receivable_view``'s order, money as its text (scale
#: 2: ``str(Decimal)``'s), the state and days overdue computed (%s: the day)
_OVERDUE = ", ".join([
    "id", "contract_id", "customer_id", "kind", "coalesce(amount, 0.00)::text", "currency",
    "{due_date}", "coalesce(paid, 0.00)::text", f"({_OUTSTANDING})::text",
    "CASE WHEN paid > 0 THEN 'partially_paid' ELSE 'overdue' END", "%s - due_date",
    "seq", "share", "{trigger_on}", "{paid_on}", "written_off::text", "{written_off_on}",
    "written_off_by", "write_off_reason", "due_offset", "collection_notes", "created_at",
    "updated_at"])


class PostgresCheckReads(BackendReads):
    """The ``kam check`` reads (mixed into :class:`PostgresStorage`)."""

    def overdue_texts(self, as_of: dt.date) -> Iterator[dict[str, Any]]:
        """The open milestones due before ``as_of`` in ``find``'s order (due date, then
        id), money and dates read as their text (no ``Decimal`` or date made per cell);
        only the collection notes decoded, and only where there are some."""
        as_text, date = self._date_texts()
        columns = _OVERDUE.format(**{d: date(d) for d in (
            "due_date", "trigger_on", "paid_on", "written_off_on")})
        sql = (f"SELECT {columns} FROM receivable WHERE {_OPEN_DUE}"
               " ORDER BY due_date, length(id), id")
        pages = self._pages(sql, [as_of, as_of - dt.timedelta(days=1)], True,
                            text_dates=as_text)
        for _names, rows in pages:
            for (rid, co, cu, kind_, amount, currency, due, paid, outstanding, state, late,
                 seq, share, trigger_on, paid_on, written_off, written_off_on,
                 written_off_by, reason, offset, notes, created_at, updated_at) in rows:
                yield {"id": rid, "contract_id": co, "customer_id": cu, "kind": kind_,
                       "amount": amount, "currency": currency, "due_date": due,
                       "paid": paid, "outstanding": outstanding, "state": state,
                       "days_overdue": late, "seq": seq, "share": share,
                       "trigger_on": trigger_on, "paid_on": paid_on,
                       "written_off": written_off, "written_off_on": written_off_on,
                       "written_off_by": written_off_by or None,
                       "write_off_reason": reason or None, "due_offset": offset or None,
                       "collection_notes": list(json_value(notes) or []) if notes else [],
                       "created_at": created_at, "updated_at": updated_at}

    def open_balances(self, due_by: dt.date
                      ) -> Iterator[tuple[str, dt.date, str | None, Decimal]]:
        """Four columns in ``find``'s order of (due_date, id)."""
        return self._tuples(
            f"SELECT id, due_date, currency, {_OUTSTANDING} FROM receivable"
            f" WHERE {_OPEN_DUE} ORDER BY due_date, length(id), id", [due_by])

    def unflagged_late(self, due_by: dt.date, flag_type: str) -> Iterator[str]:
        """The customers of ``open_balances`` in ``find``'s id order, their flags tested
        as ``json`` on the server (a flag counts when it is an object whose ``type`` is
        that text and whose ``decision`` is not ``cleared``, as the reference has it)."""
        return (cu for (cu,) in self._tuples(
            "SELECT c.id FROM customer c WHERE c.id IN (SELECT customer_id FROM receivable"
            f" WHERE {_OPEN_DUE}) AND NOT EXISTS (SELECT 1 FROM json_array_elements("
            "CASE WHEN json_typeof(c.flags::json) = 'array' THEN c.flags::json"
            " ELSE '[]'::json END) f WHERE json_typeof(f) = 'object'"
            " AND json_typeof(f -> 'type') = 'string' AND f ->> 'type' = %s"
            " AND (json_typeof(f -> 'decision') IS DISTINCT FROM 'string'"
            "  OR f ->> 'decision' <> 'cleared'))"
            " ORDER BY length(c.id), c.id", [due_by, flag_type]))

    def fired_reminders(self) -> Iterator[tuple[str, str | None, Any]]:
        """The level's JSON text picked out on the server (an event without a payload,
        or without a level, has none) and decoded once per distinct scalar here: a
        run's levels are a handful of values over thousands of events."""
        levels: dict[str | None, Any] = {None: None}
        rows = self._tuples(
            "SELECT kind, record_id, CASE WHEN coalesce(payload, '') = '' THEN NULL"
            " ELSE (payload::json -> 'level')::text END FROM event WHERE kind = ANY(%s)",
            [list(REMINDER_KINDS)])
        for kind_, record_id, text in rows:
            level = levels.get(text, _UNSEEN)
            if level is _UNSEEN:
                level = json.loads(text)
                if not isinstance(level, dict | list):  # never share a mutable value
                    levels[text] = level
            yield kind_, record_id, level


#: not decoded yet
_UNSEEN = object()
