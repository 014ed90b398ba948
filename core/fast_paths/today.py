"""kam's optional fast paths for ``kam today``'s and the activity report's (今日待办, 停滞的商机):
next steps, stalled deals, milestones due.

Loaded by :mod:`kam.storage` when one of them is first named (see :mod:`kam.fast_paths`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from kam.storage import Record, Where


@runtime_checkable
class ActivityRollup(Protocol):
    """What the morning list and the activity report need from the call history (拜访),
    computed by the database instead of streaming every call through Python.

    ``latest_calls``: per live deal (open, or won and not completed) — or per customer for
    calls on no deal — the latest call (by date, then id) dated on or before ``as_of``,
    with fields id, date, opportunity_id, customer_id, owner, next_step, next_due; only
    ``owner``'s calls when given; with ``due_by``, only the latest calls whose next step
    is due on or before it (the morning list needs no others).

    ``deal_touches``: per open deal with a call dated on or before ``as_of`` (of
    ``customer`` when given): (deal id, date of its latest call, how many of its latest
    calls in a row had the outcome ``continuance``).

    ``call_counts``: calls dated from ``start`` to ``as_of`` (of ``customer``/``owner``
    when given) counted per (owner, date, outcome).
    """

    def latest_calls(self, as_of: dt.date, owner: str | None = None,
                     due_by: dt.date | None = None) -> Iterator[Record]: ...

    def deal_touches(self, as_of: dt.date, customer: str | None = None
                     ) -> Iterator[tuple[str, dt.date, int]]: ...

    def call_counts(self, start: dt.date, as_of: dt.date, customer: str | None = None,
                    owner: str | None = None
                    ) -> Iterator[tuple[str | None, dt.date, str | None, int]]: ...


# --- ``kam today --owner`` and ``kam check`` (issue 15) ----------------------------------

@runtime_checkable
class LatestCallsOn(Protocol):
    """``latest_calls_on(as_of, deals, due_by)``: :class:`ActivityRollup`'s
    ``latest_calls(as_of, None, due_by)`` of those deals only — the calls on one member's
    deals (铁三角) for their morning list, without reading every deal's latest call.
    Reference: ``kam.reports.rollups.latest_calls_on``."""

    def latest_calls_on(self, as_of: dt.date, deals: Sequence[str],
                        due_by: dt.date | None = None) -> Iterator[Record]: ...


# --- ``kam today`` for the whole team, memory flat (issue 15) ----------------------------

#: one next step due as ``kam today`` lists it (到期的下一步): next_due, next_step, the
#: deal (or, for a call on no deal, customer) id, customer_id, owner, the call's id
NextStep = tuple[dt.date, Any, str, str, Any, str]


@runtime_checkable
class NextStepsDue(Protocol):
    """``next_steps_due(as_of, due_by)``: the whole team's latest call per live deal (or
    customer) whose next step is due by ``due_by`` — :class:`ActivityRollup`'s
    ``latest_calls(as_of, None, due_by)`` — as :data:`NextStep` tuples in ``kam today``'s
    order (next_due, then the id), read in that order rather than held as records and
    sorted; ``None`` when the backend cannot (a key called after ``as_of``). Reference:
    ``kam.reports.rollups.next_steps_due``."""

    def next_steps_due(self, as_of: dt.date, due_by: dt.date
                       ) -> Iterator[NextStep] | None: ...


@runtime_checkable
class NextStepsHead(Protocol):
    """``next_steps_head(as_of, due_by, limit)``: how many steps :class:`NextStepsDue`
    lists, and the first ``limit`` of them — what ``kam today`` prints for people — from
    an index, not the ~45k steps of a big team read to count them; ``None`` when the
    backend cannot. Reference: ``kam.reports.rollups.next_steps_head``."""

    def next_steps_head(self, as_of: dt.date, due_by: dt.date, limit: int
                        ) -> tuple[int, list[NextStep]] | None: ...


#: one stalled deal as ``kam today`` and the activity report list it (停滞的商机): id,
#: title, owner, stage, its latest call's date (None: never called), days silent, the
#: trailing run of continuances
StalledDeal = tuple[str, Any, Any, Any, dt.date | None, int, int]


@runtime_checkable
class StalledDeals(Protocol):
    """``stalled_deals(as_of, silent_days, run_n, limit)``: the whole team's open deals
    stalled on ``as_of`` — a trailing run of at least ``run_n`` continuances, or silent for
    at least ``silent_days`` since the latest call (else the stage's start, else the day
    the deal was made) — most days silent first, then the longest run, then by id: how
    many there are, and the first ``limit`` of them (all when None) as
    :data:`StalledDeal`, so a big team's ~50k open deals are judged by the database, not
    read and judged one by one; ``None`` when the backend cannot (a deal called after
    ``as_of``). Reference: ``kam.reports.activity.stalled_reference``."""

    def stalled_deals(self, as_of: dt.date, silent_days: int, run_n: int,
                      limit: int | None = None) -> tuple[int, list[StalledDeal]] | None: ...


#: one milestone due or overdue as ``kam today`` lists it (到期和逾期的回款): id,
#: contract_id, customer_id, kind, due_date, state, days_overdue, outstanding, currency
DueReceivable = tuple[str, Any, Any, Any, dt.date, str, int, Decimal, Any]


@runtime_checkable
class DueReceivables(Protocol):
    """``due_receivables(as_of, due_by, where)``: the milestones ``where`` selects that
    are open on ``as_of`` (state due, overdue or partially paid, as
    :func:`kam.models.receivable_state.receivable_view` decides) and due on or before
    ``due_by``, as :data:`DueReceivable`, most days overdue first, then by due date and
    id: state and sums from the database, not each milestone's whole record and view.
    Reference: ``kam.reports.today.python_due_receivables``."""

    def due_receivables(self, as_of: dt.date, due_by: dt.date, where: Where | None = None
                        ) -> Iterator[DueReceivable]: ...


@runtime_checkable
class DueReceivablesHead(Protocol):
    """``due_receivables_head(as_of, due_by, where, limit)``: how many milestones
    :class:`DueReceivables` lists and the first ``limit`` of them — what ``kam today``
    prints for people — counted and sorted by the database in one query, the rest never
    made rows. Reference: ``kam.reports.today.due_receivables_head``."""

    def due_receivables_head(self, as_of: dt.date, due_by: dt.date, where: Where | None,
                             limit: int) -> tuple[int, list[DueReceivable]]: ...
