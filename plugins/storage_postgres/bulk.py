"""PostgreSQL's bulk paths for ``kam export`` and ``kam import`` (kam.storage.StoredRows,
kam.storage.BulkLoad), mixed into :class:`PostgresStorage`.

Export reads each kind with one ``COPY (SELECT …) TO STDOUT``, streamed, the stored
form made by the query itself (money ``× 100`` as an integer, booleans as 0/1, dates as
ISO text; json is stored as the very text the export writes), so nothing is decoded
and encoded again in Python but ``decimal`` columns (``str(Decimal)``, exactly what
``find`` then ``stored_form`` give). Import writes rows in that form with ``COPY … FROM
STDIN`` and, as the workspace owner, builds the secondary indexes once at the end of
the load. :func:`kam.services.exchange.stored_form` over ``find`` is the reference
(tests/test_exchange_bulk.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import psycopg
from kam.errors import StorageError
from kam.kinds import Kind
from kam.plugins.storage_postgres.errors import translate
from kam.storage import kind

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
