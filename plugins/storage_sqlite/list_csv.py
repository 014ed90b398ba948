"""``kam … list -f csv`` of every field, each row's csv line made by SQLite
(kam.storage.ListCsvLines): one text per row crosses into Python instead of one value per
field (a deal has 49), and nothing is decoded, converted or quoted cell by cell in Python.

A field's cell in SQL is what the reference (``stored_text_pages`` → ``csv_texts`` →
``csv_text``) writes for the values kam stores: text, dates and times as stored, money
from whole cents, whole numbers, booleans, json as :func:`kam.column_text._json_text`
writes its stored text; cells holding a comma, a quote or a line break quoted as
csv.writer quotes them. Anything else (money not in whole cents, a decimal whose
``str(Decimal(…))`` may differ from its text, json the rules here do not cover) makes the
row's line hold a control character (``char(1)``): the caller's check of each page's
text finds it, as it finds any other control character or cell that may start a
formula, and writes that page by the reference.

``printf``'s ``%s`` ends a text at a NUL character, which kam never stores (kam.text
refuses control characters in every text a command or an import writes; the reference
would show it as ``\x00``): a database written around kam with NULs in its texts would
have them, and what follows them in the cell, left out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from kam.kinds import Kind
from kam.storage import Where, kind

#: a cell the database cannot make exactly: a control character, which the caller's check
#: of the page finds (the page is then written by the reference)
_CANNOT = "char(1)"


def _quoted(e: str) -> str:
    """``e`` as csv.writer writes it: quoted when it holds a comma, a quote or a line
    break (a carriage return is a control character: the page check sends it to the
    reference); NULL stays NULL, which ``printf`` writes as the empty cell."""
    return (f"CASE WHEN instr({e}, ',') OR instr({e}, '\"') OR instr({e}, '\n') "
            f"THEN '\"' || replace({e}, '\"', '\"\"') || '\"' ELSE {e} END")


def _money(c: str) -> str:
    """``str(Decimal(cents).scaleb(-2))`` of whole cents; NULL for anything else."""
    return (f"CASE WHEN typeof({c}) = 'integer' THEN (CASE WHEN {c} >= 0 "
            f"THEN printf('%d.%02d', {c} / 100, {c} % 100) WHEN {c} > -9000000000000000000 "
            f"THEN printf('-%d.%02d', -{c} / 100, -{c} % 100) ELSE {_CANNOT} END) "
            f"WHEN {c} IS NULL THEN '' ELSE {_CANNOT} END")


def _decimal(c: str) -> str:
    """``str(Decimal(text))`` where it is the text itself: a whole number without leading
    zeros, or one with a fraction and a leading digit that is not 0."""
    return (f"CASE WHEN {c} IS NULL THEN '' WHEN typeof({c}) = 'text' AND ({c} = '0' OR "
            f"({c} GLOB '[1-9]*' AND {c} NOT GLOB '*[^0-9.]*' AND {c} NOT GLOB '*.*.*' "
            f"AND {c} NOT GLOB '*.')) THEN {c} ELSE {_CANNOT} END")


def _int(c: str) -> str:
    return (f"CASE WHEN {c} IS NULL THEN '' WHEN typeof({c}) = 'integer' THEN {c} "
            f"ELSE {_CANNOT} END")


def _bool(c: str) -> str:
    return (f"CASE WHEN {c} IS NULL THEN '' WHEN typeof({c}) = 'integer' "
            f"THEN (CASE WHEN {c} THEN 'true' ELSE 'false' END) ELSE {_CANNOT} END")


def _text(c: str) -> str:
    """Text, dates and times as stored (kam stores them as TEXT: no blobs)."""
    return _quoted(c)


def _json(c: str) -> str:
    """kam.column_text._json_text of the stored text: ``[]`` empty, an object or a list
    whose first item is no text as it stands, a list of texts with nothing escaped
    joined by commas; NULL for the rest (decoded by the reference)."""
    middle = f"substr({c}, 3, length({c}) - 4)"
    joined = f"replace({middle}, '\", \"', ',')"
    return (f"CASE WHEN {c} IS NULL OR {c} = '[]' THEN '' "
            f"WHEN typeof({c}) != 'text' THEN {_CANNOT} "
            f"WHEN substr({c}, 1, 1) = '{{' OR (substr({c}, 1, 1) = '[' AND length({c}) >= 2 "
            f"AND substr({c}, 2, 1) NOT IN ('\"', ']')) THEN {_quoted(c)} "
            f"WHEN substr({c}, 1, 2) = '[\"' AND substr({c}, -2) = '\"]' AND length({c}) >= 4 "
            f"AND instr({c}, '\\') = 0 AND instr(replace({middle}, '\", \"', ''), '\"') = 0 "
            f"THEN {_quoted(joined)} ELSE {_CANNOT} END")


#: field type → the SQL of its cell (types not here: the text's)
_CELL: dict[str, Callable[[str], str]] = {
    "money": _money, "decimal": _decimal, "int": _int, "bool": _bool, "json": _json}


def line_sql(k: Kind, names: Sequence[str]) -> str:
    """The SQL of a row's csv line: each field's cell, joined by commas in one
    ``printf`` (a chain of ``||`` copies the growing line at each field: twice the
    time for a deal's 49)."""
    types = {f.name: f.type for f in k.fields}
    cells = [_CELL.get(types[n], _text)(f'"{n}"') for n in names]
    if len(cells) > 100:  # printf takes at most 126 arguments by default; with ||, a
        # NULL text makes the line NULL: the caller writes that row by the reference
        return " || ',' || ".join(f"({c})" for c in cells)
    return f"printf('{','.join(['%s'] * len(cells))}', {', '.join(cells)})"


def _translated(exc: sqlite3.Error) -> Exception:
    from kam.plugins.storage_sqlite.backend import _translate

    return _translate(exc)


class ListCsvQuery:
    """:class:`kam.storage.ListCsvLines` (mixed into :class:`SQLiteStorage`)."""

    conn: sqlite3.Connection

    _sql: Callable[..., tuple[str, list[Any]]]  # SQLiteStorage._sql: a read's SELECT
    _sort_whole: Callable[..., bool]  # SQLiteStorage._sort_whole: every row sorted at once

    def csv_lines(self, kind_name: str, where: Where | None = None,
                  order_by: Sequence[str] = ("id",), limit: int | None = None,
                  size: int = 500) -> tuple[list[str], Iterator[list[tuple[str, str | None]]]]:
        """Every field's name (in the order ``stored_text_pages`` reads them), and the
        records ``where`` selects in ``order_by`` as pages of (id, csv line or None)."""
        k = kind(kind_name)
        types = {f.name for f in k.fields}
        try:
            cur = self.conn.execute(f'SELECT * FROM "{k.name}" LIMIT 0')
            names = [d[0] for d in cur.description if d[0] in types]
            columns = f'"id", {line_sql(k, names)}'
            if self._sort_whole(k, where, order_by, limit):  # as column_pages reads them
                sql, params = self._sql(k, columns, None, order_by)
                sql = sql.replace(" ORDER BY ", " ORDER BY +", 1)
            else:
                sql, params = self._sql(k, columns, where, order_by, limit)
            cur = self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise _translated(exc) from None

        def pages() -> Iterator[list[tuple[str, str | None]]]:
            try:
                while True:
                    rows = cur.fetchmany(size)
                    if not rows:
                        return
                    yield rows
            except sqlite3.Error as exc:
                raise _translated(exc) from None

        return names, pages()
