"""Roll-ups of the call history (拜访记录) that the morning list and the activity report
need: the latest call per live deal, each open deal's last touch and continuance run,
calls counted per owner, day and outcome.

A backend that implements :class:`kam.storage.ActivityRollup` answers them in the
database; otherwise (and as the reference the fast paths are tested against) they are
computed here in one column-limited pass over the calls, oldest first.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from kam.models.receivable_state import receivable_view
from kam.reports.common import scan
from kam.storage import (
    ActivityRollup,
    EventValues,
    LatestCallsOn,
    NextStep,
    NextStepsDue,
    NextStepsHead,
    OpenReceivables,
    Record,
    Where,
)

CALL_FIELDS = ("id", "date", "opportunity_id", "customer_id", "owner", "next_step",
               "next_due")


def rollup(ws: Any) -> ActivityRollup:
    """The backend itself when it has the fast path, else the Python reference."""
    if isinstance(ws.storage, ActivityRollup):
        return ws.storage
    return PythonRollup(ws)


class PythonRollup:
    """:class:`kam.storage.ActivityRollup` over the storage protocol (the reference)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def latest_calls(self, as_of: dt.date, owner: str | None = None,
                     due_by: dt.date | None = None) -> Iterator[Record]:
        # deals still being worked: open ones, and won ones still in implementation
        live = {o["id"] for o in scan(
            self.ws, "opportunity", ("id",),
            {"status__in": ["open", "won"], "completed_at__isnull": True}, order_by=())}
        latest: dict[str, Record] = {}
        where: dict[str, Any] = {"date__le": as_of}
        if owner:
            where["owner"] = owner
        for act in scan(self.ws, "activity", CALL_FIELDS, where, order_by=("date", "id")):
            opp = act.get("opportunity_id")
            if opp and opp not in live:
                continue
            latest[opp or act["customer_id"]] = act  # a later call supersedes
        return iter([{f: a.get(f) for f in CALL_FIELDS} for a in latest.values()
                     if due_by is None or (a.get("next_due") is not None
                                           and a["next_due"] <= due_by)])

    def deal_touches(self, as_of: dt.date, customer: str | None = None
                     ) -> Iterator[tuple[str, dt.date, int]]:
        open_deals = {o["id"] for o in scan(self.ws, "opportunity", ("id",),
                                            {"status": "open"}, order_by=())}
        where: dict[str, Any] = {"date__le": as_of}
        if customer:
            where["customer_id"] = customer
        touches: dict[str, list[Any]] = {}
        for act in scan(self.ws, "activity", ("id", "date", "opportunity_id", "outcome"),
                        where, order_by=("date", "id")):
            opp = act.get("opportunity_id")
            if not opp or opp not in open_deals:
                continue
            t = touches.setdefault(opp, [act["date"], 0])
            t[0] = act["date"]
            t[1] = t[1] + 1 if act.get("outcome") == "continuance" else 0
        return iter([(k, v[0], v[1]) for k, v in touches.items()])

    def call_counts(self, start: dt.date, as_of: dt.date, customer: str | None = None,
                    owner: str | None = None
                    ) -> Iterator[tuple[str | None, dt.date, str | None, int]]:
        where: dict[str, Any] = {"date__le": as_of, "date__ge": start}
        if customer:
            where["customer_id"] = customer
        if owner:
            where["owner"] = owner
        counts: Counter[tuple[str | None, dt.date, str | None]] = Counter(
            (a.get("owner"), a["date"], a.get("outcome"))
            for a in scan(self.ws, "activity", ("id", "date", "owner", "outcome"), where,
                          order_by=()))
        return iter([(o, d, out, n) for (o, d, out), n in counts.items()])


def latest_calls_on(ws: Any, as_of: dt.date, deals: Sequence[str],
                    due_by: dt.date | None = None) -> Iterator[Record]:
    """:class:`kam.storage.LatestCallsOn` from the backend when it has it, else (the
    reference) the whole team's latest calls, kept for those deals."""
    if isinstance(ws.storage, LatestCallsOn):
        return ws.storage.latest_calls_on(as_of, deals, due_by)
    wanted = set(deals)
    return (a for a in rollup(ws).latest_calls(as_of, None, due_by)
            if a.get("opportunity_id") in wanted)


def open_receivables(ws: Any, where: Where | None = None, due_by: dt.date | None = None,
                     noted: bool = False, order_by: Sequence[str] = ("id",)
                     ) -> Iterator[Record]:
    """:class:`kam.storage.OpenReceivables` from the backend when it has it, else over
    ``find`` (the reference): the milestones ``receivable_view`` finds money outstanding
    on."""
    if isinstance(ws.storage, OpenReceivables):
        return ws.storage.open_receivables(where, due_by, noted, order_by)
    return python_open_receivables(ws.storage, where, due_by, noted, order_by)


def python_open_receivables(storage: Any, where: Where | None = None,
                            due_by: dt.date | None = None, noted: bool = False,
                            order_by: Sequence[str] = ("id",)) -> Iterator[Record]:
    wanted: dict[str, Any] = dict(where or {})
    if due_by is not None:
        wanted["due_date__le"] = due_by
    day = dt.date.min  # outstanding does not depend on the day
    for r in storage.find("receivable", wanted, order_by=order_by):
        if receivable_view(r, day)["outstanding"] > 0 and (
                not noted or r.get("collection_notes")):
            yield r


def event_values(ws: Any, kinds: Sequence[str], key: str
                 ) -> Iterator[tuple[str, str | None, Any]]:
    """:class:`kam.storage.EventValues` from the backend when it has it, else from
    ``events`` (the reference)."""
    if isinstance(ws.storage, EventValues):
        return ws.storage.event_values(kinds, key)
    return python_event_values(ws.storage, kinds, key)


def python_event_values(storage: Any, kinds: Sequence[str], key: str
                        ) -> Iterator[tuple[str, str | None, Any]]:
    for e in storage.events(kinds=list(kinds)):
        yield e["kind"], e.get("record_id"), (e.get("payload") or {}).get(key)


def next_steps_due(ws: Any, as_of: dt.date, due_by: dt.date) -> Iterator[NextStep]:
    """:class:`kam.storage.NextStepsDue` from the backend when it can answer, else (the
    reference) the whole team's latest calls put in that order."""
    if isinstance(ws.storage, NextStepsDue):
        fast = ws.storage.next_steps_due(as_of, due_by)
        if fast is not None:
            return fast
    return iter(next_steps_in_order(rollup(ws).latest_calls(as_of, None, due_by), due_by))


def next_steps_head(ws: Any, as_of: dt.date, due_by: dt.date, limit: int
                    ) -> tuple[int, list[NextStep]]:
    """How many steps :func:`next_steps_due` lists and the first ``limit``: from the
    backend when it can (:class:`kam.storage.NextStepsHead`), else counted here."""
    if isinstance(ws.storage, NextStepsHead):
        fast = ws.storage.next_steps_head(as_of, due_by, limit)
        if fast is not None:
            return fast
    steps = list(next_steps_due(ws, as_of, due_by))
    return len(steps), steps[:limit]


def next_steps_in_order(calls: Iterable[Record], due_by: dt.date) -> list[NextStep]:
    """The next steps due by ``due_by`` (到期的下一步) of ``calls``, one per deal (or
    customer: a later call in ``calls`` supersedes an earlier one's), by next_due then id."""
    latest = {a.get("opportunity_id") or a["customer_id"]: a for a in calls}
    steps = [(a["next_due"], a.get("next_step"), key, a["customer_id"], a.get("owner"),
              a["id"])
             for key, a in latest.items()
             if a.get("next_due") is not None and a["next_due"] <= due_by]
    steps.sort(key=lambda s: (s[0], s[2]))
    return steps
