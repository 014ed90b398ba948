"""A report table's cells as people read them, a page of rows and a column at a time
(按列显示): what md and table print.

:func:`shown_rows` gives exactly ``[[shown(t, c, r.get(c), lang) for c in t.columns]
for r in rows]`` (kam.reports.labels.shown; checked on random values in
tests/test_cell_pages.py), but a column of text, money, days or dates is converted in
one pass chosen by its types instead of one call per cell — a big team's renewals print
80k rows of ten cells — and a column of lists of records a field at a time
(kam.reports.labels.shown_records). Columns holding anything else keep the per-cell path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from kam.column_pages import RecordRuns
from kam.column_text import columns_of, texts
from kam.output import LazyList
from kam.reports.labels import shown, shown_fields, shown_records

PAGE = 2000
"""Rows converted at a time (the table renderer lays out pages of the same size)."""

_NONE = type(None)
#: exact type → its text when the column has no display map (shown's short cuts)
_PLAIN: dict[type, Any] = {Decimal: "{:,}".format, _NONE: lambda _v: "", int: int.__repr__,
                           dt.date: dt.date.isoformat}


def shown_column(table: Any, column: str, values: Sequence[Any], lang: str) -> list[str]:
    """``[shown(table, column, v, lang) for v in values]``."""
    if type(values) is RecordRuns:  # lists of records given as their fields
        shown_runs = shown_fields(table, column, values.fields, values.counts)
        if shown_runs is not None:
            return shown_runs
        values = values.lists()
    disp = table.display.get(column) if table is not None else None
    kinds = set(map(type, values))
    if kinds <= {str}:  # a text column: cell() of each, a display map first
        out = texts(values)
        if disp:
            out = [disp[v] if v in disp else t for v, t in zip(values, out, strict=True)]
        return out
    if not disp and kinds <= _PLAIN.keys() | {str}:
        if len(kinds) == 1:
            return list(map(_PLAIN[next(iter(kinds))], values))
        strs = iter(texts([v for v in values if type(v) is str]))
        return [next(strs) if type(v) is str else _PLAIN[type(v)](v) for v in values]
    if kinds <= {bool, _NONE}:  # yes/no or ✓/✗ columns: each of the few values shown once
        known = {v: shown(table, column, v, lang) for v in set(values)}
        return list(map(known.__getitem__, values))
    if kinds == {list} or kinds == {list, _NONE}:  # lists of records (a battle map's
        # milestones): a field at a time; a gap (its totals rows have none) shown once
        lists = list(values) if _NONE not in kinds else [v for v in values if v is not None]
        records = shown_records(table, column, lists, lang)
        if records is not None:
            if len(lists) == len(values):
                return records
            gap = shown(table, column, None, lang)
            made = iter(records)
            return [gap if v is None else next(made) for v in values]
    return [shown(table, column, v, lang) for v in values]


def shown_rows(table: Any, rows: Iterable[dict[str, Any]], lang: str,
               page: int = PAGE) -> Iterator[Sequence[str]]:
    """Each row's cells (``table.columns``) as :func:`kam.reports.labels.shown` shows
    them, converted ``page`` rows at a time."""
    columns = table.columns
    if type(rows) is LazyList and rows.pages is not None:  # rows as columns already
        for made in rows.pages():
            cells = [shown_column(table, c, made.column(c), lang) for c in columns]
            yield from zip(*cells, strict=True) if cells else (() for _ in range(made.size))
        return
    it = iter(rows)
    while True:
        chunk = list(islice(it, page))
        if not chunk:
            return
        cells = [shown_column(table, c, values, lang)
                 for c, values in zip(columns, columns_of(chunk, columns), strict=True)]
        yield from zip(*cells, strict=True) if cells else (() for _ in chunk)
