"""kam's optional fast paths for the all-row lists' (``-f csv``): stored text pages and csv
lines made by the database.

Loaded by :mod:`kam.storage` when one of them is first named (see :mod:`kam.fast_paths`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from kam.storage import ColumnReads, Where, kind
from kam.stored import JsonText

# --- all-row csv lists: stored json and dates passed through (issue 15) ------------------

# JsonText (a json field's value as its stored text) is kam.stored's and StoredTextPages
# kam.storage's: the SQLite backend decodes with the one at import and every list checks
# the other, neither of which need build these protocols


def stored_text_pages(storage: ColumnReads, kind_name: str,
                      fields: Sequence[str] | None = None, where: Where | None = None,
                      order_by: Sequence[str] = ("id",), limit: int | None = None,
                      size: int = 500) -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
    """The reference of :class:`StoredTextPages`: ``column_pages`` with the json values
    encoded again and the dates written in ISO form."""
    from kam.stored import JSON_TEXT

    types = {f.name: f.type for f in kind(kind_name).fields}
    for names, columns in storage.column_pages(kind_name, fields, where, order_by, limit,
                                               size):
        yield names, [[None if v is None else JsonText(JSON_TEXT(v)) for v in col]
                      if types[name] == "json" else
                      [None if v is None else v.isoformat() for v in col]
                      if types[name] == "date" else col
                      for name, col in zip(names, columns, strict=True)]


@runtime_checkable
class ReceivableCsvRows(Protocol):
    """``receivable_csv_rows``: the milestones ``where`` selects in ``order_by``, pages
    of rows for ``receivable list -f csv`` computed by the database (state, outstanding
    and days overdue on ``today``), so 200k milestones are written without being made
    columns and cells one by one (issue 15). Each row is the receivable view's fields
    (``kam.services.receivable_pages.VIEW_FIELDS``) as csv.writer is to write them
    before escaping: money as two-place text, dates and json as stored (``[]`` as None),
    a ``due_offset`` like ``+10d`` already quoted as ``neutralise`` quotes it, numbers
    as ints; a row the database cannot give exactly (money not in whole cents, an
    unreadable due date, notes that are not a list of objects) has the state None and
    is made by the reference instead. ``kam.services.receivable_pages.csv_text``
    checks and writes them; ``csv_text_reference`` there is the reference
    (tests/test_receivable_csv.py)."""

    def receivable_csv_rows(self, where: Where | None, order_by: Sequence[str],
                            today: dt.date, size: int = 500
                            ) -> Iterator[list[tuple[Any, ...]]]: ...


@runtime_checkable
class ListCsvLines(Protocol):
    """``csv_lines``: ``kam … list -f csv`` of every field with each row's csv line made
    by the database — one text per row read instead of one value per field, nothing
    converted or quoted cell by cell (issue 15: a deal has 49 fields). Returns every
    field's name, in the order :class:`StoredTextPages` reads them (the header), and the
    records ``where`` selects in ``order_by`` as pages of (id, line): the line is the
    row's cells as :func:`kam.column_text.csv_texts` and ``csv_text`` write them from
    ``stored_text_pages``, before escaping (control characters and cells that may start
    a formula are the caller's to find). Where the database cannot give a row exactly
    the line is None or holds a control character: the caller writes that row's page
    by the reference.
    :func:`kam.list_csv.csv_text` writes them; ``csv_text_reference`` there is the
    reference (tests/test_list_csv.py)."""

    def csv_lines(self, kind: str, where: Where | None = None,
                  order_by: Sequence[str] = ("id",), limit: int | None = None,
                  size: int = 500
                  ) -> tuple[list[str], Iterator[list[tuple[str, str | None]]]]: ...
