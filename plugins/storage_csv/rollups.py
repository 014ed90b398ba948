"""The call-history roll-ups (kam.storage.ActivityRollup) for the CSV backend.

The Python reference (kam.reports.rollups.PythonRollup) reads every call sorted by
(date, id) and keeps the last one per deal: on the CSV backend that sort held all
100k calls of a medium workspace as records (~60 MB) three times per ``kam today``.
Here each roll-up is one streamed, column-limited pass in file order that keeps only
what it answers: the latest (date, rank) per deal, each open deal's (date, rank,
continuance?) marks, counts per (owner, day, outcome). ``rank`` is the call's place in
id order (the row's position in a file in id order), so ties on a date break by id as
the reference's sort does. tests/test_csv_backend.py checks them equal on random data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from kam.kinds import Kind
from kam.plugins.storage_csv.cells import _id_key
from kam.storage import Record, kind

CALL_FIELDS = ("id", "date", "opportunity_id", "customer_id", "owner", "next_step",
               "next_due")


class RankedReads(Protocol):
    def select(self, kind: str, fields: list[str], where: dict[str, Any] | None = None,
               order_by: tuple[str, ...] = ("id",), distinct: bool = False,
               limit: int | None = None) -> Iterator[Record]: ...

    def ranked(self, kind: str, fields: list[str], where: dict[str, Any]
               ) -> Iterator[tuple[Any, Record]]: ...

    def _kind_cells(self, k: Kind, names: Sequence[str]
                    ) -> tuple[bool, Iterator[tuple[str, ...]]] | None: ...


def _ids(s: RankedReads, where: dict[str, Any]) -> set[str]:
    return {r["id"] for r in s.select("opportunity", ["id"], where, ())}


def latest_calls(s: RankedReads, as_of: dt.date, owner: str | None = None,
                 due_by: dt.date | None = None) -> Iterator[Record]:
    live = _ids(s, {"status__in": ["open", "won"], "completed_at__isnull": True})
    where: dict[str, Any] = {"date__le": as_of}
    if owner:
        where["owner"] = owner
    latest: dict[str | None, tuple[dt.date, Any, Record]] = {}
    for rank, call in s.ranked("activity", list(CALL_FIELDS), where):
        opp = call["opportunity_id"]
        if opp and opp not in live:
            continue
        key = opp or call["customer_id"]
        seen = latest.get(key)
        if seen is None or (call["date"], rank) > (seen[0], seen[1]):
            latest[key] = (call["date"], rank, call)
    return iter([call for _, _, call in latest.values()
                 if due_by is None or (call["next_due"] is not None
                                       and call["next_due"] <= due_by)])


def deal_touches(s: RankedReads, as_of: dt.date, customer: str | None = None
                 ) -> Iterator[tuple[str, dt.date, int]]:
    open_deals = _ids(s, {"status": "open"})
    found = s._kind_cells(kind("activity"), ("id", "date", "opportunity_id", "outcome",
                                             "customer_id"))
    if found is not None:
        return _deal_touches(found, open_deals, as_of.isoformat(), customer)
    where: dict[str, Any] = {"date__le": as_of}
    if customer:
        where["customer_id"] = customer
    marks: dict[str, list[tuple[dt.date, Any, bool]]] = {}
    for rank, call in s.ranked("activity", ["id", "date", "opportunity_id", "outcome"],
                               where):
        opp = call["opportunity_id"]
        if opp and opp in open_deals:
            marks.setdefault(opp, []).append(
                (call["date"], rank, call["outcome"] == "continuance"))
    return iter([(opp, *_last_and_run(calls)) for opp, calls in marks.items()])


def _deal_touches(found: tuple[bool, Iterator[tuple[str, ...]]], open_deals: set[str],
                  as_of: str, customer: str | None) -> Iterator[tuple[str, dt.date, int]]:
    """deal_touches over the activity file's cells: a stored date is its ISO text, so
    the texts compare and sort as the dates do."""
    ordered, cells = found
    marks: dict[str, list[tuple[str, Any, bool]]] = {}
    for n, (call_id, day, opp, outcome, customer_id) in enumerate(cells):
        if not day or day > as_of or (customer and customer_id != customer):
            continue
        if opp in open_deals:
            marks.setdefault(opp, []).append(
                (day, n if ordered else _id_key(call_id), outcome == "continuance"))
    return iter([(opp, dt.date.fromisoformat(last), run)
                 for opp, (last, run) in ((opp, _last_and_run(calls))
                                          for opp, calls in marks.items())])


def _last_and_run(calls: list[tuple[Any, Any, bool]]) -> tuple[Any, int]:
    """The latest call's date, and how many of the latest calls in a row continued."""
    calls.sort(key=lambda m: (m[0], m[1]))
    run = 0
    for _, _, continued in reversed(calls):
        if not continued:
            break
        run += 1
    return calls[-1][0], run


def call_counts(s: RankedReads, start: dt.date, as_of: dt.date, customer: str | None = None,
                owner: str | None = None
                ) -> Iterator[tuple[str | None, dt.date, str | None, int]]:
    found = s._kind_cells(kind("activity"), ("date", "owner", "outcome", "customer_id"))
    if found is not None:
        low, high = start.isoformat(), as_of.isoformat()
        counted: Counter[tuple[str, str, str]] = Counter(
            (who, day, outcome) for day, who, outcome, customer_id in found[1]
            if day and low <= day <= high and (not customer or customer_id == customer)
            and (not owner or who == owner))
        return iter([(who or None, dt.date.fromisoformat(day), outcome or None, n)
                     for (who, day, outcome), n in counted.items()])
    where: dict[str, Any] = {"date__le": as_of, "date__ge": start}
    if customer:
        where["customer_id"] = customer
    if owner:
        where["owner"] = owner
    counts: Counter[tuple[str | None, dt.date, str | None]] = Counter(
        (a["owner"], a["date"], a["outcome"])
        for a in s.select("activity", ["date", "owner", "outcome"], where, ()))
    return iter([(o, d, out, n) for (o, d, out), n in counts.items()])
