"""PostgreSQL storage: one connection, READ COMMITTED, writers queued on one row lock.

Reads run outside transactions (autocommit, a fresh snapshot per statement). A write
transaction first locks the ``kam_writer`` row, so a service's reads, checks and writes
see no concurrent change (the same promise as SQLite's IMMEDIATE transactions), and
inside it a contract or a deal read by id is locked too (``FOR NO KEY UPDATE``): the
payments against one contract and the advances of one deal queue on that row even
for a writer that does not take the writer lock. Ids come from ``kam_sequence`` rows
(transactional: a rolled-back id is not used up, no gaps), each row read and locked
once per transaction and written back before the commit; events are sent in batches.
Serialization failures and deadlocks become :class:`kam.storage.RetryableError`, which
``atomic`` retries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg
from kam.errors import StorageError
from kam.kinds import KINDS, Kind
from kam.plugins.storage_postgres import schema
from kam.plugins.storage_postgres.aggregates import PostgresAggregates
from kam.plugins.storage_postgres.bulk import PostgresBulk
from kam.plugins.storage_postgres.check_reads import PostgresCheckReads
from kam.plugins.storage_postgres.errors import translate
from kam.plugins.storage_postgres.receivable_csv import PostgresReceivableCsv
from kam.plugins.storage_postgres.report_reads import PostgresReportReads
from kam.plugins.storage_postgres.rollups import PostgresRollup
from kam.plugins.storage_postgres.sql import decoder, json_value, order_sql, to_db, where_sql
from kam.plugins.storage_postgres.summaries import PostgresSummaries
from kam.plugins.storage_postgres.today_receivables import PostgresDueReceivables
from kam.storage import (
    ConflictError,
    JsonText,
    Record,
    RetryableError,
    Where,
    kind,
    split_order,
    update_types,
)
from psycopg.types.string import TextLoader

log = logging.getLogger("kam.storage.postgres")

#: kinds whose rows a write transaction locks when it reads them by id
LOCKED_KINDS = frozenset({"contract", "opportunity"})


class PostgresStorage(PostgresRollup, PostgresAggregates, PostgresSummaries,
                      PostgresReportReads, PostgresCheckReads, PostgresReceivableCsv,
                      PostgresDueReceivables, PostgresBulk):
    name = "postgres"

    def __init__(self, dsn: str, lock_timeout_ms: int = 15000) -> None:
        self.dsn = dsn
        self._depth = 0
        #: the last id per kind handed out in this transaction (its row is locked);
        #: written back once, before COMMIT (one row updated thousands of times in one
        #: transaction grows a version chain that every update walks)
        self._ids: dict[str, int] = {}
        self._ids_read: dict[str, int] = {}
        #: events appended in this transaction, not yet sent: they go in one batch before
        #: the next statement or the commit (an import appends hundreds of thousands)
        self._pending: list[Record] = []
        #: streamed reads: how many so far (their cursors' names), those left early
        self._cursors = 0
        self._abandoned: list[psycopg.ServerCursor[Any]] = []
        try:
            self.conn = psycopg.connect(dsn, autocommit=True, connect_timeout=10,
                                        application_name="kam",
                                        options=f"-c lock_timeout={int(lock_timeout_ms)}"
                                        " -c cursor_tuple_fraction=1")
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StorageError(f"cannot connect to the database: {first}") from None
        try:
            me = self._ensure_schema()
        except BaseException as exc:
            self.close()
            if isinstance(exc, psycopg.Error):
                raise translate(exc) from None
            raise
        #: the connected team member's role (``kam_team``), None for the workspace owner
        self.team_role: str | None = me[1]
        #: who acts: a team member is the database user (the workspace takes it over
        #: KAM_USER, and the database stamps it on every event); None otherwise
        self.actor: str | None = me[0] if me[1] else None

    # --- schema -----------------------------------------------------------------------

    def _where_am_i(self) -> str:
        info = self.conn.info
        return f"database {info.dbname} on {info.host}:{info.port}"

    _WHO = ("SELECT (SELECT count(*) FROM kam_migrations), session_user::text,"
            " (SELECT role FROM kam_team WHERE name = session_user::text)")

    def _ensure_schema(self) -> tuple[str, str | None]:
        """Bring the database to this kam's schema version, and say who is connected
        (user, team role): one query when the schema is there already; otherwise the
        pending steps in one transaction (all or nothing)."""
        try:
            found = self._one(self._WHO)
            if int(found[0]) == schema.SCHEMA_VERSION:
                return found[1], found[2]
            version = int(found[0])
        except RetryableError:
            raise
        except StorageError:  # no ledger or no team table yet: an older or new database
            version = 0
        if version > schema.SCHEMA_VERSION:
            raise schema.too_new(version, self._where_am_i())
        for attempt in range(3):  # two first-time migrators may race on CREATE TABLE
            try:
                with self.conn.transaction():
                    schema.migrate(self.conn, self._where_am_i())
                break
            except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateTable):
                if attempt == 2:
                    raise
        found = self._one(self._WHO)
        return found[1], found[2]

    # --- reads ------------------------------------------------------------------------

    #: rows fetched at a time by a streamed read
    PAGE = 2000

    def _rows(self, k: Kind, sql: str, params: Sequence[Any], stream: bool = True
              ) -> Iterator[Record]:
        decode = None
        for names, rows in self._pages(sql, params, stream):
            decode = decode or decoder(k, names)
            yield from map(decode, rows)

    def _tuples(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """A query's rows as tuples, streamed."""
        for _names, rows in self._pages(sql, params, True):
            yield from rows

    def _pages(self, sql: str, params: Sequence[Any], stream: bool, size: int = PAGE,
               text_dates: bool = False
               ) -> Iterator[tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
        """A query's rows a page at a time, with their column names. A ``stream`` read
        outside a transaction goes through a ``WITH HOLD`` cursor on the server: the
        client holds one page, and the caller may run other queries between pages
        (``cursor.stream`` holds the connection until the last row: a caller querying
        in its loop would wait on itself). A bounded read (``get``, a ``limit``), or
        one inside a transaction (the service's snapshot), is one fetch. ``text_dates``:
        date columns as the server's text, not parsed (the session's DateStyle is ISO)."""
        self._flush()
        if not stream or self._depth:
            try:
                one = self.conn.cursor()
                if text_dates:
                    one.adapters.register_loader("date", TextLoader)
                cur = one.execute(sql.encode(), params)
                names = tuple(d.name for d in cur.description or ())
                rows = cur.fetchall()
            except psycopg.Error as exc:
                raise translate(exc) from None
            for start in range(0, len(rows), size):
                yield names, rows[start:start + size]
            return
        self._cursors += 1
        cur = self.conn.cursor(f"kam_read_{self._cursors}", withhold=True)
        if text_dates:
            cur.adapters.register_loader("date", TextLoader)
        read = False
        try:
            cur.execute(sql.encode(), params)
            names = tuple(d.name for d in cur.description or ())
            while rows := cur.fetchmany(size):
                yield names, rows
            read = True
        except psycopg.Error as exc:
            raise translate(exc) from None
        finally:
            if read:
                self._close_cursor(cur)
            else:  # left early (or failed): closed before the next statement, never
                self._abandoned.append(cur)  # from a finaliser amid another query

    def _close_cursor(self, cur: psycopg.ServerCursor[Any]) -> None:
        try:
            cur.close()
        except psycopg.Error as exc:  # the session is gone: so is the cursor
            log.debug("closing a cursor failed: %s", exc)

    def get(self, kind_name: str, record_id: str) -> Record | None:
        k = kind(kind_name)
        lock = " FOR NO KEY UPDATE" if self._depth and k.name in LOCKED_KINDS else ""
        rows = self._rows(k, f'SELECT * FROM "{k.name}" WHERE id = %s{lock}', (record_id,),
                          stream=False)
        return next(rows, None)

    def find(
        self,
        kind_name: str,
        where: Where | None = None,
        order_by: Sequence[str] = ("id",),
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Record]:
        return self._query(kind(kind_name), "*", where, order_by, limit, offset)

    def select(
        self,
        kind_name: str,
        fields: Sequence[str],
        where: Where | None = None,
        order_by: Sequence[str] = ("id",),
        distinct: bool = False,
        limit: int | None = None,
    ) -> Iterator[Record]:
        """Optional fast path (reports): like :meth:`find`, reading only ``fields``."""
        k = kind(kind_name)
        cols = self._columns(k, fields)
        if distinct:
            # DISTINCT needs its ORDER BY among the columns: de-duplicate, then order
            sql_where, params = where_sql(k, where)
            orders = [order_sql(k, key) for key in order_by or ()]
            inner = f'SELECT DISTINCT {cols} FROM "{k.name}"{sql_where}'
            if orders and all(split_order(k, key)[0] in fields for key in order_by):
                inner += " ORDER BY " + ", ".join(orders)
            if limit is not None:
                inner += " LIMIT %s"
                params.append(int(limit))
            return self._rows(k, inner, params)
        return self._query(k, cols, where, order_by, limit)

    def column_pages(self, kind_name: str, fields: Sequence[str] | None = None,
                     where: Where | None = None, order_by: Sequence[str] = ("id",),
                     limit: int | None = None, size: int = 500
                     ) -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
        """kam.storage.ColumnReads: a long list's records a page of columns at a time
        (only json columns need decoding: psycopg gives the other types)."""
        k = kind(kind_name)
        cols = "*" if fields is None else self._columns(k, fields)
        sql, params = self._sql(k, cols, where, order_by, limit)
        for names, rows in self._pages(sql, params, limit is None, size):
            page: list[Sequence[Any]] = list(zip(*rows, strict=True))
            for i, name in enumerate(names):
                if k.type_of(name) == "json":
                    page[i] = [None if v is None else json_value(v) for v in page[i]]
            yield list(names), page

    def stored_text_pages(self, kind_name: str, fields: Sequence[str] | None = None,
                          where: Where | None = None, order_by: Sequence[str] = ("id",),
                          limit: int | None = None, size: int = 500
                          ) -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
        """kam.storage.StoredTextPages: ``column_pages`` with json columns as the stored
        text (kam's canonical JSON, as ``to_db`` and an import write it) and dates as
        ISO text made by the server: a csv list neither decodes nor re-encodes them."""
        k = kind(kind_name)
        names = list(fields) if fields is not None else self._table_columns(k)
        self._columns(k, names)  # the field check
        iso, date = self._date_texts()
        cols = ", ".join(date(n) if k.type_of(n) == "date" else f'"{n}"' for n in names)
        jsons = [i for i, n in enumerate(names) if k.type_of(n) == "json"]
        sql, params = self._sql(k, cols, where, order_by, limit)
        for _names, rows in self._pages(sql, params, limit is None, size, text_dates=iso):
            page: list[Sequence[Any]] = list(zip(*rows, strict=True))
            for i in jsons:
                page[i] = [None if v is None else JsonText(v) for v in page[i]]
            yield names, page

    def _date_texts(self) -> tuple[bool, Callable[[str], str]]:
        """How a read gets a date column as ISO text: (read dates as text, the column's
        expression). The server writes a date as ISO text when the session's DateStyle is
        ISO: then taken as it comes (``to_char`` on the server costs more); otherwise made
        by ``to_char``."""
        if (self.conn.info.parameter_status("DateStyle") or "").startswith("ISO"):
            return True, lambda name: f'"{name}"'
        return False, lambda name: f"to_char(\"{name}\", 'YYYY-MM-DD')"

    def _table_columns(self, k: Kind) -> list[str]:
        """The kind's table's columns in their order (what ``SELECT *`` gives)."""
        sql = ("SELECT column_name FROM information_schema.columns WHERE table_name = %s"
               " AND table_schema = current_schema() ORDER BY ordinal_position")
        return [n for _names, rows in self._pages(sql, [k.name], False) for (n,) in rows]

    @staticmethod
    def _columns(k: Kind, fields: Sequence[str]) -> str:
        for name in fields:
            if k.field(name) is None:
                raise StorageError(f"{k.name} has no field {name!r}")
        return ", ".join(f'"{name}"' for name in fields)

    def _sql(self, k: Kind, columns: str, where: Where | None, order_by: Sequence[str],
             limit: int | None = None, offset: int = 0) -> tuple[str, list[Any]]:
        sql_where, params = where_sql(k, where)
        sql = f'SELECT {columns} FROM "{k.name}"{sql_where}'
        orders = [order_sql(k, key) for key in order_by or ()]
        if orders:
            sql += " ORDER BY " + ", ".join(orders)
        if limit is not None:
            sql += " LIMIT %s"
            params.append(int(limit))
        if offset:
            sql += " OFFSET %s"
            params.append(int(offset))
        return sql, params

    def _query(self, k: Kind, columns: str, where: Where | None, order_by: Sequence[str],
               limit: int | None = None, offset: int = 0) -> Iterator[Record]:
        sql, params = self._sql(k, columns, where, order_by, limit, offset)
        return self._rows(k, sql, params, stream=limit is None)

    def count(self, kind_name: str, where: Where | None = None) -> int:
        k = kind(kind_name)
        sql_where, params = where_sql(k, where)
        found = self._one(f'SELECT count(*) FROM "{k.name}"{sql_where}', params)
        return int(found[0])

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
        self._flush()
        try:
            row = self.conn.execute(sql.encode(), params).fetchone()
        except psycopg.Error as exc:
            raise translate(exc) from None
        if row is None:
            raise StorageError(f"storage error: no row from {sql.split()[0]}")
        return tuple(row)

    # --- writes -------------------------------------------------------------------------

    def _write(self, sql: str, params: Sequence[Any]) -> psycopg.Cursor[Any]:
        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        self._flush()
        try:
            return self.conn.execute(sql.encode(), params)
        except psycopg.Error as exc:
            raise translate(exc) from None

    @staticmethod
    def _checked(k: Kind, record: Record) -> list[str]:
        names = [f.name for f in k.fields if f.name in record]
        if len(names) != len(record):
            extra = set(record) - set(k.names)
            raise StorageError(f"{k.name} has no field(s) {', '.join(sorted(extra))}")
        if not record.get("id"):
            raise StorageError(f"{k.name} record has no id")
        return names

    def insert(self, kind_name: str, record: Record) -> None:
        k = kind(kind_name)
        names = self._checked(k, record)
        cols = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join(["%s"] * len(names))
        self._write(f'INSERT INTO "{k.name}" ({cols}) VALUES ({marks})',
                    [to_db(k.type_of(n), record[n]) for n in names])

    def insert_many(self, kind_name: str, records: Sequence[Record]) -> None:
        """Optional fast path (``kam import``): one COPY for a batch."""
        k = kind(kind_name)
        for record in records:
            self._checked(k, record)
        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        names = list(k.names)
        types = [k.type_of(n) for n in names]
        cols = ", ".join(f'"{n}"' for n in names)
        self._flush()
        try:
            with self.conn.cursor() as cur, cur.copy(
                    f'COPY "{k.name}" ({cols}) FROM STDIN'.encode()) as copy:
                for r in records:
                    copy.write_row([to_db(t, r.get(n)) for n, t in zip(names, types,
                                                                         strict=True)])
        except psycopg.Error as exc:
            raise translate(exc) from None

    def advance_sequence(self, kind_name: str, value: int) -> None:
        """Optional (``kam import``): the next id of a kind follows ``value``."""
        k = kind(kind_name)
        self._ids[k.name] = max(self._last(k.name), int(value))

    def update(self, kind_name: str, record_id: str, changes: Record) -> None:
        k, _types = update_types(kind_name, changes)
        if not changes:
            return
        sets = ", ".join(f'"{n}" = %s' for n in changes)
        cur = self._write(f'UPDATE "{k.name}" SET {sets} WHERE id = %s',
                          [to_db(k.type_of(n), v) for n, v in changes.items()] + [record_id])
        if cur.rowcount != 1:
            raise ConflictError(f"{k.name} {record_id} does not exist")

    def _last(self, kind_name: str) -> int:
        """The last id of a kind, its sequence row locked until the transaction ends."""
        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        found = self._ids.get(kind_name)
        if found is None:
            cur = self._write(
                "INSERT INTO kam_sequence (kind, value) VALUES (%s, 0) ON CONFLICT (kind)"
                " DO UPDATE SET value = kam_sequence.value RETURNING value", (kind_name,))
            row = cur.fetchone()
            assert row is not None
            found = self._ids[kind_name] = self._ids_read[kind_name] = int(row[0])
        return found

    def _bump(self, kind_name: str, by: int) -> int:
        value = self._last(kind_name) + by
        self._ids[kind_name] = value
        return value

    def _save_ids(self) -> None:
        changed = [(v, k) for k, v in self._ids.items() if v != self._ids_read.get(k)]
        if changed:
            with self.conn.cursor() as cur:
                cur.executemany(b"UPDATE kam_sequence SET value = %s WHERE kind = %s", changed)

    def next_id(self, kind_name: str) -> str:
        k = kind(kind_name)
        return f"{k.prefix}{self._bump(k.name, 1)}"

    def next_ids(self, kind_name: str, count: int) -> list[str]:
        """kam.storage.IdBlocks: ``count`` ids in one step (kept, as ``next_id``'s, until
        the transaction's end)."""
        k = kind(kind_name)
        if count <= 0:
            return []
        top = self._bump(k.name, count)
        return [f"{k.prefix}{n}" for n in range(top - count + 1, top + 1)]

    def append_event(self, event: Record) -> Record:
        return self.append_events([event])[0]

    def append_events(self, events: Sequence[Record]) -> list[Record]:
        """Append events, ids in order (also an optional fast path for bulk loads).

        They are sent in one batch before the transaction's next statement or its
        commit; what is returned is what will be stored (a team member's events carry
        their database user as the actor: the database stamps it)."""
        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        k = kind("event")
        out: list[Record] = []
        for event in events:
            record = dict(event)
            record["id"] = "EV0"  # checked first: a refused event uses up no id
            self._checked(k, record)
            record["id"] = f"{k.prefix}{self._bump('event', 1)}"
            if self.actor:
                record["actor"] = self.actor
            out.append(record)
        self._pending.extend(out)
        if len(self._pending) >= 2000:
            self._flush()
        return [dict(r) for r in out]

    def _flush(self) -> None:
        """Close the cursors of reads left early; send the pending events and their index
        rows (two batched statements)."""
        while self._abandoned:
            self._close_cursor(self._abandoned.pop())
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        k = kind("event")
        names = list(k.names)
        rows = [[to_db(k.type_of(n), r.get(n)) for n in names] for r in pending]
        refs = [(r["id"], ref) for r in pending
                for ref in sorted({r.get("record_id"), *r.get("refs", [])} - {None, ""})]
        cols = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join(["%s"] * len(names))
        try:
            with self.conn.cursor() as cur:
                cur.executemany(f"INSERT INTO event ({cols}) VALUES ({marks})".encode(), rows)
                if refs:
                    cur.executemany(b"INSERT INTO event_ref (event_id, ref) VALUES (%s, %s)"
                                    b" ON CONFLICT DO NOTHING", refs)
        except psycopg.Error as exc:
            raise translate(exc) from None

    def events(
        self,
        record_id: str | None = None,
        kinds: Sequence[str] | None = None,
        after_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Record]:
        clauses: list[str] = []
        params: list[Any] = []
        if record_id:
            clauses.append("id IN (SELECT event_id FROM event_ref WHERE ref = %s)")
            params.append(record_id)
        if kinds:
            clauses.append(f"kind IN ({', '.join(['%s'] * len(kinds))})")
            params.extend(kinds)
        if after_id:
            clauses.append("(length(id), id) > (length(%s), %s)")
            params += [after_id, after_id]
        sql = "SELECT * FROM event"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY length(id), id"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(int(limit))
        return self._rows(kind("event"), sql, params, stream=limit is None)

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            yield from self._savepoint()
            return
        try:
            self.conn.execute(b"BEGIN ISOLATION LEVEL READ COMMITTED")
            self.conn.execute(b"SELECT id FROM kam_writer WHERE id = 1 FOR UPDATE")
        except psycopg.Error as exc:
            self._rollback()
            raise translate(exc) from None
        self._depth = 1
        try:
            yield
            self._flush()
            self._save_ids()
        except BaseException as exc:
            self._depth = 0
            self._ids, self._ids_read, self._pending = {}, {}, []
            self._rollback()
            if isinstance(exc, psycopg.Error):
                raise translate(exc) from None
            raise
        self._depth = 0
        self._ids, self._ids_read = {}, {}
        try:
            self.conn.execute(b"COMMIT")
        except psycopg.Error as exc:
            self._rollback()
            raise translate(exc, committing=True) from None

    def _savepoint(self) -> Iterator[None]:
        name = f"kam_sp{self._depth}"
        self._flush()
        ids, ids_read = dict(self._ids), dict(self._ids_read)
        self._depth += 1
        try:
            self.conn.execute(f"SAVEPOINT {name}".encode())
            yield
            self._flush()
        except BaseException:
            self._ids, self._ids_read = ids, ids_read  # ids it handed out are free again
            self._pending = []  # events appended inside it
            try:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}".encode())
                self.conn.execute(f"RELEASE SAVEPOINT {name}".encode())
            except psycopg.Error as exc:
                log.debug("rollback to %s failed: %s", name, exc)
            raise
        else:
            try:
                self.conn.execute(f"RELEASE SAVEPOINT {name}".encode())
            except psycopg.Error as exc:
                raise translate(exc) from None
        finally:
            self._depth -= 1

    def _rollback(self) -> None:
        if self.conn.closed:
            return
        try:
            self.conn.execute(b"ROLLBACK")
        except psycopg.Error as exc:  # the connection went away: the server rolls back
            log.debug("rollback failed: %s", exc)

    # --- the team (``kam team``) -------------------------------------------------------

    def team_add(self, name: str, role: str, manager: str | None) -> None:
        """Create (or change) a team member: a LOGIN role in the group of ``role``; the
        database refuses anyone but an admin or the workspace owner."""
        self._write("SELECT kam_team_add(%s, %s, %s)", (name, role, manager))

    def team(self) -> list[Record]:
        try:
            rows = self.conn.execute(b"SELECT name, role, manager FROM kam_team"
                                     b" ORDER BY name").fetchall()
        except psycopg.Error as exc:
            raise translate(exc) from None
        return [{"name": n, "role": r, "manager": m} for n, r, m in rows]

    # --- checks and closing -----------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """Optional (``kam doctor``): the schema version, and every foreign key (rows
        loaded with the checks off, e.g. by a restore, can break them)."""
        try:
            count = self._one("SELECT count(*) FROM kam_migrations")[0]
        except StorageError as exc:
            return [str(exc)]
        if int(count) != schema.SCHEMA_VERSION:
            return [f"schema version {count}, this kam writes {schema.SCHEMA_VERSION}"]
        if self.team_role:  # a team member sees part of the rows: run it as the owner
            return []
        sql = """SELECT child.relname, a.attname, parent.relname
                 FROM pg_constraint c
                 JOIN pg_class child ON child.oid = c.conrelid
                 JOIN pg_class parent ON parent.oid = c.confrelid
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                 WHERE c.contype = 'f' AND child.relnamespace = current_schema()::regnamespace
                   AND child.relname = ANY(%s) ORDER BY 1, 2"""
        problems: list[str] = []
        try:
            keys = self.conn.execute(sql.encode(), (sorted(KINDS),)).fetchall()
            for table, column, parent in keys:
                rows = self.conn.execute(
                    f'SELECT t.id, t."{column}" FROM "{table}" t WHERE t."{column}" IS NOT NULL'
                    f' AND NOT EXISTS (SELECT 1 FROM "{parent}" p WHERE p.id = t."{column}")'
                    " ORDER BY length(t.id), t.id".encode()).fetchall()
                problems += [f"{table} {rid} references a missing {parent} ({column} = {ref})"
                             for rid, ref in rows]
        except psycopg.Error as exc:
            raise translate(exc) from None
        return problems

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is None:
            return
        try:
            conn.close()
        except psycopg.Error as exc:
            log.debug("close failed: %s", exc)


if TYPE_CHECKING:  # mypy holds the backend to the signatures of what it offers
    import kam.storage as kam_storage

    def _offers(s: PostgresStorage) -> tuple[
        kam_storage.Storage, kam_storage.Selecting, kam_storage.BulkInsert,
        kam_storage.SequenceAdvance, kam_storage.BulkEvents, kam_storage.ActivityRollup,
        kam_storage.ReceivableSums, kam_storage.DealSums, kam_storage.StageMoves,
        kam_storage.OpenReceivables, kam_storage.EventValues, kam_storage.StoredRows,
        kam_storage.BulkLoad, kam_storage.StageReach, kam_storage.PaymentSums,
        kam_storage.MilestoneViews, kam_storage.ColumnReads, kam_storage.LatestCallsOn,
        kam_storage.AgingSums, kam_storage.BattleMapReads, kam_storage.PipelineSums,
        kam_storage.DealMonthSums, kam_storage.NextStepsDue, kam_storage.OpenBalances,
        kam_storage.UnflaggedLate, kam_storage.FiredReminders, kam_storage.StoredTextPages,
        kam_storage.ReceivableCsvRows, kam_storage.DueReceivables, kam_storage.OverdueTexts,
        kam_storage.IdBlocks,
    ]:
        return (s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s,
                s, s, s, s, s)
