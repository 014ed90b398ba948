"""Render results as ``table`` (kam.textable + wcwidth, so Chinese text aligns), ``json``
or ``csv``. One place, so every command prints the same way.

JSON is written by :func:`kam.json_text.json_chunks` (re-exported here with the other
names callers take from this module, :class:`kam.column_pages.LazyList` among them).

JSON keys are the stable snake_case English keys; money is a decimal string and
dates are ISO 8601. CSV cells that a spreadsheet would run as a formula are
neutralised. Labels (zh/en) apply to ``table`` only; JSON and CSV keep the keys.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from kam.column_pages import LazyList as LazyList
from kam.json_text import _encode, jsonable, to_json
from kam.json_text import _quote as _quote
from kam.json_text import by_object as by_object
from kam.json_text import json_chunks as json_chunks
from kam.text import visible

FORMATS = ("table", "json", "csv")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Labeler = Callable[[str, Any], Any]


def neutralise(text: str) -> str:
    """Defuse spreadsheet formula injection: prefix a quote to risky leading characters."""
    if text and text.startswith(FORMULA_START):
        try:
            Decimal(text)
            return text  # a plain negative number is data, not a formula
        except Exception:
            return "'" + text
    return text


def cell(value: Any) -> str:
    """One value as printed text; control characters are shown as escapes (kam.text)."""
    if type(value) is str:
        return visible(value)
    return visible(_cell(value))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        plain = jsonable(value)
        if isinstance(plain, list) and all(isinstance(v, str) for v in plain):
            return ",".join(plain)
        return json.dumps(plain, ensure_ascii=False, sort_keys=True)
    return str(jsonable(value))


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(cell(row.get(c))) for c in columns])
    return buf.getvalue()


@runtime_checkable
class ColumnLabeler(Protocol):
    """A labeler that also labels a page's column at once (a list's enum column has a
    handful of values: each is looked up once, not once per row)."""

    def __call__(self, column: str, value: Any) -> Any: ...

    def column_labels(self, column: str, values: Sequence[Any]) -> Sequence[Any]: ...


def _cells(rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
           labeler: Labeler | None) -> Iterator[tuple[str, ...]]:
    """Each row's cell texts (labelled), formatted a page's column at a time."""
    from kam.column_text import RECORD_PAGE, columns_of, pages

    return _page_cells(((columns, columns_of(page, columns))
                        for page in pages(rows, RECORD_PAGE)), labeler)


def _page_cells(column_pages: Iterable[tuple[Sequence[str], list[Sequence[Any]]]],
                labeler: Labeler | None) -> Iterator[tuple[str, ...]]:
    from kam.column_text import texts

    for columns, values in column_pages:
        if isinstance(labeler, ColumnLabeler):
            values = [labeler.column_labels(c, v) for c, v in zip(columns, values, strict=True)]
        elif labeler is not None:
            values = [[labeler(c, x) for x in v] for c, v in zip(columns, values, strict=True)]
        yield from zip(*[texts(v) for v in values], strict=True)


def _write_csv_pages(column_pages: Iterable[tuple[Sequence[str], list[Sequence[Any]]]],
                     header: Sequence[str], write: Callable[[str], Any]) -> None:
    """CSV of pages of columns (kam.storage.RecordPages), a page at a time: each page's
    text made a column at a time by :func:`kam.column_text.csv_text` (what csv.writer
    writes, without its look at every character of every cell: ~40 % of ``opp list -f
    csv``'s instructions)."""
    import csv
    import io

    from kam.column_text import csv_text, csv_texts

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(header)
    write(buf.getvalue())
    for _names, values in column_pages:
        write(csv_text([csv_texts(v) for v in values]))


def to_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
             headers: Sequence[str] | None = None, labeler: Labeler | None = None) -> str:
    from kam import textable

    return textable.table(_cells(rows, columns, labeler), list(headers or columns)) or "(none)"


def write_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
                write: Callable[[str], Any], headers: Sequence[str] | None = None,
                labeler: Labeler | None = None) -> None:
    """:func:`to_table` written page by page, with a newline at the end."""
    from kam import textable

    if not textable.write_table(_cells(rows, columns, labeler), write,
                                list(headers or columns)):
        write("(none)")
    write("\n")


def to_pairs(record: Mapping[str, Any], fields: Sequence[str] | None = None,
             labeler: Labeler | None = None,
             names: Callable[[str], str] | None = None) -> str:
    """One record as ``field  value`` lines; ``names`` gives each field's label."""
    from kam import textable

    keys = fields or list(record)
    body = [[names(k) if names else k,
             cell(labeler(k, record.get(k)) if labeler else record.get(k))] for k in keys]
    return textable.table(body)


def stream(data: Iterable[Mapping[str, Any]], fmt: str, columns: Sequence[str],
           write: Callable[[str], Any]) -> None:
    """Write rows as they come (json/csv), so a long list never sits in memory."""
    if fmt == "json":
        first = True
        parts: list[str] = []
        for n, row in enumerate(data):
            parts.append(("[\n  " if first else ",\n  ") + _encode(row, "  "))
            first = False
            if n % 500 == 499:  # a few big writes, not one per row
                write("".join(parts))
                parts.clear()
        parts.append("[]\n" if first else "\n]\n")
        write("".join(parts))
        return
    import csv
    import io
    import itertools

    from kam.column_text import csv_rows
    from kam.storage import RecordPages

    if isinstance(data, RecordPages) and data.csv_text is not None and not columns:
        for piece in data.csv_text():
            write(piece)
        return
    if isinstance(data, RecordPages):
        pages = data.columns(list(columns) if columns else None, stored_text=True)
        first_page = next(pages, None)
        header = list(columns) if first_page is None else first_page[0]
        _write_csv_pages(itertools.chain([] if first_page is None else [first_page], pages),
                         header, write)
        return
    rows = iter(data)
    first_row = next(rows, None)
    if not columns:
        columns = list(first_row or [])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    chained = itertools.chain([] if first_row is None else [first_row], rows)
    if not columns:  # rows with no fields: an empty line each, as csv.writer writes them
        writer.writerows([] for _ in chained)
        write(buf.getvalue())
        return
    for page in csv_rows(chained, columns):  # a page of rows at a time
        writer.writerows(page)
        write(buf.getvalue())
        buf.seek(0)
        buf.truncate()
    write(buf.getvalue())


def write_rows(data: Iterable[Any], fmt: str, columns: Sequence[str] | None,
               write: Callable[[str], Any], labeler: Labeler | None = None,
               headers: Sequence[str] | None = None, none: str = "(none)") -> None:
    """:func:`render` of a list of rows followed by a newline, written as the rows come
    (tables page by page): the same text, without holding it or the rows. ``none`` is
    what an empty table reads (（无） in Chinese)."""
    if fmt == "json":
        stream(data, "json", [], write)
        return
    from kam.storage import RecordPages

    if isinstance(data, RecordPages):  # the columns as read, a page at a time
        pages = data.columns(list(columns) if columns else None, stored_text=fmt == "csv")
        first_page = next(pages, None)
        if first_page is not None:
            paged = itertools.chain([first_page], pages)
            if fmt == "csv":
                _write_csv_pages(paged, first_page[0], write)
                return
            from kam import textable

            textable.write_table(_page_cells(paged, labeler), write,
                                 list(headers or first_page[0]))
            write("\n")
            return
        data = []
    rows = iter(data)
    first = next(rows, None)
    if first is None:
        if fmt == "csv":
            write(to_csv([], list(columns or [])))
        else:
            write(none + "\n")
        return
    cols = list(columns or first.keys())
    chained = itertools.chain([first], rows)
    if fmt == "csv":
        stream(chained, "csv", cols, write)
        return
    write_table(chained, cols, write, headers, labeler)


def render(data: Any, fmt: str, columns: Sequence[str] | None = None,
           labeler: Labeler | None = None, headers: Sequence[str] | None = None,
           names: Callable[[str], str] | None = None) -> str:
    """A list renders as rows, a mapping as one record."""
    if fmt == "json":
        if not isinstance(data, Mapping):
            data = list(data)
        return to_json(data)
    if isinstance(data, Mapping):
        if fmt == "csv":
            cols = list(columns or data.keys())
            return to_csv([data], cols).rstrip("\n")
        return to_pairs(data, columns, labeler, names)
    rows = list(data)
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        return to_csv(rows, cols).rstrip("\n")
    return to_table(rows, cols, headers, labeler)
