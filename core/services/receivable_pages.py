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
from typing import Any

from kam.models.receivable_state import ZERO, receivable_view
from kam.storage import JsonText

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
