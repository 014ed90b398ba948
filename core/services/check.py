"""``kam check``: the daily collection run (催款), made for cron.

For every milestone with money outstanding it fires the receivable-due hook once
when the due date arrives (``receivables.due_reminder_days`` ahead, default 0)
and the receivable-overdue hook once per overdue level crossed
(``receivables.overdue_levels``, default 1, 30, 60, 90 days), and escalates each open
complaint the rules send to someone that was never escalated (投诉升级). The event log is
the memory: one ``receivable.due`` / ``receivable.overdue`` event per firing, so
running it again the same day fires nothing new.

It also fires a renewal reminder (续单) once per contract and service end date,
``contracts.renewal_reminder_days`` (default 90) before the service ends, for signed,
executing or closed contracts with no open or won renewal deal (``contract.renewal_due``,
``kam_contract_event`` with action ``renewal_due``); and asks the anomaly rules
(``kam_customer_anomalies``) about each customer with overdue money, raising each flag
they name for review once (``customer.flagged``) unless one of that type is still open.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kam import values
from kam.errors import InputError
from kam.models.receivable_state import ZERO, receivable_view
from kam.output import LazyList
from kam.services.check_anomalies import (
    anomaly_candidates,
    anomaly_flags,
    may_flag,
    overdue_by_customer,
)
from kam.services.check_renewals import renewal_reminders
from kam.services.common import atomic
from kam.workspace import PLUGIN_SETTINGS, Workspace

if TYPE_CHECKING:
    from kam.storage import DunningMarks, DunningState

DEFAULT_LEVELS = (1, 30, 60, 90)


def levels(ws: Workspace) -> list[int]:
    raw = (ws.config.get("receivables", {}) or {}).get("overdue_levels", DEFAULT_LEVELS)
    try:
        out = sorted({int(x) for x in raw})
    except (TypeError, ValueError):
        raise InputError(f"kam.toml receivables.overdue_levels: {raw!r} must be a list of "
                         "whole days") from None
    if not out or out[0] < 1:
        raise InputError("kam.toml receivables.overdue_levels: levels must be 1 day or more")
    return out


def _reminder_days(ws: Workspace) -> int:
    raw = (ws.config.get("receivables", {}) or {}).get("due_reminder_days", 0)
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise InputError(f"kam.toml receivables.due_reminder_days: {raw!r} is not a number"
                         ) from None
    return max(days, 0)


def dunning_states(ws: Workspace, due_by: dt.date) -> Iterator[DunningState]:
    """:class:`kam.storage.DunningStates` from the backend when it has it, else
    :func:`python_dunning_states` (the reference)."""
    from kam.storage import DunningStates

    storage = ws.storage
    if isinstance(storage, DunningStates):
        return storage.dunning_states(due_by)
    return python_dunning_states(ws, due_by)


def _marked(ws: Workspace, lv: list[int], ahead: int) -> tuple[DunningMarks, dt.date] | None:
    """The backend and its mark's day, when it keeps :class:`kam.storage.DunningMarks`
    and the mark is of a run on or before today with these levels and days ahead
    (another run's boundaries are not this one's: every open milestone is looked up)."""
    from kam.storage import DunningMarks

    storage = ws.storage
    if not isinstance(storage, DunningMarks):
        return None
    mark = storage.dunning_mark()
    if mark is None or mark[0] > ws.today or mark[1:] != (tuple(lv), ahead):
        return None
    return storage, mark[0]


def _windows(since: dt.date, today: dt.date, lv: list[int], ahead: int
             ) -> list[tuple[dt.date, dt.date]]:
    """The due dates whose reminders came due after the marked day, up to today: the
    due reminder's (``ahead`` days before the due date) and each level's."""
    return [(since + dt.timedelta(days=ahead), today + dt.timedelta(days=ahead)),
            *((since - dt.timedelta(days=level), today - dt.timedelta(days=level))
              for level in lv)]


def python_dunning_states(ws: Any, due_by: dt.date) -> Iterator[DunningState]:
    """:func:`open_balances`, each with what earlier runs fired for it: every reminder
    ever fired read (:class:`kam.storage.FiredLevels`, else :func:`python_fired_levels`)."""
    from kam.storage import FiredLevels

    storage = ws.storage
    due, levels = (storage.fired_levels() if isinstance(storage, FiredLevels)
                   else python_fired_levels(ws))
    for rid, due_date, currency, outstanding in open_balances(ws, due_by):
        yield rid, due_date, currency, outstanding, rid in due, levels.get(rid, ())


class _LevelSets(dict[tuple[Any, ...], frozenset[int]]):
    """A milestone's fired overdue levels as a set of whole days, each distinct tuple of
    levels made a set once (a few dozen among ~20k milestones)."""

    def of(self, found: tuple[Any, ...]) -> frozenset[int]:
        if not found:
            return NONE_FIRED
        try:
            made = self.get(found)
        except TypeError:  # a level that is a JSON list or object: int() says what it is
            return _whole_days(found)
        if made is None:
            made = self[found] = _whole_days(found)
        return made


def _whole_days(levels: tuple[Any, ...]) -> frozenset[int]:
    return frozenset(level if type(level) is int else int(level or 0) for level in levels)


def python_fired_levels(ws: Workspace) -> tuple[set[str], dict[str, tuple[Any, ...]]]:
    """:class:`kam.storage.FiredLevels`' reference: :class:`kam.storage.FiredReminders`
    (or decoded events) grouped by milestone."""
    from kam.storage import FiredReminders

    storage = ws.storage
    due: set[str] = set()
    levels: dict[str, list[Any]] = {}
    for kind, record_id, level in (storage.fired_reminders() if isinstance(
            storage, FiredReminders) else python_fired_reminders(ws)):
        if kind == "receivable.due":
            due.add(str(record_id))
        else:
            levels.setdefault(str(record_id), []).append(level)
    return due, {rid: tuple(found) for rid, found in levels.items()}


def python_fired_reminders(ws: Workspace) -> Iterator[tuple[str, str | None, Any]]:
    """:class:`kam.storage.FiredReminders`' reference: the reminder events' levels, from
    ``event_values`` (the backend's, else decoded events)."""
    from kam.reports.rollups import event_values
    from kam.storage import REMINDER_KINDS

    return event_values(ws, REMINDER_KINDS, "level")


#: what a run imports, loaded before the write lock (not every record model: ~0.15 s)
CHECK_LOADS = ("kam.messages", "kam.output", "kam.reports.common", "kam.reports.rollups",
               "kam.services.complaints", "kam.services.service",
               "kam.plugins.rules_standard.anomalies", PLUGIN_SETTINGS)

#: reminders fired per bulk append: what is held at once, however many fire
BATCH = 2000
#: the overdue levels fired before for a milestone that has none
NONE_FIRED: frozenset[int] = frozenset()

@atomic(loads=CHECK_LOADS)
def run(ws: Workspace) -> dict[str, Any]:
    """Fire what is new today; report it and everything overdue (the exit code's basis).

    An ``--as-of`` beyond the real date is a preview: it lists what would fire on that
    day and records nothing, so the real daily runs still fire every level.

    Streams: the reminders are written in batches (one transaction still), only a
    compact line per reminder is kept, and the overdue milestones are read again when
    the result is printed (``overdue`` is a :class:`kam.output.LazyList`).
    """
    today = ws.today
    preview = ws.previewing
    lv = levels(ws)
    ahead = _reminder_days(ws)
    horizon = today + dt.timedelta(days=ahead)
    sets = _LevelSets()
    firing = _Firing(ws, preview)
    late = 0
    totals: dict[Any, Decimal] = {}  # by currency, as the milestones have it
    # only milestones with money outstanding can fire (most are paid on a team with history);
    # whole milestones are read only for those that fire, BATCH reminders' worth at a time
    due: list[tuple[str, list[int | None]]] = []
    queued = 0
    marked = _marked(ws, lv, ahead)
    if marked is None:
        states = dunning_states(ws, horizon)
    else:  # the milestones that crossed a boundary since the last run, or changed since
        storage, since = marked
        states = storage.marked_dunning_states(horizon, _windows(since, today, lv, ahead))
        late, totals = storage.overdue_totals(today)
    for rid, due_date, currency, outstanding, due_fired, found in states:
        days = (today - due_date).days if due_date < today else 0
        if days > 0 and marked is None:
            late += 1
            totals[currency] = totals.get(currency, ZERO) + outstanding
        fires: list[int | None] = [] if due_fired else [None]
        done = sets.of(found)
        fires += [level for level in lv if days >= level and level not in done]
        if fires:
            due.append((rid, fires))
            queued += len(fires)
            if queued >= BATCH:
                firing.fire(due)
                due, queued = [], 0
    firing.fire(due)
    firing.flush()
    if not preview:
        from kam.storage import DunningMarks

        if isinstance(ws.storage, DunningMarks):
            ws.storage.set_dunning_mark((today, tuple(lv), ahead))
    from kam.services.complaints import escalate_due

    escalated = escalate_due(ws, preview)
    renewals = renewal_reminders(ws, preview)
    candidates = anomaly_candidates(ws)
    only = None if candidates is None else may_flag(ws, candidates)
    flagged = [] if only == set() else anomaly_flags(ws, overdue_by_customer(ws, only),
                                                      preview)
    return {"as_of": today, "preview": preview, "levels": lv,
            "new": FiredLines(firing),
            "overdue": LazyList(late, lambda: overdue_views(ws)),
            "escalated": escalated,
            "renewals": renewals, "flagged": flagged,
            "overdue_outstanding": {c: values.fmt_money(t) for c, t in sorted(totals.items())}}


def open_balances(ws: Workspace, due_by: dt.date) -> Iterator[tuple[str, dt.date, str | None,
                                                                     Decimal]]:
    """:class:`kam.storage.OpenBalances` from the backend when it has it, else
    :func:`python_open_balances` (the reference)."""
    from kam.storage import OpenBalances

    storage = ws.storage
    if isinstance(storage, OpenBalances):
        return storage.open_balances(due_by)
    return python_open_balances(ws, due_by)


def python_open_balances(ws: Any, due_by: dt.date
                         ) -> Iterator[tuple[str, dt.date, str | None, Decimal]]:
    """The open milestones due by ``due_by`` (oldest due first) in four fields, from whole
    milestones and ``receivable_view``."""
    from kam.reports.rollups import open_receivables

    for record in open_receivables(ws, None, due_by, order_by=("due_date", "id")):
        view = receivable_view(record, due_by)
        if view["outstanding"] > 0:
            yield record["id"], record["due_date"], record["currency"], view["outstanding"]


def overdue_views(ws: Workspace, order_by: tuple[str, ...] = ("due_date", "id"),
                  where: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """The milestones with money overdue today (of those ``where`` finds), as
    ``receivable_view``s (oldest due first)."""
    from kam.reports.rollups import open_receivables

    today = ws.today
    for record in open_receivables(ws, where, today - dt.timedelta(days=1), order_by=order_by):
        view = receivable_view(record, today)
        if view["outstanding"] > 0 and view["days_overdue"] > 0:
            yield view


def overdue_texts(ws: Workspace) -> Iterator[dict[str, Any]]:
    """:func:`overdue_views` with money and dates as their JSON text, for ``kam check -f
    json``: :class:`kam.storage.OverdueTexts` from the backend when it has it, else
    :func:`python_overdue_texts` (the reference)."""
    from kam.storage import OverdueTexts

    storage = ws.storage
    if isinstance(storage, OverdueTexts):
        return storage.overdue_texts(ws.today)
    return python_overdue_texts(ws)


def overdue_json(ws: Workspace, indent: str) -> Iterator[str | dict[str, Any]]:
    """:func:`overdue_texts`, each milestone the JSON object ``kam check -f json`` prints
    at ``indent`` where the backend writes it (:class:`kam.storage.OverdueJson`), else
    its dict (``kam.check_json`` encodes it)."""
    from kam.storage import OverdueJson

    storage = ws.storage
    if isinstance(storage, OverdueJson):
        return storage.overdue_json(ws.today, indent)
    return overdue_texts(ws)


def python_overdue_texts(ws: Any) -> Iterator[dict[str, Any]]:
    """:func:`overdue_views`, each Decimal and date made the text JSON prints."""
    for view in overdue_views(ws):
        yield {k: (str(v) if isinstance(v, Decimal) else v.isoformat()
                   if isinstance(v, dt.date) else v) for k, v in view.items()}


class FiredLines(LazyList):
    """The ``new`` list of a run: one dict per reminder (:meth:`_Firing.lines`); its
    ``reminders`` give them as tuples (``kam check -f json`` writes them from those)."""

    def __init__(self, firing: _Firing) -> None:
        super().__init__(len(firing), firing.lines)
        self.reminders = firing.reminders


class _Firing:
    """The reminders of one run: written ``BATCH`` at a time (nothing in a preview), each
    kept in three numbers (~100k on a big team's first run): its milestone's line fields
    (one tuple per milestone), its level (0: the due reminder) and its event's number."""

    def __init__(self, ws: Workspace, preview: bool) -> None:
        from kam.kinds import EVENT

        self.ws = ws
        self.preview = preview
        self.hooked = bool(ws.plugins.implementers("kam_receivable_event"))
        self.prefix = EVENT.prefix
        self.pending: list[tuple[dict[str, Any], str, int | None]] = []
        self.milestones: list[tuple[Any, ...]] = []
        self.milestone = array("q")  # per reminder: its index in ``milestones``
        self.level = array("q")  # per reminder: 0 for due, else the overdue level
        self.event = array("q")  # per reminder: its event id's number, -1 for none
        self.odd_ids: dict[int, str] = {}  # event ids that are not prefix + number
        self._last = ""

    def __len__(self) -> int:
        return len(self.level)

    def fire(self, due: list[tuple[str, list[int | None]]]) -> None:
        """The reminders of these milestones (in firing order; ``None``: the due one),
        each milestone read once for its view (whole only when a plugin hooks them)."""
        if not due:
            return
        ids = [rid for rid, _ in due]
        records: Iterable[dict[str, Any]]
        if self.hooked:  # the hook gets each milestone's whole view
            records = self.ws.storage.find("receivable", {"id__in": ids}, order_by=())
        else:  # the line, the payload and the refs need these columns of the view only
            from kam.reports.common import scan

            records = scan(self.ws, "receivable", _VIEW_FIELDS, {"id__in": ids}, order_by=())
        found = {r["id"]: r for r in records}
        today = self.ws.today
        for rid, levels in due:
            view = receivable_view(found[rid], today)
            for level in levels:
                self.add(view, "due" if level is None else "overdue", level)

    def add(self, view: dict[str, Any], action: str, level: int | None) -> None:
        self.pending.append((view, action, level))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        ids: list[str | None] = [None] * len(pending)
        if pending and not self.preview:
            ws = self.ws

            def hook(i: int, event: dict[str, Any]) -> None:
                ids[i] = event["id"]
                if self.hooked:
                    view, action, level = pending[i]
                    ws.fire("kam_receivable_event", receivable=view, action=action,
                            level=level, event=event)

            as_of = ws.today.isoformat()
            last: dict[str, Any] | None = None
            base: dict[str, Any] = {}  # a milestone's payload but its level, made once
            refs: list[str] = []
            changes = []
            for view, action, level in pending:
                if view is not last:
                    last, base = view, _payload(as_of, view)
                    refs = [view["contract_id"], view["customer_id"]]
                changes.append((f"receivable.{action}", view["id"],
                                base if level is None else {**base, "level": level}, refs))
            if self.hooked:
                ws.record_events(changes, hook)
            else:  # only the ids are kept: no event record is made
                ids[:] = ws.record_event_ids(changes)
        for (view, _action, level), event_id in zip(pending, ids, strict=True):
            if self._last != view["id"]:  # a milestone's reminders come together
                self._last = view["id"]
                self.milestones.append(tuple(view[k] for k in _MILESTONE))
            self.milestone.append(len(self.milestones) - 1)
            self.level.append(level or 0)
            number = event_id[len(self.prefix):] if event_id else ""
            if event_id and event_id.startswith(self.prefix) and number.isdigit() \
                    and str(int(number)) == number:
                self.event.append(int(number))
            else:
                self.event.append(-1)
                if event_id:
                    self.odd_ids[len(self.event) - 1] = event_id

    def reminders(self) -> Iterator[tuple[int, tuple[Any, ...], int, str | None]]:
        """What fired as ``(milestone number, its line fields, level (0: due), event id)``
        per reminder: the ``new`` list's rows without a dict each (kam.check_json)."""
        prefix, odd, milestones = self.prefix, self.odd_ids, self.milestones
        for i, (m, level, number) in enumerate(zip(self.milestone, self.level, self.event,
                                                   strict=True)):
            yield (m, milestones[m], level,
                   f"{prefix}{number}" if number >= 0 else odd.get(i))

    def lines(self) -> Iterator[dict[str, Any]]:
        """What fired, one dict per reminder (the ``new`` list of the JSON)."""
        prefix, odd = self.prefix, self.odd_ids
        for i, (m, level, number) in enumerate(zip(self.milestone, self.level, self.event,
                                                   strict=True)):
            rid, co, cu, kind, due, days, outstanding, currency = self.milestones[m]
            yield {"action": "overdue" if level else "due", "level": level or None,
                   "receivable_id": rid, "contract_id": co, "customer_id": cu, "kind": kind,
                   "due_date": due, "days_overdue": days, "outstanding": outstanding,
                   "currency": currency,
                   "event_id": f"{prefix}{number}" if number >= 0 else odd.get(i)}


_MILESTONE = ("id", "contract_id", "customer_id", "kind", "due_date", "days_overdue",
              "outstanding", "currency")
#: what ``receivable_view`` needs for ``_MILESTONE`` and ``_payload`` (read when no plugin
#: hooks the reminders: not the milestones' whole rows)
_VIEW_FIELDS = ("id", "contract_id", "customer_id", "kind", "amount", "paid", "written_off",
                "written_off_on", "due_date", "currency")


def _payload(as_of: str, view: dict[str, Any]) -> dict[str, Any]:
    """A reminder event's payload but its level (recorded copies it: one per milestone)."""
    return {"due_date": view["due_date"].isoformat(), "days_overdue": view["days_overdue"],
            "outstanding": values.fmt_money(view["outstanding"]),
            "currency": view["currency"], "as_of": as_of}


def run_with_retries(ws: Workspace) -> dict[str, Any]:
    """:func:`run`, then the event deliveries whose back-off has passed (not in a
    preview): a daily cron run also catches up on notifications that failed."""
    result = run(ws)
    if not result["preview"]:
        from kam import outbox
        from kam.errors import KamError

        try:
            result["deliveries"] = outbox.retry(ws, due_only=True)
        except KamError as exc:  # the run is recorded: a busy outbox waits for the next
            ws.warnings.append(f"event deliveries not retried: {exc}")
    return result
