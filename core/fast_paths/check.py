"""kam's optional fast paths for ``kam check``'s (回款提醒, 异常客户): reminders fired, open
balances, overdue texts.

Loaded by :mod:`kam.storage` when one of them is first named (see :mod:`kam.fast_paths`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

# --- ``kam check`` with nothing new (issue 15, branch check3) ---------------------------

#: the events of ``kam check``'s receivable reminders (one per milestone and level)
REMINDER_KINDS = ("receivable.due", "receivable.overdue")


@runtime_checkable
class FiredReminders(Protocol):
    """``fired_reminders()``: :class:`EventValues`' ``event_values(REMINDER_KINDS,
    "level")`` in no particular order — what earlier ``kam check`` runs fired (催款提醒),
    read from an index of those events alone rather than from every event's payload.
    Reference: ``kam.services.check.python_fired_reminders``."""

    def fired_reminders(self) -> Iterator[tuple[str, str | None, Any]]: ...


@runtime_checkable
class FiredLevels(Protocol):
    """``fired_levels()``: :class:`FiredReminders` by milestone — the ids (``str``) with a
    due reminder, and each id's overdue reminders' levels decoded as FiredReminders
    decodes them (in no particular order): one row per milestone read, not one per
    reminder (~100k after a big team's first run). Reference:
    ``kam.services.check.python_fired_levels``."""

    def fired_levels(self) -> tuple[set[str], dict[str, tuple[Any, ...]]]: ...


#: one milestone of :class:`OpenBalances`: (id, due date, currency, money outstanding)
OpenBalance = tuple[str, dt.date, str | None, Decimal]


@runtime_checkable
class OpenBalances(Protocol):
    """``open_balances(due_by)``: (id, due date, currency, outstanding) of the milestones
    :class:`OpenReceivables` gives for ``open_receivables(None, due_by, False,
    ("due_date", "id"))``, in that order, ``outstanding`` as ``receivable_view`` has it —
    without reading whole rows: ``kam check`` decides from these what fires and what is
    overdue, and reads whole milestones only for the reminders it fires.
    Reference: ``kam.services.check.python_open_balances``."""

    def open_balances(self, due_by: dt.date) -> Iterator[OpenBalance]: ...


#: one milestone of :class:`DunningStates`: :data:`OpenBalance`, then whether its due
#: reminder fired and its overdue reminders' levels (as :class:`FiredLevels` gives them)
DunningState = tuple[str, dt.date, str | None, Decimal, bool, tuple[Any, ...]]


@runtime_checkable
class DunningStates(Protocol):
    """``dunning_states(due_by)``: :class:`OpenBalances`' milestones, in its order, each
    with what earlier ``kam check`` runs fired for it (催款进度): whether its due reminder
    fired, and its overdue reminders' levels as :class:`FiredLevels` gives them (in no
    particular order; ``()`` for none). What the daily run decides from, read for the
    milestones with money open only: the reminders of milestones long paid grow with
    every year of history (a team checked daily keeps ~2 per milestone ever late), the
    open ones do not. Reference: ``kam.services.check.python_dunning_states``."""

    def dunning_states(self, due_by: dt.date) -> Iterator[DunningState]: ...


#: what a recorded ``kam check`` run was asked: its day, its overdue levels (whole days,
#: ascending) and how many days ahead it fired due reminders
DunningMark = tuple[dt.date, tuple[int, ...], int]


@runtime_checkable
class DunningMarks(Protocol):
    """The mark of the last recorded ``kam check`` run (催款水位), kept by the backend, so
    the next day's run looks up a few hundred milestones, not every one with money open.

    After a recorded run on day W every open milestone has had each reminder due by W.
    On day D only a milestone whose due date crossed one of the run's boundaries in
    between (its due reminder's day, or a level's) can need one — unless it was added or
    changed since, or a reminder fired before was taken back. So the backend keeps, beside
    the mark, the milestones added or changed since it was set, and forgets the mark
    itself when a reminder event is deleted or changed, or a bulk load ran without its
    bookkeeping. What it keeps is derived, like an index: no event records it.

    - ``dunning_mark()``: the mark, or None when there is none to trust.
    - ``marked_dunning_states(due_by, windows)``: :class:`DunningStates`' rows for
      ``due_by``, in its order, of the milestones whose due date falls in one of the
      ``windows`` (after the first day, up to and including the second) or that were
      added or changed since the mark was set.
    - ``overdue_totals(as_of)``: how many of :class:`OpenBalances`' milestones are due
      before ``as_of``, and their outstanding money summed by currency (in that order's
      sum: what the run reports without reading every one's fired reminders).
    - ``set_dunning_mark(mark)``: inside the run's write transaction, the run's mark set
      and the milestones changed before it forgotten.

    Reference: ``kam.services.check.run`` without it (every open milestone looked up);
    tests/test_check_mark.py runs both on the same days and changes."""

    def dunning_mark(self) -> DunningMark | None: ...

    def marked_dunning_states(self, due_by: dt.date,
                              windows: Sequence[tuple[dt.date, dt.date]]
                              ) -> Iterator[DunningState]: ...

    def overdue_totals(self, as_of: dt.date) -> tuple[int, dict[str | None, Decimal]]: ...

    def set_dunning_mark(self, mark: DunningMark) -> None: ...


@runtime_checkable
class UnflaggedLate(Protocol):
    """``unflagged_late(due_by, flag_type)``: the customers (ids, each once, in id order)
    of the milestones :class:`OpenBalances` gives for ``due_by`` that have no open flag
    (not cleared) of ``flag_type`` — for ``kam check``'s anomaly pass: the standard rule
    raises ``low_credit`` (信用度很低) only on those, so a run with nothing new reads no
    whole milestone or customer for it. A customer id no customer has is left out.
    Reference: ``kam.services.check_anomalies.python_unflagged_late``."""

    def unflagged_late(self, due_by: dt.date, flag_type: str) -> Iterator[str]: ...


@runtime_checkable
class OverdueTexts(Protocol):
    """``overdue_texts(as_of)``: the milestones with money overdue on ``as_of`` (oldest due
    first, as ``kam.services.check.overdue_views``), each the ``receivable_view`` with its
    money and dates as their JSON text (``str(Decimal)``, ISO dates) — what ``kam check -f
    json`` prints every day (~22,700 on a big team), read a few columns at a time instead
    of whole rows. Reference: ``kam.services.check.python_overdue_texts``."""

    def overdue_texts(self, as_of: dt.date) -> Iterator[dict[str, Any]]: ...


@runtime_checkable
class OverdueJson(Protocol):
    """``overdue_json(as_of, indent)``: :class:`OverdueTexts`' milestones, in its order,
    each as the JSON object ``kam.check_json`` writes for it at ``indent`` (the C
    encoder's text: ``ensure_ascii`` off, DEL and C1 left for the writer to escape) — or
    as :class:`OverdueTexts`' dict where the backend cannot write it exactly (a milestone
    with collection notes). The database writes the text instead of Python making ~22,700
    dicts and encoding them every day. Reference: ``kam.services.check.python_overdue_texts``
    as ``kam.check_json`` writes each (``_row``)."""

    def overdue_json(self, as_of: dt.date, indent: str) -> Iterator[str | dict[str, Any]]: ...
