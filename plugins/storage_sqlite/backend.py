"""SQLite storage: WAL, busy timeout, foreign keys, one IMMEDIATE transaction per mutation.

Reads use the standard ``sqlite3`` module (fast start-up); sqlite-utils is used
for schema work. Money is stored as integer cents, dates as ISO text, json as text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kam.errors import StorageError
from kam.kinds import Kind
from kam.plugins.storage_sqlite import schema
from kam.plugins.storage_sqlite.aggregates import SQLiteAggregates
from kam.plugins.storage_sqlite.aging import SQLiteAgingSums
from kam.plugins.storage_sqlite.battle_map import SQLiteBattleMapReads
from kam.plugins.storage_sqlite.bulk import BulkPaths
from kam.plugins.storage_sqlite.check_mark import DunningMarkQuery
from kam.plugins.storage_sqlite.check_reads import (
    DunningStateQuery,
    FiredLevelQuery,
    OverdueTextQuery,
)
from kam.plugins.storage_sqlite.deal_team import WorkedByQuery
from kam.plugins.storage_sqlite.event_appends import AS_STORED, EventAppends
from kam.plugins.storage_sqlite.list_csv import ListCsvQuery
from kam.plugins.storage_sqlite.next_steps import NextStepsQuery
from kam.plugins.storage_sqlite.receivable_csv import ReceivableCsvQuery
from kam.plugins.storage_sqlite.stalled import StalledQuery
from kam.plugins.storage_sqlite.summaries import (
    CallSummaries,
    EventValueQuery,
    FiredReminderQuery,
    OpenBalanceQuery,
    OpenReceivableQuery,
)
from kam.plugins.storage_sqlite.targets_sums import SQLiteDealMonthSums
from kam.plugins.storage_sqlite.today_receivables import DueReceivableQuery
from kam.storage import (
    ConflictError,
    JsonText,
    Record,
    Where,
    kind,
    split_filter,
    split_order,
    to_stored,
    update_types,
)

_SQL_OPS = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _money(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)  # exact: integer cents → two places


class _MoneyMemo(dict[Any, Any]):
    """Integer cents → Decimal, each distinct amount made once per read: a column of
    200k milestones holds a few thousand amounts, and a C-level lookup per cell is ~8×
    cheaper than making each Decimal (None stays None)."""

    LIMIT = 20_000  # distinct amounts held at most (cleared past it: memory stays flat)

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, cents: int) -> Decimal:
        made = self[cents] = _money(cents)
        return made

    def column(self, values: Sequence[Any]) -> list[Any]:
        if len(self) > self.LIMIT:
            self.clear()
            self[None] = None
        return list(map(self.__getitem__, values))


def _json(value: str) -> Any:
    if value == "[]":
        return []
    if value == "{}":
        return {}
    return json.loads(value)


#: stored value (not None) → record value, per field type; absent = as stored
_DECODE: dict[str, Any] = {"money": _money, "bool": bool, "json": _json,
                           "date": dt.date.fromisoformat, "decimal": Decimal}
#: as _DECODE, json and dates left as their stored text (kam.storage.StoredTextPages)
_DECODE_STORED_TEXT: dict[str, Any] = {
    **{t: fn for t, fn in _DECODE.items() if t != "date"}, "json": JsonText}
Decoder = Callable[[tuple[Any, ...]], Record]
#: (kind name, column names) → (that kind, its row decoder)
_DECODERS: dict[tuple[str, tuple[str, ...]], tuple[Kind, Decoder]] = {}
_INSERTS: dict[tuple[str, tuple[str, ...]], str] = {}
_TYPES: dict[str, tuple[Kind, dict[str, str]]] = {}


def _types(k: Kind) -> dict[str, str]:
    """Field name → type, in field order (cached per kind)."""
    found = _TYPES.get(k.name)
    if found is None or found[0] is not k:
        found = _TYPES[k.name] = (k, {f.name: f.type for f in k.fields})
    return found[1]


def _decoder(k: Kind, description: Any) -> Decoder:
    """A function from a row of ``SELECT *`` to a record, built once per kind and columns:
    reads stream thousands of rows, so the per-row work is kept to the fields that
    need converting."""
    names = tuple(d[0] for d in description)
    key = (k.name, names)
    found = _DECODERS.get(key)
    if found is not None and found[0] is k:
        return found[1]
    types = {f.name: f.type for f in k.fields}
    convert = [(n, _DECODE[types[n]]) for n in names if n in types and types[n] in _DECODE]
    extra = [n for n in names if n not in types]

    def decode(row: tuple[Any, ...]) -> Record:
        out = dict(zip(names, row, strict=True))
        for name, fn in convert:
            value = out[name]
            if value is not None:
                out[name] = fn(value)
        for name in extra:
            del out[name]
        return out

    _DECODERS[key] = (k, decode)
    return decode


def _num(sql: str, ftype: str) -> str:
    """Decimals are stored as text; compare and order them as numbers."""
    return f"CAST({sql} AS REAL)" if ftype == "decimal" else sql


def _translate(exc: sqlite3.Error) -> StorageError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StorageError(f"the workspace database is locked by another kam process: {text}")
    if isinstance(exc, sqlite3.IntegrityError):
        return ConflictError(f"storage conflict: {text}")
    if "malformed" in text or "not a database" in text:
        return StorageError(f"the workspace database is corrupt: {text}")
    return StorageError(f"storage error: {text}")


class SQLiteStorage(CallSummaries, OpenReceivableQuery, EventValueQuery, SQLiteAggregates,
                    SQLiteAgingSums, SQLiteDealMonthSums, SQLiteBattleMapReads, BulkPaths,
                    NextStepsQuery, StalledQuery, FiredReminderQuery, OpenBalanceQuery,
                    ReceivableCsvQuery, DueReceivableQuery, OverdueTextQuery, FiredLevelQuery,
                    ListCsvQuery, DunningStateQuery, WorkedByQuery, DunningMarkQuery,
                    EventAppends):
    name = "sqlite"

    def __init__(self, path: Path, busy_timeout_ms: int = 15000) -> None:
        self.path = Path(path)
        new = not self.path.exists()
        try:
            if new:
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            self.conn = sqlite3.connect(
                self.path, timeout=busy_timeout_ms / 1000, isolation_level=None,
                check_same_thread=False,
            )
            self.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self._ensure_schema()
        except sqlite3.Error as exc:
            self._close_quietly()
            raise _translate(exc) from None
        except BaseException:
            self._close_quietly()
            raise
        self._depth = 0

    def _close_quietly(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def _ensure_schema(self) -> None:
        """Bring the database to this kam's schema version (``schema.MIGRATIONS``).

        The fast path reads ``PRAGMA user_version`` only. Otherwise the missing steps
        run under an IMMEDIATE transaction (one writer migrates; others wait on the busy
        timeout, then find the work done). A database from a newer kam is refused.
        """
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == schema.SCHEMA_VERSION:
            return
        if version > schema.SCHEMA_VERSION:
            raise schema.too_new(version, self.path)
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > schema.SCHEMA_VERSION:
                raise schema.too_new(version, self.path)
            if version < schema.SCHEMA_VERSION:
                schema.migrate(self.conn, where=self.path)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # --- rows -------------------------------------------------------------------

    @staticmethod
    def _row_to_record(k: Kind, cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Record:
        return _decoder(k, cursor.description)(row)

    def _where(self, k: Kind, where: Where | None) -> tuple[str, list[Any]]:
        if not where:
            return "", []
        clauses: list[str] = []
        params: list[Any] = []
        for key, value in where.items():
            field, op = split_filter(k, key)
            ftype = k.type_of(field)
            col = f'"{field}"'
            if op == "isnull":
                clauses.append(f"{col} IS NULL" if value else f"{col} IS NOT NULL")
            elif op == "in":
                items = list(value)
                if not items:
                    clauses.append("0")
                else:
                    clauses.append(f"{col} IN ({', '.join('?' * len(items))})")
                    # ids and texts as they are (a battle map's page: 1,000 ids, twice)
                    params.extend(items if ftype in AS_STORED
                                  else [to_stored(ftype, v) for v in items])
            elif value is None and op in ("eq", "ne"):
                clauses.append(f"{col} IS NULL" if op == "eq" else f"{col} IS NOT NULL")
            elif op == "ne":  # a record without a value is "not equal" too
                clauses.append(f"{_num(col, ftype)} IS NOT {_num('?', ftype)}")
                params.append(to_stored(ftype, value))
            else:
                clauses.append(f"{_num(col, ftype)} {_SQL_OPS[op]} {_num('?', ftype)}")
                params.append(to_stored(ftype, value))
        return " WHERE " + " AND ".join(clauses), params

    # --- protocol -----------------------------------------------------------------

    def get(self, kind_name: str, record_id: str) -> Record | None:
        k = kind(kind_name)
        try:
            cur = self.conn.execute(f'SELECT * FROM "{k.name}" WHERE id = ?', (record_id,))
            row = cur.fetchone()
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        return None if row is None else self._row_to_record(k, cur, row)

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
        """Optional fast path (reports): like :meth:`find`, but reads only ``fields``
        (each combination once with ``distinct``).

        Reports that scan a whole kind need a few columns of each row; skipping the
        wide json columns keeps them fast. Same filters and ordering as ``find``.
        """
        k = kind(kind_name)
        for name in fields:
            if k.field(name) is None:
                raise StorageError(f"{k.name} has no field {name!r}")
        cols = ", ".join(f'"{name}"' for name in fields)
        return self._query(k, f"DISTINCT {cols}" if distinct else cols, where, order_by,
                           limit)

    def column_pages(self, kind_name: str, fields: Sequence[str] | None = None,
                     where: Where | None = None, order_by: Sequence[str] = ("id",),
                     limit: int | None = None, size: int = 500
                     ) -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
        """kam.storage.ColumnReads: the records a page of columns at a time, each column
        decoded at once (no record built per row)."""
        return self._column_pages(kind_name, fields, where, order_by, limit, size, _DECODE)

    def stored_text_pages(self, kind_name: str, fields: Sequence[str] | None = None,
                          where: Where | None = None, order_by: Sequence[str] = ("id",),
                          limit: int | None = None, size: int = 500
                          ) -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
        """kam.storage.StoredTextPages: ``column_pages`` with json and dates as stored
        (their canonical text: kam.stored.to_stored writes every value, import
        included)."""
        return self._column_pages(kind_name, fields, where, order_by, limit, size,
                                  _DECODE_STORED_TEXT)

    def _column_pages(self, kind_name: str, fields: Sequence[str] | None,
                      where: Where | None, order_by: Sequence[str], limit: int | None,
                      size: int, decode: dict[str, Any]
                      ) -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
        k = kind(kind_name)
        if fields is None:
            cols = "*"
        else:
            for name in fields:
                if k.field(name) is None:
                    raise StorageError(f"{k.name} has no field {name!r}")
            cols = ", ".join(f'"{name}"' for name in fields)
        if self._sort_whole(k, where, order_by, limit):  # every row: no LIMIT
            sql, params = self._sql(k, cols, None, order_by)
            sql = sql.replace(" ORDER BY ", " ORDER BY +", 1)
        else:
            sql, params = self._sql(k, cols, where, order_by, limit)
        return self._pages(k, sql, params, size, decode)

    def _sort_whole(self, k: Kind, where: Where | None, order_by: Sequence[str],
                    limit: int | None) -> bool:
        """Whether an unfiltered read of every row, ordered by a field and then id
        (activities by date), is better sorted in one pass over the table than read in
        the order of the field's index: walking the index reads each row from a random
        page of the table (1M activities: 4.3 s CPU against 3.2 s sorted, without a
        LIMIT — SQLite's sorter under a LIMIT took 9 s). The order is the same: id
        (rowid) ends it, so no two rows tie. A limit that may be below the row count
        (``--limit 50``) keeps the index: rowids run from 1 up, so there are at most
        max(rowid) rows (two index lookups; counting them scanned 1M rows)."""
        if where or len(order_by) < 2 or order_by[-1] != "id" or order_by[0] in ("id", "-id"):
            return False
        if limit is None:
            return True
        low, high = self.conn.execute(f'SELECT (SELECT min(rowid) FROM "{k.name}"),'
                                      f' (SELECT max(rowid) FROM "{k.name}")').fetchone()
        return high is None or (low >= 1 and limit >= high)

    def _pages(self, k: Kind, sql: str, params: list[Any], size: int,
               decode: dict[str, Any] = _DECODE
               ) -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
        try:
            cur = self.conn.execute(sql, params)
            types = _types(k)
            keep = [(i, name, decode.get(types[name]))
                    for i, name in enumerate(d[0] for d in cur.description) if name in types]
            names = [name for _i, name, _fn in keep]
            memos = {i: _MoneyMemo() for i, _name, fn in keep if fn is _money}
            while True:
                rows = cur.fetchmany(size)
                if not rows:
                    break
                columns = list(zip(*rows, strict=True))
                page: list[Sequence[Any]] = []
                for i, _name, fn in keep:
                    col = columns[i]
                    if fn is None:
                        page.append(col)
                    elif i in memos:
                        page.append(memos[i].column(col))
                    elif None in col:
                        page.append([None if v is None else fn(v) for v in col])
                    else:
                        page.append(list(map(fn, col)))
                yield names, page
        except sqlite3.Error as exc:
            raise _translate(exc) from None

    def _sql(self, k: Kind, columns: str, where: Where | None, order_by: Sequence[str],
             limit: int | None = None, offset: int = 0, also: str = "",
             also_params: Sequence[Any] = ()) -> tuple[str, list[Any]]:
        """A read's SELECT and its parameters; ``columns`` (and ``also``, more conditions
        from the fast paths) are built from checked field names only, never from user
        text."""
        sql_where, params = self._where(k, where)
        if also:
            sql_where = f"{sql_where} AND {also}" if sql_where else f" WHERE {also}"
            params += list(also_params)
        orders = []
        for key in order_by or ():
            field, desc = split_order(k, key)
            col = "rowid" if field == "id" else _num(f'"{field}"', k.type_of(field))
            orders.append(f"{col} {'DESC' if desc else 'ASC'}")
        sql = f'SELECT {columns} FROM "{k.name}"{sql_where}'
        if orders:
            sql += " ORDER BY " + ", ".join(orders)
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else int(limit), int(offset)]
        return sql, params

    def _query(self, k: Kind, columns: str, where: Where | None, order_by: Sequence[str],
               limit: int | None = None, offset: int = 0, also: str = "",
               also_params: Sequence[Any] = ()) -> Iterator[Record]:
        """Stream rows (decoded once per column set), as :meth:`_sql` selects them."""
        sql, params = self._sql(k, columns, where, order_by, limit, offset, also,
                                also_params)
        try:
            cur = self.conn.execute(sql, params)
            decode = _decoder(k, cur.description)
            while True:
                rows = cur.fetchmany(500)
                if not rows:
                    break
                for row in rows:
                    yield decode(row)
        except sqlite3.Error as exc:
            raise _translate(exc) from None

    # --- optional fast paths (kam.storage.ActivityRollup) ----------------------------

    def _rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _translate(exc) from None

    def call_counts(self, start: dt.date, as_of: dt.date, customer: str | None = None,
                    owner: str | None = None
                    ) -> Iterator[tuple[str | None, dt.date, str | None, int]]:
        params: list[Any] = [start.isoformat(), as_of.isoformat()]
        extra = ""
        if customer:
            extra += " AND customer_id = ?"
            params.append(customer)
        if owner:
            extra += " AND owner = ?"
            params.append(owner)
        rows = self._rows(
            "SELECT owner, date, outcome, count(*) FROM activity"
            f" WHERE date >= ? AND date <= ?{extra} GROUP BY owner, date, outcome", params)
        day = dt.date.fromisoformat
        return iter([(r[0], day(r[1]), r[2], int(r[3])) for r in rows])

    def count(self, kind_name: str, where: Where | None = None) -> int:
        k = kind(kind_name)
        sql_where, params = self._where(k, where)
        try:
            sql = f'SELECT count(*) FROM "{k.name}"{sql_where}'
            return int(self.conn.execute(sql, params).fetchone()[0])
        except sqlite3.Error as exc:
            raise _translate(exc) from None

    def _write(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        try:
            return self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise _translate(exc) from None

    def insert(self, kind_name: str, record: Record) -> None:
        k = kind(kind_name)
        types = _types(k)
        names = tuple(n for n in types if n in record)
        if "id" not in names:
            raise StorageError(f"{k.name} record has no id")
        if len(names) != len(record):
            extra = set(record) - set(types)
            raise StorageError(f"{k.name} has no field(s) {', '.join(sorted(extra))}")
        sql = _INSERTS.get((k.name, names))
        if sql is None:
            cols = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join("?" * len(names))
            sql = _INSERTS[(k.name, names)] = f'INSERT INTO "{k.name}" ({cols}) VALUES ({marks})'
        self._write(sql, [to_stored(types[n], record[n]) for n in names])

    def insert_many(self, kind_name: str, records: Sequence[Record]) -> None:
        """Optional fast path (``kam import``): one prepared INSERT for a batch."""
        k = kind(kind_name)
        types = {f.name: f.type for f in k.fields}
        names = [f.name for f in k.fields]
        for record in records:
            extra = set(record) - set(types)
            if extra:
                raise StorageError(f"{k.name} has no field(s) {', '.join(sorted(extra))}")
            if not record.get("id"):
                raise StorageError(f"{k.name} record has no id")
        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        cols = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" * len(names))
        rows = [[to_stored(types[n], r.get(n)) for n in names] for r in records]
        try:
            self.conn.executemany(f'INSERT INTO "{k.name}" ({cols}) VALUES ({marks})', rows)
        except sqlite3.Error as exc:
            raise _translate(exc) from None

    def advance_sequence(self, kind_name: str, value: int) -> None:
        """Optional (``kam import``): the next id of a kind follows ``value``."""
        k = kind(kind_name)
        self._write(
            "INSERT INTO kam_sequence (kind, value) VALUES (?, ?)"
            " ON CONFLICT(kind) DO UPDATE SET value = max(value, excluded.value)",
            (k.name, int(value)),
        )

    def update(self, kind_name: str, record_id: str, changes: Record) -> None:
        k, types = update_types(kind_name, changes)
        if not changes:
            return
        sets = ", ".join(f'"{n}" = ?' for n in changes)
        cur = self._write(
            f'UPDATE "{k.name}" SET {sets} WHERE id = ?',
            [to_stored(types[n], v) for n, v in changes.items()] + [record_id],
        )
        if cur.rowcount != 1:
            raise ConflictError(f"{k.name} {record_id} does not exist")

    def next_id(self, kind_name: str) -> str:
        k = kind(kind_name)
        cur = self._write(
            "INSERT INTO kam_sequence (kind, value) VALUES (?, 1)"
            " ON CONFLICT(kind) DO UPDATE SET value = value + 1 RETURNING value",
            (k.name,),
        )
        return f"{k.prefix}{cur.fetchone()[0]}"

    def _take_ids(self, kind_name: str, count: int) -> int:
        """The first of ``count`` numbers of a kind's sequence taken in one step."""
        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        try:
            top = self.conn.execute(
                "INSERT INTO kam_sequence (kind, value) VALUES (?, ?)"
                " ON CONFLICT(kind) DO UPDATE SET value = value + excluded.value"
                " RETURNING value", (kind_name, count)).fetchone()[0]
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        return int(top) - count + 1

    def next_ids(self, kind_name: str, count: int) -> list[str]:
        """kam.storage.IdBlocks: ``count`` ids in one step of the kind's sequence."""
        k = kind(kind_name)
        if count <= 0:
            return []
        first = self._take_ids(k.name, count)
        return [f"{k.prefix}{n}" for n in range(first, first + count)]

    def update_many(self, kind_name: str, changes: Sequence[tuple[str, Record]]) -> None:
        """kam.storage.UpdateMany: one ``executemany`` per run of changes to the same
        fields (in order); a missing record is found only when the run's count of changed
        rows falls short."""
        kind(kind_name)
        start = 0
        while start < len(changes):
            fields = tuple(changes[start][1])
            end = start + 1
            while end < len(changes) and tuple(changes[end][1]) == fields:
                end += 1
            run = changes[start:end]
            start = end
            if not fields:
                continue
            k, types = update_types(kind_name, run[0][1])
            stored = [types[n] for n in fields]
            sets = ", ".join(f'"{n}" = ?' for n in fields)
            if self._depth == 0:
                raise StorageError("writes must happen inside storage.transaction()")
            try:
                cur = self.conn.executemany(
                    f'UPDATE "{k.name}" SET {sets} WHERE id = ?',
                    [[to_stored(t, v) for t, v in zip(stored, change.values(), strict=True)]
                     + [record_id] for record_id, change in run])
            except sqlite3.Error as exc:
                raise _translate(exc) from None
            if cur.rowcount != len(run):
                for record_id, _ in run:
                    if self.conn.execute(f'SELECT 1 FROM "{k.name}" WHERE id = ?',
                                         (record_id,)).fetchone() is None:
                        raise ConflictError(f"{k.name} {record_id} does not exist")

    def events(
        self,
        record_id: str | None = None,
        kinds: Sequence[str] | None = None,
        after_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Record]:
        k = kind("event")
        clauses: list[str] = []
        params: list[Any] = []
        if record_id:
            clauses.append("id IN (SELECT event_id FROM event_ref WHERE ref = ?)")
            params.append(record_id)
        if kinds:
            clauses.append(f"kind IN ({', '.join('?' * len(kinds))})")
            params.extend(kinds)
        if after_id:
            clauses.append("rowid > (SELECT rowid FROM event WHERE id = ?)")
            params.append(after_id)
        sql = "SELECT * FROM event"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY rowid"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        try:
            cur = self.conn.execute(sql, params)
            decode = _decoder(k, cur.description)  # once, not per event
            for row in cur:
                yield decode(row)
        except sqlite3.Error as exc:
            raise _translate(exc) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            name = f"kam_sp{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _translate(exc) from None

    def integrity_problems(self) -> list[str]:
        """Optional: SQLite's own integrity and foreign-key checks (used by ``kam doctor``)."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [
            f"{table} row {rowid} references a missing {parent}"
            for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass


if TYPE_CHECKING:  # mypy holds the backend to the signatures of what it offers
    import kam.storage as kam_storage

    def _offers(s: SQLiteStorage) -> tuple[
        kam_storage.Storage, kam_storage.Selecting, kam_storage.BulkInsert,
        kam_storage.SequenceAdvance, kam_storage.BulkEvents, kam_storage.StoredRows,
        kam_storage.BulkLoad, kam_storage.ActivityRollup, kam_storage.OpenReceivables,
        kam_storage.EventValues, kam_storage.ReceivableSums, kam_storage.DealSums,
        kam_storage.StageMoves, kam_storage.StageReach, kam_storage.PaymentSums,
        kam_storage.MilestoneViews, kam_storage.ColumnReads, kam_storage.LatestCallsOn,
        kam_storage.NextStepsDue, kam_storage.StoredTextPages, kam_storage.AgingSums,
        kam_storage.FiredReminders, kam_storage.OpenBalances, kam_storage.DealMonthSums,
        kam_storage.BattleMapReads, kam_storage.UnflaggedLate, kam_storage.PipelineSums,
        kam_storage.OverdueTexts, kam_storage.ReceivableCsvRows, kam_storage.DueReceivables,
        kam_storage.OverdueJson, kam_storage.FiredLevels, kam_storage.CheckedReferences,
        kam_storage.StalledDeals, kam_storage.NextStepsHead, kam_storage.DueReceivablesHead,
        kam_storage.LoadJournal, kam_storage.IdBlocks, kam_storage.UpdateMany,
        kam_storage.ChangeEvents, kam_storage.CollectionCards, kam_storage.DunningStates,
        kam_storage.WorkedBy, kam_storage.DunningMarks,
    ]:
        return (s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s,
                s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s)
