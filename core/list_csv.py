"""``kam … list -f csv`` of every field from the lines the database makes
(kam.storage.ListCsvLines), checked and escaped a page at a time.

A page is written as read unless its text holds a control character or a cell that may
start a formula (:func:`kam.column_text.may_escape_csv`; a cell the database cannot
make holds one) or a row the database could not make (None): then its rows are made by
the reference — the page's records read
by id through ``stored_text_pages`` and written by ``csv_texts`` and ``csv_text``, as
:func:`csv_text_reference` writes every row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kam.storage import ColumnReads, ListCsvLines, Where


def _header(names: Sequence[str]) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(names)
    return buf.getvalue()


def csv_text_reference(storage: ColumnReads, kind: str, where: Where | None,
                       order_by: Sequence[str], limit: int | None) -> Iterator[str]:
    """The csv of every field as the list writes it from ``stored_text_pages`` (or
    ``column_pages``), as :func:`kam.output.stream` writes a list's pages: the
    reference of :func:`csv_text`."""
    import itertools

    from kam.output import _write_csv_pages

    pages = _read(storage)(kind, None, where, order_by, limit)
    first = next(pages, None)
    parts: list[str] = []
    _write_csv_pages(itertools.chain([] if first is None else [first], pages),
                     [] if first is None else first[0], parts.append)
    return iter(parts)


def _read(storage: ColumnReads) -> Any:
    """The backend's pages with json and dates as stored, else its decoded pages."""
    from kam.storage import StoredTextPages

    return (storage.stored_text_pages if isinstance(storage, StoredTextPages)
            else storage.column_pages)


def _reference_lines(storage: ColumnReads, kind: str, ids: Sequence[str]
                     ) -> dict[str, str]:
    """Each record's csv line (no line end) by the reference, by id."""
    from kam.column_text import csv_text, csv_texts

    made: dict[str, str] = {}
    for names, columns in _read(storage)(kind, None, {"id__in": list(ids)}, ("id",), None):
        cells = [csv_texts(c) for c in columns]
        at = names.index("id")
        for i, record_id in enumerate(columns[at]):
            made[record_id] = csv_text([[c[i]] for c in cells])[:-1]
    return made


def csv_text(lines: ListCsvLines, storage: ColumnReads, kind: str, where: Where | None,
             order_by: Sequence[str], limit: int | None) -> Iterator[str]:
    """The csv of every field of the records ``where`` selects in ``order_by``: the
    header, then a page of lines at a time (an empty line alone when there is none, as
    the reference writes it)."""
    from kam.column_text import may_escape_csv

    names, pages = lines.csv_lines(kind, where, order_by, limit)
    if len(names) < 2:  # a row of one empty cell is written as "" (no such kind)
        yield from csv_text_reference(storage, kind, where, order_by, limit)
        return
    first = True
    for page in pages:
        if first:
            yield _header(names)
            first = False
        made: list[Any] = [line for _id, line in page]
        text = None if None in made else "\n".join(made) + "\n"
        if text is None or may_escape_csv(text):
            redo = _reference_lines(storage, kind, [i for i, _line in page])
            text = "".join(redo[i] + "\n" for i, _line in page)
        yield text
    if first:
        yield "\n"
