"""The call-history roll-ups (kam.storage.ActivityRollup) for the CSV backend.

The Python reference (kam.reports.rollups.PythonRollup) reads every call sorted by
(date, id) and keeps the last one per deal: on the CSV backend that sort held all
100k calls of a medium workspace as records (~60 MB) three times per ``kam today``.
Here each roll-up is one streamed, column-limited pass in file order that keeps only
what it answers: the latest (date, rank) per deal, each open deal's (date, rank,
continuance?) marks, counts per (owner, day, outcome). ``rank`` is the call's place in
id order (the row's position in a file in id order), so ties on a date break by id as
the reference's sort does. tests/test_csv_backend.py checks them equal on random data.

The activity report asks for call_counts and then the stalled deals (deal_touches, or
StalledDeals for the whole team): call_counts' pass over the calls also marks the open
deals' calls and keeps their touches with the open deals (kept.py's ``keep``), so the
file is parsed once, not twice (~0.1 s of ~0.5 s on medium). The kept answer is read only
for the same day and customer while both files keep the stamps they had before the
pass, and never while a transaction holds either kind's rows.
tests/test_stalled_deals.py checks stalled_deals against the reference, kept or not.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kam.kinds import Kind
from kam.plugins.storage_csv import checked
from kam.plugins.storage_csv.cells import Row, _id_key
from kam.plugins.storage_csv.kept import Kept
from kam.storage import Record, kind

if TYPE_CHECKING:
    from kam.storage import StalledDeal

CALL_FIELDS = ("id", "date", "opportunity_id", "customer_id", "owner", "next_step",
               "next_due")

#: the activity file's cells one pass reads for both call_counts and deal_touches
PASS_FIELDS = ("id", "date", "opportunity_id", "outcome", "owner", "customer_id")

#: an open deal's fields the stalled-deals table (停滞的商机) shows or judges by
STALLED_FIELDS = ("id", "title", "owner", "stage", "stage_entered_at", "created_at",
                  "completed_at")


class RankedReads(Protocol):
    def select(self, kind: str, fields: list[str], where: dict[str, Any] | None = None,
               order_by: tuple[str, ...] = ("id",), distinct: bool = False,
               limit: int | None = None) -> Iterator[Record]: ...

    def ranked(self, kind: str, fields: list[str], where: dict[str, Any]
               ) -> Iterator[tuple[Any, Record]]: ...

    def _kind_cells(self, k: Kind, names: Sequence[str]
                    ) -> tuple[bool, Iterator[tuple[str, ...]]] | None: ...

    def _held(self, k: Kind) -> dict[str, Row] | None: ...

    folder: Path
    _kept: Kept


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
    kept = _kept_pass(s, as_of, customer)
    if kept is not None:  # call_counts' pass of this open workspace answered it
        return iter(kept[1])
    return iter(_touches(s, as_of, customer, _ids(s, {"status": "open"})))


def _touches(s: RankedReads, as_of: dt.date, customer: str | None,
             open_deals: Collection[str]) -> list[tuple[str, dt.date, int]]:
    found = s._kind_cells(kind("activity"), PASS_FIELDS)
    if found is not None:
        return _one_pass(found, open_deals, None, as_of, customer, None)[1]
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
    return [(opp, *_last_and_run(calls)) for opp, calls in marks.items()]


def _one_pass(found: tuple[bool, Iterator[tuple[str, ...]]], open_deals: Collection[str],
              start: dt.date | None, as_of: dt.date, customer: str | None,
              owner: str | None
              ) -> tuple[list[tuple[str | None, dt.date, str | None, int]],
                         list[tuple[str, dt.date, int]]]:
    """call_counts (from ``start``; none when None) and deal_touches over one pass of
    the activity file's cells (PASS_FIELDS): a stored date is its ISO text, so the texts
    compare and sort as the dates do."""
    ordered, cells = found
    high = as_of.isoformat()
    low = start.isoformat() if start is not None else "~"  # after every date: none
    marks: dict[str, list[tuple[str, Any, bool]]] = {}
    window: list[tuple[str, str, str]] = []
    for n, (call_id, day, opp, outcome, who, customer_id) in enumerate(cells):
        if not day or day > high or (customer and customer_id != customer):
            continue
        if opp in open_deals:
            marks.setdefault(opp, []).append(
                (day, n if ordered else _id_key(call_id), outcome == "continuance"))
        if day >= low and (not owner or who == owner):
            window.append((who, day, outcome))
    fromiso = dt.date.fromisoformat
    counts = [(who or None, fromiso(day), outcome or None, n)
              for (who, day, outcome), n in Counter(window).items()]
    return counts, [(opp, fromiso(last), run)
                    for opp, (last, run) in ((opp, _last_and_run(calls))
                                             for opp, calls in marks.items())]


def _pass_files(s: RankedReads) -> tuple[Path, Path]:
    return s.folder / "activity.csv", s.folder / "opportunity.csv"


def _kept_pass(s: RankedReads, as_of: dt.date, customer: str | None
               ) -> tuple[dict[str, Record], list[tuple[str, dt.date, int]]] | None:
    """The open deals (STALLED_FIELDS) and their touches on ``as_of`` (of ``customer``)
    that call_counts' pass kept, while neither file has changed since and neither kind
    is held in memory (a transaction's rows: read them then)."""
    if s._held(kind("activity")) is not None or s._held(kind("opportunity")) is not None:
        return None
    kept: tuple[dict[str, Record], list[tuple[str, dt.date, int]]] | None = s._kept.answer(
        "calls", (as_of, customer), _pass_files(s))
    return kept


def _open_deals(s: RankedReads) -> dict[str, Record]:
    return {d["id"]: d for d in s.select("opportunity", list(STALLED_FIELDS),
                                         {"status": "open"}, ("id",))}


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
    """The counts, and — in the same pass over the activity file — the open deals'
    touches on ``as_of`` (of ``customer``), kept for the deal_touches or stalled_deals
    that follows (the activity report asks for both: the file is parsed once)."""
    stamps = tuple(checked.stamp_of(p) for p in _pass_files(s))  # before reading
    found = s._kind_cells(kind("activity"), PASS_FIELDS)
    if found is not None and s._held(kind("opportunity")) is None:
        deals = _open_deals(s)
        found_counts, touches = _one_pass(found, deals, start, as_of, customer, owner)
        s._kept.keep("calls", (as_of, customer), stamps, (deals, touches))
        return iter(found_counts)
    where: dict[str, Any] = {"date__le": as_of, "date__ge": start}
    if customer:
        where["customer_id"] = customer
    if owner:
        where["owner"] = owner
    counts: Counter[tuple[str | None, dt.date, str | None]] = Counter(
        (a["owner"], a["date"], a["outcome"])
        for a in s.select("activity", ["date", "owner", "outcome"], where, ()))
    return iter([(o, d, out, n) for (o, d, out), n in counts.items()])


def stalled_deals(s: RankedReads, as_of: dt.date, silent_days: int, run_n: int,
                  limit: int | None = None) -> tuple[int, list[StalledDeal]]:
    """The whole team's stalled deals (kam.storage.StalledDeals) from the open deals and
    their touches — call_counts' pass's when it kept them, else one read of each file —
    judged as kam.reports.activity.stalled_reference judges them."""
    kept = _kept_pass(s, as_of, None)
    if kept is not None:
        deals, touches = kept
    else:
        deals = _open_deals(s)
        touches = _touches(s, as_of, None, deals)
    touched = {opp: (last, run) for opp, last, run in touches}
    held: list[StalledDeal] = []
    for opp in deals.values():
        if opp["completed_at"]:
            continue
        last, run = touched.get(opp["id"], (None, 0))
        since = last or opp["stage_entered_at"] or _day(opp["created_at"]) or as_of
        silent = (as_of - since).days
        if run >= run_n or silent >= silent_days:
            held.append((opp["id"], opp["title"], opp["owner"], opp["stage"], last, silent,
                         run))
    held.sort(key=lambda r: (-r[5], -r[6], r[0]))
    return len(held), held if limit is None else held[:limit]


def _day(made: Any) -> dt.date | None:
    """The day of a deal's ``created_at`` as the reference takes it (its ISO text's
    date part; a datetime's own date)."""
    if not made:
        return None
    if isinstance(made, dt.datetime):
        return made.date()
    return dt.date.fromisoformat(str(made)[:10])
