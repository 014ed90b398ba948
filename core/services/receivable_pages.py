"""``receivable list`` a page of columns at a time (回款节点列表, issue 15): the
receivable view of :func:`kam.models.receivable_state.receivable_view` built for a page
of milestones column by column, so a csv or table list of 200k milestones builds no
dict per milestone. The per-record view stays the reference (tests/test_receivable_pages.py
checks the cells equal on random milestones) and is what json output still iterates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from operator import itemgetter
from typing import Any

from kam.column_text import csv_texts, may_escape_csv
from kam.models.receivable_state import ZERO, receivable_view
from kam.storage import ColumnReads, JsonText, ReceivableCsvRows, Where

Page = tuple[list[str], list[Sequence[Any]]]

#: the view's fields in its order (the csv header of ``receivable list``)
VIEW_FIELDS: tuple[str, ...] = tuple(receivable_view(
    {"id": "", "contract_id": "", "customer_id": "", "kind": ""}, dt.date(2000, 1, 1)))
#: view fields given as the record's value or None when empty ("" and None alike)
_OR_NONE = frozenset({"written_off_by", "write_off_reason", "due_offset"})
_MONEY = ("amount", "paid")


def stored_fields(shown: Sequence[str] | None) -> list[str] | None:
    """The stored fields to read for a view showing only ``shown`` (a table): those
    of them that are stored, and what the state is decided from. None: every field."""
    if shown is None:
        return None
    from kam.kinds import KINDS

    wanted = set(shown) | {"amount", "paid", "written_off", "written_off_on", "due_date"}
    return [f.name for f in KINDS["receivable"].fields if f.name in wanted]


def _states(amount: Sequence[Any], paid: Sequence[Any], written_off: Sequence[Any],
            written_off_on: Sequence[Any], due: Sequence[Any], today: dt.date
            ) -> tuple[list[Any], list[str], list[int]]:
    """Outstanding, state and days overdue of each milestone, as receivable_view
    decides them. Due dates may be dates or their ISO text as stored (csv): ISO dates
    order as their text does, so only an overdue one's text is read as a date."""
    outstanding: list[Any] = []
    states: list[str] = []
    days: list[int] = []
    as_text = any(type(d) is str for d in due)
    now: Any = today.isoformat() if as_text else today
    since = (lambda d: (today - dt.date.fromisoformat(d)).days) if as_text else (
        lambda d: (today - d).days)
    for a, p, w, off_on, d in zip(amount, paid, written_off, written_off_on, due,
                                  strict=True):
        p = p or ZERO
        o = (a or ZERO) - p - (w or ZERO)
        if o < ZERO:
            o = ZERO
        late = 0
        if off_on:
            s, o = "written_off", ZERO
        elif not o:
            s = "paid"
        elif p > ZERO:
            s = "partially_paid"
            if d is not None and d < now:
                late = since(d)
        elif d is None:
            s = "scheduled"
        elif d < now:
            s, late = "overdue", since(d)
        else:
            s = "due"
        outstanding.append(o)
        states.append(s)
        days.append(late)
    return outstanding, states, days


def view_page(names: Sequence[str], columns: Sequence[Sequence[Any]], today: dt.date,
              keep: Callable[[list[str], list[int]], Iterable[bool]] | None = None
              ) -> Page | None:
    """A page of stored milestones (every field, as ``column_pages`` gives them) as the
    view's columns on ``today``; ``keep(states, days overdue)`` picks the rows shown
    (None: every row). None when no row is left."""
    size = len(columns[0]) if columns else 0
    gaps: list[Any] = [None] * size
    col = dict(zip(names, columns, strict=True))

    def get(name: str) -> Sequence[Any]:
        return col.get(name, gaps)

    outstanding, states, days = _states(get("amount"), get("paid"), get("written_off"),
                                        get("written_off_on"), get("due_date"), today)
    made: dict[str, Sequence[Any]] = {"outstanding": outstanding, "state": states,
                                      "days_overdue": days}
    for name in _MONEY:
        made[name] = [v or ZERO for v in get(name)]
    for name in _OR_NONE:
        made[name] = [v or None for v in get(name)]
    # decoded: a list each, as the view gives; stored text (csv): as read, the same cell
    made["collection_notes"] = [v if type(v) is JsonText else list(v or [])
                                for v in get("collection_notes")]
    out = [made[name] if name in made else get(name) for name in VIEW_FIELDS]
    if keep is not None:
        mask = list(keep(states, days))
        if not all(mask):
            out = [list(compress(c, mask)) for c in out]
            if not out[0]:
                return None
    return list(VIEW_FIELDS), out


def view_pages(pages: Iterable[Page], today: dt.date,
               keep: Callable[[list[str], list[int]], Iterable[bool]] | None = None
               ) -> Iterator[Page]:
    """:func:`view_page` of each page, pages left empty by ``keep`` skipped."""
    for names, columns in pages:
        page = view_page(names, columns, today, keep)
        if page is not None:
            yield page


# --- csv rows (issue 15, lists5) -----------------------------------------------------------

_STATE, _DAYS = VIEW_FIELDS.index("state"), VIEW_FIELDS.index("days_overdue")
Read = tuple[Where, Sequence[str]]
Row = tuple[Any, ...]


def _keep(overdue: bool, state: str | None) -> Callable[[Row], bool]:
    """Whether a view row is listed with ``--overdue`` / ``--state``."""
    def keep(row: Row) -> bool:
        return ((not overdue or row[_DAYS] not in (0, "0"))  # as read, or its csv cell
                and (state is None or row[_STATE] == state))
    return keep


def csv_rows_reference(storage: ColumnReads, where: Where | None, order_by: Sequence[str],
                       today: dt.date) -> Iterator[list[Row]]:
    """The csv rows of the milestones ``where`` selects, in ``order_by``: the view of
    each page of columns, each column's csv cells."""
    for _names, columns in view_pages(storage.column_pages("receivable", None, where,
                                                            order_by), today):
        yield list(zip(*[csv_texts(c) for c in columns], strict=True))


def csv_text_reference(storage: ColumnReads, reads: Sequence[Read], today: dt.date,
                       overdue: bool = False, state: str | None = None) -> Iterator[str]:
    """``receivable list -f csv``'s text from the view built in Python (the reference of
    :func:`csv_text`)."""
    keep = _keep(overdue, state)
    pages = ([r for r in rows if keep(r)] for where, order in reads
             for rows in csv_rows_reference(storage, where, order, today))
    return _written(p for p in pages if p)


def csv_text(storage: ReceivableCsvRows, reads_from: ColumnReads, reads: Sequence[Read],
             today: dt.date, overdue: bool = False, state: str | None = None
             ) -> Iterator[str]:
    """``receivable list -f csv``'s text from the database's rows
    (kam.storage.ReceivableCsvRows), read in turn by ``reads`` (where, order): a page
    is written as read, and only when its text holds a control character or a cell
    that may start a formula are its cells escaped a column at a time; a row the
    database could not give (state None) is made by :func:`csv_rows_reference`."""
    keep = _keep(overdue, state)

    def pages() -> Iterator[list[Row]]:
        for where, order in reads:
            for page in storage.receivable_csv_rows(where, order, today):
                rows = page
                if None in map(_ROW_STATE, page):
                    rows = _made_odd(reads_from, page, today)
                if overdue or state:
                    rows = [r for r in rows if keep(r)]
                if rows:
                    yield rows

    return _written(pages(), escape=True)


_ROW_STATE = itemgetter(_STATE)


def _made_odd(storage: ColumnReads, page: list[Row], today: dt.date) -> list[Row]:
    """The page with each row the database could not give made by the reference."""
    odd = [r[0] for r in page if r[_STATE] is None]
    made = {r[0]: r for p in csv_rows_reference(storage, {"id__in": odd}, ("id",), today)
            for r in p}
    return [made[r[0]] if r[_STATE] is None else r for r in page]


def _written(pages: Iterable[list[Row]], escape: bool = False) -> Iterator[str]:
    """The csv text of pages of rows, a page at a time, its header first (an empty line
    when there is no row, as for every list); ``escape``: rows as read, each page
    checked and escaped when it must be."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    first = True
    for rows in pages:
        if first:
            writer.writerow(VIEW_FIELDS)
            first = False
        start = buf.tell()
        writer.writerows(rows)
        if escape and may_escape_csv(buf.getvalue()[start:]):
            buf.seek(start)
            buf.truncate()
            writer.writerows(zip(*[csv_texts(c) for c in zip(*rows, strict=True)],
                                 strict=True))
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if first:
        writer.writerow([])
    yield buf.getvalue()
