"""SQLite's bulk paths for ``kam export`` and ``kam import`` (``kam.storage.StoredRows``,
``kam.storage.BulkLoad``), mixed into :class:`SQLiteStorage`.

Export reads rows as they are stored: money as cents, json as its stored text (written
by ``json.dumps(..., sort_keys=True)`` everywhere kam writes it, so exactly the text the
export would make again), with nothing decoded. Import writes rows in that same form in
one ``executemany`` per batch, and builds the secondary indexes and the event index
(``event_ref``) once at the end of the load, sorted, instead of row by row: inserting
1.8M events' references in random ``ref`` order was most of a large import's time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from kam.errors import StorageError
from kam.storage import kind, load_columns

#: the event index of the events loaded after rowid ?, sorted by (ref, event id): one
#: pass over the loaded events in SQLite (JSON1) instead of random inserts row by row.
#: UNION ALL: a pair met twice (the record also in refs) is dropped by INSERT OR IGNORE
#: on the primary key, without a temp b-tree of every pair for UNION (medium 0.75 → 0.44 s)
_INDEX_LOADED_EVENTS = (
    "INSERT OR IGNORE INTO event_ref (event_id, ref)"
    " SELECT event_id, ref FROM ("
    "  SELECT id AS event_id, record_id AS ref FROM event"
    "   WHERE rowid > ? AND record_id IS NOT NULL AND record_id != ''"
    "  UNION ALL"
    "  SELECT e.id, j.value FROM event AS e, json_each(e.refs) AS j"
    "   WHERE e.rowid > ? AND e.refs IS NOT NULL AND e.refs != '[]'"
    "   AND j.value IS NOT NULL AND j.value != '')"
    " ORDER BY ref, event_id")
class BulkPaths:
    """``stored_rows``, ``load_rows``, ``deferred_indexes``, ``references_checked`` and
    ``load_journal`` for SQLiteStorage."""

    conn: sqlite3.Connection
    _depth: int
    #: while loading with deferred indexes: the event log's last rowid before the load
    #: (its index is built for the events after it at the end), else None
    _events_before: int | None = None

    def stored_rows(self, kind_name: str) -> Iterator[tuple[Any, ...]]:
        """Every row of a kind in id order (rowid: the order ``find`` gives), as stored."""
        from kam.plugins.storage_sqlite.aggregates import streamed

        k = kind(kind_name)
        cols = ", ".join(f'"{f.name}"' for f in k.fields)
        yield from streamed(self.conn, f'SELECT {cols} FROM "{k.name}" ORDER BY rowid', (),
                            1000)

    def load_rows(self, kind_name: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows in stored form; events also get their references and the sequence."""
        from kam.plugins.storage_sqlite.backend import _translate

        k, names = load_columns(self._depth, kind_name)
        if not rows:
            return
        cols = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" * len(names))
        try:
            self.conn.executemany(f'INSERT INTO "{k.name}" ({cols}) VALUES ({marks})', rows)
            if k.name == "event":
                if self._events_before is None:  # else indexed at the end of the load
                    self._load_event_refs(rows, names.index("record_id"),
                                          names.index("refs"))
                last = int(rows[-1][0][len(k.prefix):])
                self.conn.execute(
                    "INSERT INTO kam_sequence (kind, value) VALUES ('event', ?)"
                    " ON CONFLICT(kind) DO UPDATE SET value = max(value, excluded.value)",
                    (last,))
        except sqlite3.Error as exc:
            raise _translate(exc) from None

    def sequence_value(self, kind_name: str) -> int:
        row = self.conn.execute("SELECT value FROM kam_sequence WHERE kind = ?",
                                (kind(kind_name).name,)).fetchone()
        return int(row[0]) if row else 0

    def _load_event_refs(self, rows: Sequence[Sequence[Any]], at_record: int,
                         at_refs: int) -> None:
        pairs: list[tuple[str, str]] = []
        for row in rows:
            refs = row[at_refs]
            found = set(json.loads(refs)) if refs and refs != "[]" else set()
            found.add(row[at_record])
            pairs.extend((row[0], ref) for ref in found if ref)
        self.conn.executemany("INSERT OR IGNORE INTO event_ref (event_id, ref) VALUES (?, ?)",
                              pairs)

    @contextmanager
    def references_checked(self) -> Iterator[None]:
        """``kam.storage.CheckedReferences``: foreign keys off for kam import, which
        checks every reference itself. On large, SQLite's look-up of each call's deal and
        customer was ~4 s of the 1M calls' inserts (~1.4 s without)."""
        if self._depth:
            raise StorageError("references_checked() goes outside storage.transaction()")
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def load_journal(self) -> Iterator[None]:
        """``kam.storage.LoadJournal``: a rollback journal instead of the WAL for kam
        import's one transaction. In WAL mode every page of the new database is written
        twice (to the WAL, then copied into the database by the checkpoint at commit);
        with a rollback journal it is written once, and the journal holds only the empty
        workspace's few pages: still all or nothing (a crash leaves the journal, and the
        next open rolls the load back). Medium: −0.3 s of system time (of ~0.7 s).

        Another connection to the database keeps it in WAL mode (SQLite refuses the
        change, or waits and refuses): the load then runs as before. The WAL comes back
        when the context ends, however it ends; were that refused (a reader came in),
        the next open of the workspace turns it back on."""
        if self._depth:
            raise StorageError("load_journal() goes outside storage.transaction()")
        conn = self.conn
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.Error:
            mode = "wal"
        if mode != "wal":  # a rollback journal is only power-safe fully synced: a few
            conn.execute("PRAGMA synchronous = FULL")  # syncs for the one transaction
        try:
            yield
        finally:
            if mode != "wal":
                with suppress(sqlite3.Error):
                    conn.execute("PRAGMA synchronous = NORMAL")
                    conn.execute("PRAGMA journal_mode = WAL")

    @contextmanager
    def deferred_indexes(self) -> Iterator[None]:
        """Drop the secondary indexes (and leave the event index) and the triggers that
        keep the summaries (the calls', the open deals' sums); at the end build the indexes
        and fill the summaries from the whole history in one pass each (row by row, a
        back-dated call recounts its deal's run through an index that is not there during
        the load), and drop ``kam check``'s mark.

        Runs inside the caller's transaction: SQLite's schema changes are transactional,
        so a failed load rolls the dropped indexes back with everything else.
        """
        from kam.plugins.storage_sqlite import check_mark, deal_sums, summaries
        from kam.plugins.storage_sqlite.backend import _translate

        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        conn = self.conn
        try:
            indexes = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND sql IS NOT NULL ORDER BY name").fetchall()
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
            triggers = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                " AND sql IS NOT NULL ORDER BY name").fetchall()
            for name, _ in triggers:
                conn.execute(f'DROP TRIGGER "{name}"')
            before = conn.execute("SELECT coalesce(max(rowid), 0) FROM event").fetchone()[0]
            conn.execute("SELECT json_valid('[]')")  # JSON1 is there (since SQLite 3.38)
        except sqlite3.OperationalError as exc:
            if "json_valid" not in str(exc):
                raise _translate(exc) from None
            before = None  # no JSON1: events are indexed as they are loaded
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        self._events_before = before
        try:
            yield
        finally:
            self._events_before = None
        try:
            if before is not None:
                conn.execute(_INDEX_LOADED_EVENTS, (before, before))
            for _, sql in indexes:
                conn.execute(sql)
            summaries.refill(conn)
            deal_sums.refill(conn)
            check_mark.forget(conn)  # the loaded milestones were not marked as touched
            for _, sql in triggers:
                conn.execute(sql)
        except sqlite3.Error as exc:
            raise _translate(exc) from None
