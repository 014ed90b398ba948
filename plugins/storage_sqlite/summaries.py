"""Call-history summaries (拜访汇总) the SQLite backend keeps on write, so ``kam today``
and the activity report read one row per deal instead of grouping every call.

Two tables, kept right by triggers on ``activity`` (migration ``0012_today_summaries``):

- ``call_last``: per key — the deal of a call, or its customer for a call on no deal —
  the latest call (by date, then rowid = id order: the order ``find`` sorts ``id`` in),
  whether the key is a deal, and the run of trailing ``continuance`` outcomes;
- ``call_last_by_owner``: per (owner, key), that owner's latest call.

An insert that is the key's newest call updates the row in place (the common case,
bulk loads included); a back-dated insert recounts the key's run; an update of a call's
date, deal, customer, owner or outcome, and a delete, recompute the keys touched from
their history (an expression index on the key makes that a range read). Reads dated
before a key's latest call (``as_of`` in the past) fall back to the history query for
those keys only. :class:`kam.reports.rollups.PythonRollup` is the reference
(tests/test_rollups.py).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from kam.kinds import Kind
from kam.storage import Record, Where, kind, payload_kinds


def _key(t: str) -> str:
    """The summary key of a call row ``t``: its deal, else its customer."""
    return f"COALESCE(NULLIF({t}.opportunity_id, ''), {t}.customer_id)"


def _deal(t: str) -> str:
    return f"(NULLIF({t}.opportunity_id, '') IS NOT NULL)"


def _run(k: str) -> str:
    """Calls of key ``k`` after its latest call with another outcome (all continuances)."""
    return (f"(SELECT count(*) FROM activity c WHERE {_key('c')} = {k}"
            " AND c.outcome IS 'continuance' AND NOT EXISTS (SELECT 1 FROM activity d"
            f" WHERE {_key('d')} = {k} AND d.date >= c.date"
            " AND d.outcome IS NOT 'continuance' AND (d.date, d.rowid) > (c.date, c.rowid)))")


#: the latest call's fields each summary row carries (read without touching ``activity``)
_COPIED = ("opportunity_id", "customer_id", "owner", "next_step", "next_due")


def _cols(t: str, but: str = "") -> str:
    return ", ".join(f"{t}.{c}" if t else c for c in _COPIED if c != but)


def _refresh(row: str) -> str:
    """Recompute both summaries of the key and owner of trigger row ``row`` (OLD/NEW)."""
    k = _key(row)
    return (
        f"DELETE FROM call_last WHERE key = {k};"
        f" INSERT INTO call_last (key, deal, date, act, run, {_cols('')})"
        f" SELECT {k}, {_deal('a')}, a.date, a.id, {_run(k)}, {_cols('a')} FROM activity a"
        f" WHERE {_key('a')} = {k} ORDER BY a.date DESC, a.rowid DESC LIMIT 1;"
        f" DELETE FROM call_last_by_owner WHERE owner = {row}.owner AND key = {k};"
        f" INSERT INTO call_last_by_owner (owner, key, deal, date, act, {_cols('', 'owner')})"
        f" SELECT a.owner, {k}, {_deal('a')}, a.date, a.id, {_cols('a', 'owner')}"
        f" FROM activity a WHERE {_key('a')} = {k} AND a.owner = {row}.owner"
        " ORDER BY a.date DESC, a.rowid DESC LIMIT 1;")


def _newer(table: str) -> str:
    """The upsert's condition: the inserted call comes after the summary's."""
    return (f"(excluded.date, NEW.rowid) > ({table}.date,"
            f" (SELECT rowid FROM activity WHERE id = {table}.act))")


def _set(but: str = "") -> str:
    return ", ".join(f"{c} = excluded.{c}" for c in ("deal", "date", "act", *_COPIED)
                     if c != but)


#: the backend's own tables (no kind of theirs in core/kinds.py)
TABLES = ("call_last", "call_last_by_owner")
_K = _key("NEW")
_TEXT = ", ".join(f"{c} TEXT" for c in _COPIED)
TABLES_AND_INDEXES: tuple[str, ...] = (
    "CREATE INDEX idx_activity_call_key ON activity"
    " (COALESCE(NULLIF(opportunity_id, ''), customer_id), date)",
    ("CREATE TABLE call_last (key TEXT PRIMARY KEY, deal INTEGER NOT NULL,"
     f" date TEXT NOT NULL, act TEXT NOT NULL, run INTEGER NOT NULL, {_TEXT})"
     " WITHOUT ROWID"),
    "CREATE INDEX idx_call_last_date ON call_last (date)",
    "CREATE INDEX idx_call_last_next_due ON call_last (next_due)",
    ("CREATE TABLE call_last_by_owner (owner TEXT NOT NULL, key TEXT NOT NULL,"
     f" deal INTEGER NOT NULL, date TEXT NOT NULL, act TEXT NOT NULL,"
     f" {', '.join(f'{c} TEXT' for c in _COPIED if c != 'owner')},"
     " PRIMARY KEY (owner, key)) WITHOUT ROWID"),
)

#: migration 0012's fill (released: its text never changes; :data:`FILL` does the same
#: faster, for a bulk load)
_FILL_0012: tuple[str, ...] = (
    (f"INSERT INTO call_last (key, deal, date, act, run, {_cols('')})"
     f" SELECT key, deal, date, id, run, {_cols('')} FROM ("
     f"  WITH a AS (SELECT {_key('activity')} AS key, {_deal('activity')} AS deal, id, date,"
     f"   outcome, {_cols('')}, date || printf('%020d', rowid) AS k FROM activity),"
     "  o AS (SELECT key, MAX(k) AS k FROM a WHERE outcome IS NOT 'continuance'"
     "   GROUP BY key)"
     f"  SELECT a.key, a.deal, a.id, a.date, {_cols('a')}, MAX(a.k),"
     "   SUM(a.k > COALESCE(o.k, '')) AS run FROM a LEFT JOIN o ON o.key = a.key"
     "  GROUP BY a.key)"),
    (f"INSERT INTO call_last_by_owner (owner, key, deal, date, act, {_cols('', 'owner')})"
     f" SELECT owner, key, deal, date, id, {_cols('', 'owner')} FROM ("
     f"  SELECT owner, {_key('activity')} AS key, {_deal('activity')} AS deal, date, id,"
     f"   {_cols('', 'owner')}, MAX(date || printf('%020d', rowid)) FROM activity"
     "  WHERE owner IS NOT NULL GROUP BY owner, key)"),
)

#: the working table of :data:`FILL`: per (key, owner) the latest call's (date, rowid), the
#: latest other-than-continuance call's, and the number of calls. Untyped columns, so
#: ``_key(...) = key`` has no affinity to apply and ``idx_activity_call_key`` serves it.
_WORK = "temp.call_fill"

#: fill the summaries from the calls there after a bulk load, without sorting the calls:
#: one pass in rowid order upserts each call into :data:`_WORK` (the later rowid wins a
#: tie of dates, as ``find``'s order does); each key's row comes from its owners' rows
#: (walked in key order), its trailing continuances counted through
#: ``idx_activity_call_key``; the latest rows are read by rowid. Same rows as
#: migration 0012's GROUP BYs over every call (large: 8.1 → 3.4 s CPU; tests/test_rollups.py).
#: A call with no owner is kept under the blob ``X''``, which no owner's text equals, and
#: gets no by-owner row.
FILL: tuple[str, ...] = (
    # the temp store's cache holds the working table (~130k rows on large) in memory
    "PRAGMA temp.cache_size = -32768",
    f"DROP TABLE IF EXISTS {_WORK}",
    (f"CREATE TABLE {_WORK} (key, owner, ld, lr, od, orr, n,"
     " PRIMARY KEY (key, owner)) WITHOUT ROWID"),
    (f"INSERT INTO {_WORK} (key, owner, ld, lr, od, orr, n)"
     f" SELECT {_key('activity')}, coalesce(owner, X''), date, rowid,"
     "  CASE WHEN outcome IS NOT 'continuance' THEN date END,"
     "  CASE WHEN outcome IS NOT 'continuance' THEN rowid END, 1"
     " FROM activity WHERE true ORDER BY rowid"
     " ON CONFLICT (key, owner) DO UPDATE SET"
     "  ld = CASE WHEN excluded.ld >= coalesce(ld, '') THEN excluded.ld ELSE ld END,"
     "  lr = CASE WHEN excluded.ld >= coalesce(ld, '') THEN excluded.lr ELSE lr END,"
     "  od = CASE WHEN excluded.od >= coalesce(od, '') THEN excluded.od ELSE od END,"
     "  orr = CASE WHEN excluded.od >= coalesce(od, '') THEN excluded.orr ELSE orr END,"
     "  n = n + 1"),
    (f"INSERT INTO call_last (key, deal, date, act, run, {_cols('')})"
     f" SELECT g.key, {_deal('a')}, a.date, a.id,"
     "  CASE WHEN g.o IS NULL THEN g.n WHEN g.o = g.l THEN 0 ELSE"
     "   (SELECT count(*) FROM activity c INDEXED BY idx_activity_call_key"
     f"    WHERE {_key('c')} = g.key AND (c.date, c.rowid)"
     "    > (substr(g.o, 1, length(g.o) - 20), CAST(substr(g.o, -20) AS INTEGER))) END,"
     f"  {_cols('a')}"
     " FROM (SELECT key, sum(n) AS n, max(ld || printf('%020d', lr)) AS l,"
     f"   max(od || printf('%020d', orr)) AS o FROM {_WORK} GROUP BY key) g"
     " JOIN activity a ON a.rowid = CAST(substr(g.l, -20) AS INTEGER)"),
    (f"INSERT INTO call_last_by_owner (owner, key, deal, date, act, {_cols('', 'owner')})"
     f" SELECT f.owner, f.key, {_deal('a')}, a.date, a.id, {_cols('a', 'owner')}"
     f" FROM {_WORK} f JOIN activity a ON a.rowid = f.lr WHERE f.owner IS NOT X''"),
    f"DROP TABLE {_WORK}",
    "PRAGMA temp.cache_size = -2000",  # SQLite's default again (the backend sets none)
)

#: keep them on every write
TRIGGERS: tuple[str, ...] = (
    # a new call: the key's newest (in place) or back-dated (recount the run)
    ("CREATE TRIGGER call_last_insert AFTER INSERT ON activity BEGIN"
     f" INSERT INTO call_last (key, deal, date, act, run, {_cols('')})"
     f" VALUES ({_K}, {_deal('NEW')}, NEW.date, NEW.id,"
     f"  NEW.outcome IS 'continuance', {_cols('NEW')})"
     f" ON CONFLICT (key) DO UPDATE SET {_set()},"
     "  run = CASE WHEN excluded.run THEN call_last.run + 1 ELSE 0 END"
     f"  WHERE {_newer('call_last')};"
     f" UPDATE call_last SET run = {_run(_K)} WHERE key = {_K} AND act IS NOT NEW.id;"
     f" INSERT INTO call_last_by_owner (owner, key, deal, date, act, {_cols('', 'owner')})"
     f" SELECT NEW.owner, {_K}, {_deal('NEW')}, NEW.date, NEW.id, {_cols('NEW', 'owner')}"
     " WHERE NEW.owner IS NOT NULL"
     f" ON CONFLICT (owner, key) DO UPDATE SET {_set('owner')}"
     f"  WHERE {_newer('call_last_by_owner')};"
     " END"),
    ("CREATE TRIGGER call_last_update AFTER UPDATE OF id, date, opportunity_id,"
     " customer_id, owner, outcome, next_step, next_due ON activity BEGIN"
     f" {_refresh('OLD')} {_refresh('NEW')} END"),
    f"CREATE TRIGGER call_last_delete AFTER DELETE ON activity BEGIN {_refresh('OLD')} END",
)

MIGRATION: tuple[str, ...] = TABLES_AND_INDEXES + _FILL_0012 + TRIGGERS


def refill(conn: Any) -> None:
    """The summaries again from the whole call history: what a bulk load that ran
    without the triggers (kam import) does at its end."""
    for table in TABLES:
        conn.execute(f"DELETE FROM {table}")
    for sql in FILL:
        conn.execute(sql)

_CALL_COLUMNS = "a.id, a.date, a.opportunity_id, a.customer_id, a.owner, a.next_step, a.next_due"
_SUMMARY_COLUMNS = ("s.act, s.date, s.opportunity_id, s.customer_id, s.owner, s.next_step,"
                    " s.next_due")
_LIVE = ("SELECT id FROM opportunity WHERE status IN ('open', 'won')"
         " AND completed_at IS NULL")


class CallSummaries:
    """:class:`kam.storage.ActivityRollup`'s ``latest_calls`` and ``deal_touches`` from
    the maintained summaries (mixed into :class:`SQLiteStorage`)."""

    conn: sqlite3.Connection

    def _rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        raise NotImplementedError  # SQLiteStorage's

    def latest_calls(self, as_of: dt.date, owner: str | None = None,
                     due_by: dt.date | None = None) -> Iterator[Record]:
        """The latest call per live deal (or customer): the summary row where it is not
        after ``as_of``; the history query for the keys whose latest call is."""
        return self._latest(as_of, owner, due_by)

    def latest_calls_on(self, as_of: dt.date, deals: Sequence[str],
                        due_by: dt.date | None = None) -> Iterator[Record]:
        """:class:`kam.storage.LatestCallsOn`: the summary rows of those deals only (a
        deal's key is its id), a few thousand deals per query."""
        wanted = sorted(set(deals))
        for start in range(0, len(wanted), 5000):
            yield from self._latest(as_of, None, due_by, wanted[start:start + 5000])

    def _latest(self, as_of: dt.date, owner: str | None, due_by: dt.date | None,
                keys: Sequence[str] | None = None) -> Iterator[Record]:
        day = as_of.isoformat()
        table, mine, params = "call_last", "", [day]
        if owner:
            table, mine, params = "call_last_by_owner", " AND s.owner = ?", [day, owner]
        if keys is not None:
            mine += f" AND s.key IN ({', '.join('?' * len(keys))})"
            params += keys
        due, due_params = "", []
        if due_by is not None:
            due, due_params = " AND s.next_due IS NOT NULL AND s.next_due <= ?", [
                due_by.isoformat()]
        live = f"(s.deal = 0 OR s.key IN ({_LIVE}))"
        if keys is not None or owner:  # one person's: look each up, not list every live deal
            live = ("(s.deal = 0 OR EXISTS (SELECT 1 FROM opportunity o WHERE o.id = s.key"
                    " AND o.status IN ('open', 'won') AND o.completed_at IS NULL))")
        rows = self._rows(f"SELECT {_SUMMARY_COLUMNS} FROM {table} s"
                          f" WHERE s.date <= ?{mine} AND {live}{due}", params + due_params)
        theirs = ""
        if owner:
            theirs = " AND a.owner = ?"
        later = [*params, day] + ([owner] if owner else [])
        # nothing called after ``as_of`` (today, as a rule; call_last has every key's
        # latest call, an owner's is no later): no history to read
        if not self._rows("SELECT 1 FROM call_last WHERE date > ? LIMIT 1", [day]):
            later = []
        rows += [r[:7] for r in (self._rows(
            f"SELECT {_CALL_COLUMNS}, MAX(a.date || printf('%020d', a.rowid))"
            f" FROM activity a WHERE {_key('a')} IN (SELECT s.key FROM {table} s"
            f"  WHERE s.date > ?{mine} AND {live})"
            f" AND a.date <= ?{theirs} GROUP BY {_key('a')}", later) if later else [])
            if due_by is None or (r[6] and r[6] <= due_by.isoformat())]
        dated = dt.date.fromisoformat
        for r in rows:
            yield {"id": r[0], "date": dated(r[1]), "opportunity_id": r[2],
                   "customer_id": r[3], "owner": r[4], "next_step": r[5],
                   "next_due": dated(r[6]) if r[6] else None}

    def deal_touches(self, as_of: dt.date, customer: str | None = None
                     ) -> Iterator[tuple[str, dt.date, int]]:
        """Per open deal: its latest call's date and trailing continuance run, from the
        summary; one customer's calls (and keys called after ``as_of``) from history."""
        if customer:
            return iter(self._touches_from_history("customer_id = ?", [customer], as_of))
        day = as_of.isoformat()
        open_deals = "SELECT id FROM opportunity WHERE status = 'open'"
        rows = self._rows(f"SELECT key, date, run FROM call_last WHERE deal AND date <= ?"
                          f" AND key IN ({open_deals})", [day])
        dated = dt.date.fromisoformat
        out = [(r[0], dated(r[1]), int(r[2])) for r in rows]
        out += self._touches_from_history(
            f"{_key('activity')} IN (SELECT key FROM call_last WHERE deal AND date > ?"
            f" AND key IN ({open_deals}))", [day], as_of)
        return iter(out)

    def _touches_from_history(self, only: str, params: list[Any], as_of: dt.date
                              ) -> list[tuple[str, dt.date, int]]:
        rows = self._rows(
            "WITH a AS (SELECT opportunity_id AS opp, date, outcome,"
            "  date || printf('%020d', rowid) AS k FROM activity"
            f"  WHERE {only} AND date <= ? AND opportunity_id IN"
            "   (SELECT id FROM opportunity WHERE status = 'open')),"
            " b AS (SELECT opp, MAX(k) AS last_other FROM a"
            "  WHERE outcome IS NOT 'continuance' GROUP BY opp)"
            " SELECT a.opp, MAX(a.date), SUM(a.k > COALESCE(b.last_other, ''))"
            " FROM a LEFT JOIN b ON a.opp = b.opp GROUP BY a.opp",
            [*params, as_of.isoformat()])
        dated = dt.date.fromisoformat
        return [(r[0], dated(r[1]), int(r[2])) for r in rows]


#: a milestone with money outstanding (money is integer cents): the WHERE terms of
#: :meth:`OpenReceivableQuery.open_receivables`, and of the partial index that serves it
OPEN_TERMS = ("COALESCE(written_off_on, '') = ''",
              "COALESCE(amount, 0) - COALESCE(paid, 0) - COALESCE(written_off, 0) > 0")

#: a milestone with collection notes (kam receivable note): the WHERE term of
#: ``open_receivables(noted=True)``, and of the partial index that serves it (``0016``)
NOTED_TERM = "COALESCE(collection_notes, '') NOT IN ('', '[]')"

#: migration ``0013_check_open_receivables``: the open milestones by due date (a team with
#: history has most milestones paid: ``kam check`` and ``kam today`` read ~1 in 5 of
#: those due). SQLite uses a partial index when the query repeats its terms word for word.
OPEN_RECEIVABLES_INDEX: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS idx_receivable_open ON receivable (due_date)"
    f" WHERE {' AND '.join(OPEN_TERMS)}",)


class OpenReceivableQuery:
    """:class:`kam.storage.OpenReceivables`: the outstanding test in the WHERE clause
    (money is integer cents), so paid and written-off milestones are never decoded."""

    def _query(self, k: Kind, columns: str, where: Where | None, order_by: Sequence[str],
               limit: int | None = None, offset: int = 0, also: str = "",
               also_params: Sequence[Any] = ()) -> Iterator[Record]:
        raise NotImplementedError  # SQLiteStorage's

    def open_receivables(self, where: Where | None = None, due_by: dt.date | None = None,
                         noted: bool = False, order_by: Sequence[str] = ("id",)
                         ) -> Iterator[Record]:
        also = list(OPEN_TERMS)
        params: list[Any] = []
        if due_by is not None:
            also.append("due_date <= ?")
            params.append(due_by.isoformat())
        if noted:
            also.insert(0, NOTED_TERM)
        return self._query(kind("receivable"), "*", where, order_by, also=" AND ".join(also),
                           also_params=params)


#: what is outstanding on a milestone, in cents (the second of :data:`OPEN_TERMS`)
_OUTSTANDING = "COALESCE(amount, 0) - COALESCE(paid, 0) - COALESCE(written_off, 0)"


class OpenBalanceQuery:
    """:class:`kam.storage.OpenBalances`: four columns through ``idx_receivable_open``
    (its terms word for word), money in cents made Decimal as ``find`` does."""

    conn: sqlite3.Connection

    def open_balances(self, due_by: dt.date) -> Iterator[tuple[str, dt.date, str | None,
                                                               Decimal]]:
        try:
            cur = self.conn.execute(
                f"SELECT id, due_date, currency, {_OUTSTANDING} FROM receivable"
                f" WHERE {' AND '.join(OPEN_TERMS)} AND due_date <= ?"
                " ORDER BY due_date, rowid", (due_by.isoformat(),))  # ``find``'s id order
            day = dt.date.fromisoformat
            while rows := cur.fetchmany(2000):
                for rid, due, currency, cents in rows:
                    yield rid, day(due), currency, Decimal(cents).scaleb(-2)
        except sqlite3.Error as exc:
            from kam.plugins.storage_sqlite.backend import _translate

            raise _translate(exc) from None

    def unflagged_late(self, due_by: dt.date, flag_type: str) -> Iterator[str]:
        """:class:`kam.storage.UnflaggedLate`: the customers of ``open_balances`` (through
        its index: the planner would walk every milestone by customer) whose flags,
        read by SQLite's JSON functions, have none of ``flag_type`` open."""
        try:
            cur = self.conn.execute(
                "SELECT late.cu FROM (SELECT DISTINCT customer_id AS cu FROM receivable"
                f" INDEXED BY idx_receivable_open WHERE {' AND '.join(OPEN_TERMS)}"
                " AND due_date <= ?) AS late JOIN customer c ON c.id = late.cu"
                " WHERE NOT EXISTS (SELECT 1 FROM json_each(c.flags) f"
                " WHERE json_extract(f.value, '$.type') = ?"
                " AND json_extract(f.value, '$.decision') IS NOT 'cleared')"
                " ORDER BY late.cu", (due_by.isoformat(), flag_type))
            return iter([cu for (cu,) in cur.fetchall()])
        except sqlite3.Error as exc:
            from kam.plugins.storage_sqlite.backend import _translate

            raise _translate(exc) from None


class EventValueQuery:
    """:class:`kam.storage.EventValues`: one payload value per event by ``json_extract``,
    in event order, instead of decoding every event."""

    conn: sqlite3.Connection

    def event_values(self, kinds: Sequence[str], key: str
                     ) -> Iterator[tuple[str, str | None, Any]]:
        wanted = payload_kinds(kinds, key)
        if not wanted:
            return iter(())
        try:
            rows = self.conn.execute(
                f"SELECT kind, record_id, json_extract(payload, '$.{key}'),"
                f" json_type(payload, '$.{key}') FROM event"
                f" WHERE kind IN ({', '.join('?' * len(wanted))}) ORDER BY rowid",
                wanted).fetchall()
        except sqlite3.Error as exc:
            from kam.plugins.storage_sqlite.backend import _translate

            raise _translate(exc) from None
        # json_extract gives a list or object as its JSON text and true/false as 1/0:
        # the decoded payload's value is what the reference (and PostgreSQL) gives
        return iter([(kind_, record_id, _decoded(value, of))
                     for kind_, record_id, value, of in rows])


#: json types ``json_extract`` gives as the decoded value itself (not text or 0/1)
_PLAIN = frozenset({"integer", "real", "text", "null", None})


def _decoded(value: Any, json_type: str | None) -> Any:
    if json_type in ("array", "object"):
        return json.loads(value)
    if json_type in ("true", "false"):
        return json_type == "true"
    return value


#: the terms of ``idx_event_reminder``, repeated word for word by its query
_REMINDERS = "kind IN ('receivable.due', 'receivable.overdue')"
_LEVEL = "json_extract(payload, '$.level'), json_type(payload, '$.level')"

#: migration ``0014_check_fired_reminders``: ``kam check``'s reminder events with their
#: level, so a run reads what fired before from the index, not from ~100k event rows
REMINDER_INDEX: tuple[str, ...] = (
    f"CREATE INDEX IF NOT EXISTS idx_event_reminder ON event (kind, record_id, {_LEVEL})"
    f" WHERE {_REMINDERS}",)


class FiredReminderQuery:
    """:class:`kam.storage.FiredReminders` from ``idx_event_reminder`` (no event row read;
    the same decoding of the level as :class:`EventValueQuery`)."""

    conn: sqlite3.Connection

    def fired_reminders(self) -> Iterator[tuple[str, str | None, Any]]:
        try:
            rows = self.conn.execute(
                f"SELECT kind, record_id, {_LEVEL} FROM event INDEXED BY idx_event_reminder"
                f" WHERE {_REMINDERS}").fetchall()
        except sqlite3.Error as exc:
            from kam.plugins.storage_sqlite.backend import _translate

            raise _translate(exc) from None
        plain = _PLAIN  # most levels are numbers: decoded only when JSON-typed
        return iter([(kind_, record_id, value if of in plain else _decoded(value, of))
                     for kind_, record_id, value, of in rows])
