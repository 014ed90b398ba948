"""``kam check``'s reads on SQLite: the overdue milestones it prints every day (催款),
a few columns each, as the text its JSON shows (:class:`kam.storage.OverdueTexts`), or
each as its whole JSON object written by SQLite (:class:`kam.storage.OverdueJson`); what
earlier runs fired (:class:`kam.storage.FiredLevels`), and the open milestones with what
fired for each (:class:`kam.storage.DunningStates`)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from kam.plugins.storage_sqlite.summaries import _OUTSTANDING, _REMINDERS, OPEN_TERMS

_COLUMNS = ("id, contract_id, customer_id, kind, amount, currency, due_date, paid, "
            f"{_OUTSTANDING}, seq, share, trigger_on, paid_on, written_off, written_off_on, "
            "written_off_by, write_off_reason, due_offset, collection_notes, created_at, "
            "updated_at")
_OVERDUE = f"FROM receivable WHERE {' AND '.join(OPEN_TERMS)} AND due_date <= ?"


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


class _Texts:
    """A row of :data:`_COLUMNS` made into ``receivable_view``'s fields as JSON text, the
    distinct amounts and days of one read made once."""

    def __init__(self, as_of: dt.date) -> None:
        self.money, self.day = _Memo(_money_text), _Memo(_day_text)
        self.ordinal = _Memo(lambda stored: dt.date.fromisoformat(stored).toordinal())
        self.today = as_of.toordinal()

    def __call__(self, row: tuple[Any, ...]) -> dict[str, Any]:
        from kam.plugins.storage_sqlite.backend import _json

        money, day = self.money, self.day
        (rid, co, cu, kind_, amount, currency, due, paid, outstanding, seq, share,
         trigger_on, paid_on, written_off, written_off_on, written_off_by, reason, offset,
         notes, created_at, updated_at) = row
        return {"id": rid, "contract_id": co, "customer_id": cu, "kind": kind_,
                "amount": money[amount or 0], "currency": currency,
                "due_date": day[due], "paid": money[paid or 0],
                "outstanding": money[outstanding],
                "state": "partially_paid" if paid and paid > 0 else "overdue",
                "days_overdue": self.today - self.ordinal[due], "seq": seq,
                "share": share, "trigger_on": day[trigger_on],
                "paid_on": day[paid_on], "written_off": money[written_off],
                "written_off_on": day[written_off_on],
                "written_off_by": written_off_by or None,
                "write_off_reason": reason or None, "due_offset": offset or None,
                "collection_notes": list(_json(notes) or []) if notes else [],
                "created_at": created_at, "updated_at": updated_at}


#: stored values SQLite's ``json_quote`` writes as Python's JSON encoder does
_PLAIN = "IN ('text', 'integer', 'null')"
#: money in cents that ``printf`` writes as ``str(Decimal(cents).scaleb(-2))`` (far from
#: 64-bit overflow, and within the 28 digits of Decimal's context)
_CENTS = "BETWEEN -99999999999999999 AND 99999999999999999"


def _money(cents: str) -> tuple[str, list[str]]:
    return '"%s%d.%02d"', [f"CASE WHEN {cents} < 0 THEN '-' ELSE '' END", f"abs({cents}) / 100",
                           f"abs({cents}) % 100"]


def _day(column: str) -> str:
    """A stored day that ``date.fromisoformat(…).isoformat()`` gives back unchanged."""
    return (f"({column} IS NULL OR typeof({column}) = 'text' AND length({column}) = 10"
            f" AND {column} >= '0001-01-01' AND date({column}) IS {column})")


def _object_sql(indent: str) -> str:
    """One ``printf`` writing an overdue milestone as :class:`_Texts` makes it, encoded
    as ``kam.check_json`` writes a flat row at ``indent``; NULL for a row it cannot write
    exactly (a collection note, or a stored value of another type or form)."""
    inner = ",\n" + indent + "  "
    items: list[str] = []
    args: list[str] = []

    def add(key: str, fmt: str, exprs: list[str]) -> None:
        items.append(f'"{key}": {fmt}')
        args.extend(exprs)

    for key in ("id", "contract_id", "customer_id", "kind"):
        add(key, "%s", [f"json_quote({key})"])
    add("amount", *_money("COALESCE(amount, 0)"))
    add("currency", "%s", ["json_quote(currency)"])
    add("due_date", "%s", ["json_quote(due_date)"])
    add("paid", *_money("COALESCE(paid, 0)"))
    add("outstanding", *_money(f"({_OUTSTANDING})"))
    add("state", '"%s"', ["CASE WHEN paid > 0 THEN 'partially_paid' ELSE 'overdue' END"])
    add("days_overdue", "%d", ["julianday(?) - julianday(due_date)"])
    for key in ("seq", "share", "trigger_on", "paid_on"):
        add(key, "%s", [f"json_quote({key})"])
    written_off, off_args = _money("written_off")
    add("written_off", "%s", [f"CASE WHEN written_off IS NULL THEN 'null'"
                              f" ELSE printf('{written_off}', {', '.join(off_args)}) END"])
    add("written_off_on", "%s", ["json_quote(written_off_on)"])
    for key in ("written_off_by", "write_off_reason", "due_offset"):
        add(key, "%s", [f"json_quote(NULLIF({key}, ''))"])
    add("collection_notes", "[]", [])
    for key in ("created_at", "updated_at"):
        add(key, "%s", [f"json_quote({key})"])
    fmt = "{\n" + indent + "  " + inner.join(items) + "\n" + indent + "}"
    plain = " AND ".join(
        [f"typeof({c}) {_PLAIN}" for c in (
            "id", "contract_id", "customer_id", "kind", "currency", "seq", "share",
            "created_at", "updated_at")]
        + [f"typeof({c}) IN ('text', 'null')" for c in (
            "written_off_by", "write_off_reason", "due_offset")]
        + [f"typeof({c}) IN ('integer', 'null') AND COALESCE({c}, 0) {_CENTS}"
           for c in ("amount", "paid", "written_off")]
        + [_day(c) for c in ("due_date", "trigger_on", "paid_on", "written_off_on")]
        + ["COALESCE(collection_notes, '') IN ('', '[]')"])
    quoted = fmt.replace("'", "''")
    return f"CASE WHEN {plain} THEN printf('{quoted}', {', '.join(args)}) END"


#: text whose ``json_quote`` must be Python's (``ensure_ascii`` off) for SQLite to write
#: the objects: every control character, quote, backslash, DEL, C1, CJK and beyond
_PROBE = "".join(map(chr, range(0x20))) + '"\\/\x7f\x80\x9f\u2028逾期\U0001f600'


class OverdueTextQuery:
    """:class:`kam.storage.OverdueTexts`: the open milestones due before ``as_of`` through
    ``idx_receivable_open`` (its terms word for word; ``find``'s order by due date and
    id), each row made into ``receivable_view``'s fields as JSON text in Python."""

    conn: sqlite3.Connection

    def overdue_texts(self, as_of: dt.date) -> Iterator[dict[str, Any]]:
        from kam.plugins.storage_sqlite.backend import _translate

        texts = _Texts(as_of)
        try:
            cur = self.conn.execute(f"SELECT {_COLUMNS} {_OVERDUE} ORDER BY due_date, rowid",
                                    ((as_of - dt.timedelta(days=1)).isoformat(),))
            while rows := cur.fetchmany(2000):
                yield from map(texts, rows)
        except sqlite3.Error as exc:
            raise _translate(exc) from None

    def overdue_json(self, as_of: dt.date, indent: str) -> Iterator[str | dict[str, Any]]:
        """:class:`kam.storage.OverdueJson`: each row's JSON object written by one
        ``printf`` in the query (SQLite's ``json_quote`` checked once to quote as Python
        does); a row it cannot write exactly read again by rowid and made a dict."""
        from kam.plugins.storage_sqlite.backend import _translate

        try:
            (probe,) = self.conn.execute("SELECT json_quote(?)", (_PROBE,)).fetchone()
            if probe != json.encoder.encode_basestring(_PROBE):  # another SQLite's JSON
                yield from self.overdue_texts(as_of)
                return
            texts = _Texts(as_of)
            cur = self.conn.execute(
                f"SELECT {_object_sql(indent)}, rowid {_OVERDUE} ORDER BY due_date, rowid",
                (as_of.isoformat(), (as_of - dt.timedelta(days=1)).isoformat()))
            while rows := cur.fetchmany(2000):
                for text, rowid in rows:
                    if text is None:
                        text = texts(self.conn.execute(
                            f"SELECT {_COLUMNS} FROM receivable WHERE rowid = ?",
                            (rowid,)).fetchone())
                    yield text
        except sqlite3.Error as exc:
            raise _translate(exc) from None


class FiredLevelQuery:
    """:class:`kam.storage.FiredLevels` from ``idx_event_reminder`` (no event row read):
    the due reminders' milestones, and the overdue levels grouped by milestone as text
    (the index holds them in milestone order), each distinct text split once; a
    milestone with a level that is not a JSON integer has its levels decoded as
    :class:`kam.storage.FiredReminders` decodes them."""

    conn: sqlite3.Connection

    def fired_levels(self) -> tuple[set[str], dict[str, tuple[Any, ...]]]:
        from kam.plugins.storage_sqlite.backend import _translate
        from kam.plugins.storage_sqlite.summaries import _REMINDERS

        by_text: dict[str, tuple[Any, ...]] = {}
        levels: dict[str, tuple[Any, ...]] = {}
        try:
            due = {str(rid) for (rid,) in self.conn.execute(
                f"SELECT record_id FROM event INDEXED BY idx_event_reminder WHERE {_REMINDERS}"
                " AND kind = 'receivable.due'")}
            for rid, text in self.conn.execute(
                    "SELECT record_id, group_concat(CASE json_type(payload, '$.level')"
                    " WHEN 'integer' THEN json_extract(payload, '$.level') ELSE 'x' END)"
                    f" FROM event INDEXED BY idx_event_reminder WHERE {_REMINDERS}"
                    " AND kind = 'receivable.overdue' GROUP BY record_id").fetchall():
                found = by_text.get(text)
                if found is None:
                    if "x" in text:  # a level of another JSON type: this milestone's decoded
                        levels[str(rid)] = decoded_levels(self.conn, rid)
                        continue
                    found = by_text[text] = tuple(map(int, text.split(",")))
                levels[str(rid)] = found
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        return due, levels



def decoded_levels(conn: sqlite3.Connection, record_id: Any) -> tuple[Any, ...]:
    """A milestone's overdue reminders' levels decoded from their events, as
    :class:`kam.storage.FiredReminders` decodes them (one with a level that is not a JSON
    integer)."""
    from kam.plugins.storage_sqlite.summaries import _LEVEL, _REMINDERS, _decoded

    return tuple(_decoded(value, of) for value, of in conn.execute(
        f"SELECT {_LEVEL} FROM event INDEXED BY idx_event_reminder WHERE {_REMINDERS}"
        " AND kind = 'receivable.overdue' AND record_id IS ?", (record_id,)))


#: what a reminder event ``e`` says fired: ``d`` the due reminder, an overdue level that
#: is a JSON integer, else ``x`` (the milestone's levels are then decoded)
_FIRED = ("CASE WHEN e.kind = 'receivable.due' THEN 'd'"
          " WHEN json_type(e.payload, '$.level') = 'integer'"
          " THEN json_extract(e.payload, '$.level') ELSE 'x' END")

#: each open milestone due by the day (``open_balances``' terms and order, through
#: ``idx_receivable_open``) with what fired for it, its reminders found through
#: ``idx_event_reminder`` by its id
STATES_OPEN = (f"SELECT r.id, r.due_date, r.currency, {_OUTSTANDING},"
               f" (SELECT group_concat({_FIRED}) FROM event e INDEXED BY idx_event_reminder"
               f" WHERE e.{_REMINDERS} AND e.record_id = r.id)"
               f" FROM receivable r WHERE {' AND '.join(OPEN_TERMS)} AND r.due_date <= ?")
_STATES = f"{STATES_OPEN} ORDER BY r.due_date, r.rowid"


class DunningStateQuery:
    """:class:`kam.storage.DunningStates`: a look-up of each open milestone's reminders
    instead of a read of every reminder ever fired (which grew with every year a team
    runs ``kam check``: on large, with the ~186k reminders of paid milestones a daily run
    would have written, +0.3 s and +24 MB a run). Each distinct text of what fired
    (``d,1,30``: a few dozen among ~23k milestones) is made into its answer once."""

    conn: sqlite3.Connection

    def dunning_states(self, due_by: dt.date
                       ) -> Iterator[tuple[str, dt.date, str | None, Decimal, bool,
                                           tuple[Any, ...]]]:
        return dunning_rows(self.conn, _STATES, (due_by.isoformat(),))


def dunning_rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]
                 ) -> Iterator[tuple[str, dt.date, str | None, Decimal, bool, tuple[Any, ...]]]:
    """The rows of a query of :data:`STATES_OPEN` as :class:`kam.storage.DunningStates`
    gives them."""
    from kam.plugins.storage_sqlite.backend import _translate

    made: dict[str | None, tuple[bool, tuple[Any, ...]]] = {None: (False, ())}
    day = dt.date.fromisoformat
    try:
        cur = conn.execute(sql, params)
        while rows := cur.fetchmany(2000):
            for rid, due, currency, cents, fired in rows:
                state = made.get(fired)
                if state is None:
                    parts = str(fired).split(",")
                    if "x" in parts:  # a level of another JSON type: decoded
                        state = ("d" in parts, decoded_levels(conn, rid))
                    else:
                        state = made[fired] = ("d" in parts, tuple(
                            int(p) for p in parts if p != "d"))
                yield rid, day(due), currency, Decimal(cents).scaleb(-2), *state
    except sqlite3.Error as exc:
        raise _translate(exc) from None
