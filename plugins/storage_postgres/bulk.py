"""PostgreSQL's bulk paths for ``kam export`` and ``kam import`` (kam.storage.StoredRows,
kam.storage.BulkLoad), mixed into :class:`PostgresStorage`.

Export reads each kind with one ``COPY (SELECT …) TO STDOUT``, streamed, the stored
form made by the query itself (money ``× 100`` as an integer, booleans as 0/1, dates as
ISO text; json is stored as the very text the export writes), so nothing is decoded
and encoded again in Python but ``decimal`` columns (``str(Decimal)``, exactly what
``find`` then ``stored_form`` give). Import writes rows in that form with ``COPY … FROM
STDIN`` and, as the workspace owner, builds the secondary indexes once at the end of
the load. :func:`kam.services.exchange_export.stored_form` over ``find`` is the reference
(tests/test_exchange_bulk.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import psycopg
from kam.errors import StorageError
from kam.kinds import EVENT, KINDS, Kind
from kam.plugins.storage_postgres.errors import translate
from kam.storage import kind, load_columns

#: the tables a load writes (each kind's and the event log's, with its index)
_TABLES = (*KINDS, EVENT.name, "event_ref")

#: one stored-form column as SQL, and the type COPY parses it as
_STORED: dict[str, tuple[str, str]] = {
    "money": ('("{0}" * 100)::bigint', "int8"),
    "bool": ('"{0}"::int', "int8"),
    "int": ('"{0}"', "int8"),
    "date": ("to_char(\"{0}\", 'YYYY-MM-DD')", "text"),
    "decimal": ('"{0}"', "numeric"),
}


def _stored_columns(k: Kind) -> tuple[str, list[str]]:
    cols, types = [], []
    for f in k.fields:
        sql, pg_type = _STORED.get(f.type, ('"{0}"', "text"))
        cols.append(sql.format(f.name))
        types.append(pg_type)
    return ", ".join(cols), types


def _decimals(k: Kind) -> Callable[[tuple[Any, ...]], tuple[Any, ...]] | None:
    """Row → row with its decimal columns as ``str(Decimal)``, or None when it has none."""
    at = [n for n, f in enumerate(k.fields) if f.type == "decimal"]
    if not at:
        return None

    def convert(row: tuple[Any, ...]) -> tuple[Any, ...]:
        out = list(row)
        for n in at:
            if out[n] is not None:
                out[n] = str(out[n])
        return tuple(out)

    return convert


class PostgresBulk:
    """``stored_rows``, ``load_rows``, ``sequence_value`` and ``deferred_indexes``."""

    conn: psycopg.Connection[Any]
    _depth: int
    _ids: dict[str, int]
    team_role: str | None

    def _flush(self) -> None:
        raise NotImplementedError  # PostgresStorage's

    def stored_rows(self, kind_name: str) -> Iterator[tuple[Any, ...]]:
        """Every row of a kind in ``find``'s id order (the event log's order), as stored."""
        k = kind(kind_name)
        cols, types = _stored_columns(k)
        convert = _decimals(k)
        sql = f'COPY (SELECT {cols} FROM "{k.name}" ORDER BY length(id), id) TO STDOUT'
        self._flush()
        try:
            with self.conn.cursor() as cur, cur.copy(sql.encode()) as copy:
                copy.set_types(types)
                if convert is None:
                    yield from copy.rows()
                else:
                    for row in copy.rows():
                        yield convert(row)
        except psycopg.Error as exc:
            raise translate(exc) from None

    # --- BulkLoad: ``kam import`` ------------------------------------------------------

    def load_rows(self, kind_name: str, rows: Sequence[Sequence[Any]]) -> None:
        """Rows in stored form, ids included, by one COPY; events also get their index
        rows (``event_ref``) and the event id sequence moved to the last."""
        k, names = load_columns(self._depth, kind_name)
        if not rows:
            return
        money = [n for n, f in enumerate(k.fields) if f.type == "money"]
        flags = [n for n, f in enumerate(k.fields) if f.type == "bool"]
        cols = ", ".join(f'"{n}"' for n in names)
        self._flush()
        try:
            with self.conn.cursor() as cur:
                with cur.copy(f'COPY "{k.name}" ({cols}) FROM STDIN'.encode()) as copy:
                    for row in rows:
                        if money or flags:
                            row = list(row)
                            for n in money:
                                if row[n] is not None:
                                    row[n] = Decimal(row[n]).scaleb(-2)
                            for n in flags:
                                if row[n] is not None:
                                    row[n] = bool(row[n])
                        copy.write_row(row)
                if k.name == "event":
                    self._load_event_refs(cur, rows, names.index("record_id"),
                                          names.index("refs"))
                    last = int(str(rows[-1][0])[len(k.prefix):])
                    cur.execute(b"INSERT INTO kam_sequence (kind, value) VALUES ('event', %s)"
                                b" ON CONFLICT (kind) DO UPDATE"
                                b" SET value = greatest(kam_sequence.value, excluded.value)",
                                (last,))
                    if "event" in self._ids:  # ids handed out in this transaction run on
                        self._ids["event"] = max(self._ids["event"], last)
        except psycopg.Error as exc:
            raise translate(exc) from None

    @staticmethod
    def _load_event_refs(cur: psycopg.Cursor[Any], rows: Sequence[Sequence[Any]],
                         at_record: int, at_refs: int) -> None:
        """Each event's index rows: its record and its refs (as ``append_events``)."""
        pairs: list[tuple[Any, Any]] = []
        for row in rows:
            refs = row[at_refs]
            found = set(json.loads(refs)) if refs and refs != "[]" else set()
            found.add(row[at_record])
            pairs.extend((row[0], ref) for ref in sorted(found - {None, ""}))
        if pairs:
            with cur.copy(b"COPY event_ref (event_id, ref) FROM STDIN") as copy:
                for pair in pairs:
                    copy.write_row(pair)

    def sequence_value(self, kind_name: str) -> int:
        k = kind(kind_name)
        if k.name in self._ids:
            return self._ids[k.name]
        self._flush()
        try:
            row = self.conn.execute(b"SELECT value FROM kam_sequence WHERE kind = %s",
                                    (k.name,)).fetchone()
        except psycopg.Error as exc:
            raise translate(exc) from None
        return int(row[0]) if row else 0

    @contextmanager
    def deferred_indexes(self) -> Iterator[None]:
        """As the workspace owner: the secondary indexes of kam's tables dropped, and
        each built once at the end, inside the caller's transaction (PostgreSQL's DDL is
        transactional: a failed load rolls the dropped indexes back with the rest). A
        team member may not drop indexes: the load keeps them."""
        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        if self.team_role is not None:
            yield
            return
        try:
            indexes = self.conn.execute(
                b"SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
                b" FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                b" WHERE t.relnamespace = current_schema()::regnamespace"
                b" AND t.relname = ANY(%s) AND NOT i.indisprimary AND NOT i.indisunique"
                b" ORDER BY 1", (sorted(_TABLES),)).fetchall()
            for name, _ in indexes:
                self.conn.execute(f"DROP INDEX {name}".encode())
        except psycopg.Error as exc:
            raise translate(exc) from None
        yield
        self._flush()
        try:
            for _, sql in indexes:
                self.conn.execute(sql.encode())
        except psycopg.Error as exc:
            raise translate(exc) from None
