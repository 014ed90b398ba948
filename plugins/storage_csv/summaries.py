"""What the funnel (销售漏斗), the targets report (目标完成, 漏斗裕量) and the pipeline
(管道) read of deals and their stage history, picked out of the CSV files
(kam.storage.StageMoves, StageReach, DealMonthSums, PipelineSums) instead of through
whole records.

The Python references (kam.reports.aggregates.PythonAggregates,
kam.reports.targets_sums.PythonDealMonthSums) decode every kept event's payload and refs
and every deal's whole stage history. Here the event log is sieved for the kinds asked
before a line is parsed (reading.records_with), a payload is decoded only for a deal that
counts, of a stage history only its first entry is decoded, and a deal's days are
grouped by month as the text they are stored as. tests/test_aggregates.py
and tests/test_targets_sums.py check them equal to the references on random data.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from kam.kinds import Kind
from kam.plugins.storage_csv import reading
from kam.plugins.storage_csv.reading import _money_value
from kam.storage import (
    PIPELINE_KEYS,
    DealMonthSum,
    DealSum,
    Record,
    StageMove,
    StageReachCount,
    StageStart,
    Where,
    kind,
    split_filter,
)

_DECODER = json.JSONDecoder()
_ZERO = Decimal("0.00")
_CENT = Decimal("0.01")
ADVANCED = "opportunity.advanced"


class CellReads(Protocol):
    def _kind_cells(self, k: Kind, names: Sequence[str]
                    ) -> tuple[bool, Iterator[tuple[str, ...]]] | None: ...

    def _read(self, k: Kind, where: Where | None, fields: Sequence[str] | None,
              order_by: Sequence[str], limit: int | None, offset: int,
              texts: Sequence[str] = ()) -> Iterator[Record]: ...

    def _event_cells(self, kinds: Sequence[str], names: Sequence[str],
                     records: Collection[str] | None = None
                     ) -> Iterator[tuple[str, ...]] | None: ...

    def events(self, record_id: str | None = None, kinds: Sequence[str] | None = None,
               after_id: str | None = None, limit: int | None = None
               ) -> Iterator[Record]: ...


def first_entry(history: str | None) -> dict[str, Any]:
    """The first entry of a stage history given as its stored json text ({} when it has
    none), decoding only that entry: a deal's history grows with every stage."""
    if not history:
        return {}
    if history.startswith("[{"):
        entry, _end = _DECODER.raw_decode(history, 1)
        return entry  # type: ignore[no-any-return]
    first: dict[str, Any] = (json.loads(history) or [{}])[0]
    return first


def _payload(text: str | None) -> dict[str, Any]:
    return (json.loads(text) if text else None) or {}


def stage_starts(s: CellReads, where: Where | None = None) -> Iterator[StageStart]:
    for opp in s._read(kind("opportunity"), where, ["id", "stage_history", "created_at"],
                       ("id",), None, 0, texts=["stage_history"]):
        first = first_entry(opp["stage_history"])
        yield opp["id"], first.get("stage"), first.get("on"), opp["created_at"]


def stage_moves(s: CellReads, kinds: Sequence[str]) -> Iterator[StageMove]:
    cells = s._event_cells(kinds, ("record_id", "kind", "at", "payload"))
    if cells is None:
        for ev in s.events(kinds=kinds):
            p = ev.get("payload") or {}
            yield (ev["record_id"], ev["kind"], ev["at"], p.get("from"), p.get("to"),
                   p.get("stage"), p.get("on"), p.get("reason"))
        return
    for record_id, kind_, at, text in cells:
        p = _payload(text)
        rid: Any = record_id or None
        yield (rid, kind_, at or None, p.get("from"), p.get("to"),
               p.get("stage"), p.get("on"), p.get("reason"))


def stage_reach(s: CellReads, order: Mapping[str, Sequence[str]], where: Where | None = None
                ) -> Iterator[StageReachCount]:
    furthest: dict[str, list[Any]] = {}  # id → [pipeline, furthest index, status]
    for opp_id, pipeline, status, history in _closed_deals(s, order, where):
        stages = order[pipeline]
        first = first_entry(history).get("stage") or stages[0]
        start = stages.index(first) if first in stages else 0
        reach = len(stages) - 1 if status == "won" else start
        furthest[opp_id] = [pipeline, reach, status]
    # only the deals that may still reach further: the rest's advances are never parsed
    counting = {opp_id for opp_id, st in furthest.items() if st[1] < len(order[st[0]]) - 1}
    cells = s._event_cells((ADVANCED,), ("record_id", "payload"), counting)
    moves: Iterator[tuple[Any, ...]] = (
        ((ev["record_id"], ev.get("payload")) for ev in s.events(kinds=(ADVANCED,)))
        if cells is None else cells)
    for record_id, payload in moves:
        st = furthest.get(record_id)
        if st is None or st[1] == len(order[st[0]]) - 1:
            continue  # not counted, or as far as its pipeline goes (won, say)
        to: Any = (payload or {}).get("to") if cells is None else _payload(payload).get("to")
        stages = order[st[0]]
        if to in stages:
            st[1] = max(st[1], list(stages).index(to))
    counts: dict[tuple[str, str, int], int] = {}
    for pipeline, reach, status in furthest.values():
        counts[(pipeline, status, reach)] = counts.get((pipeline, status, reach), 0) + 1
    return iter([(*key, n) for key, n in counts.items()])


def _closed_deals(s: CellReads, order: Mapping[str, Sequence[str]], where: Where | None
                  ) -> Iterator[tuple[str, str, str, str | None]]:
    """(id, pipeline, status, stage history text) of the deals ``where`` selects in a
    pipeline of ``order``: by raw cells when ``where`` is only a status filter (what the
    conversion rates ask) and the file is in id order, else by ``_read``."""
    names = ("id", "pipeline", "status", "stage_history")
    keys = set(where or {})
    if keys <= {"status", "status__in"} and len(keys) <= 1:
        found = s._kind_cells(kind("opportunity"), names)
        want = (where or {}).get("status__in", None)
        statuses = (set(want) if want is not None else
                    {where["status"]} if where else None)
        plain = statuses is None or all(isinstance(v, str) and v for v in statuses)
        if found is not None and found[0] and plain:
            return ((i, p, st, h or None) for i, p, st, h in found[1]
                    if p in order and (statuses is None or st in statuses))
    where = {**(where or {}), "pipeline__in": sorted(order)}
    return ((o["id"], o["pipeline"], o["status"], o["stage_history"])
            for o in s._read(kind("opportunity"), where, list(names), (), None, 0,
                             texts=["stage_history"]))


#: what the month sums read of a deal; the days stay text ("2026-06-30"[:7] is the month)
MONTH_FIELDS = ["owner", "currency", "customer_id", "category", "amount", "closed_at",
                "close_date", "pipeline", "stage"]


def deal_month_sums(s: CellReads, won: bool, where: Where | None = None,
                    customers: Collection[str] = (), products: Collection[str] = ()
                    ) -> Iterator[DealMonthSum]:
    named_customers, named_products = set(customers), set(products)
    sums: dict[tuple[Any, ...], Decimal] = {}
    cells = _month_cells(s, where)
    if cells is not None:
        for (owner, currency, customer, category, amount, closed_at, close_date, pipeline,
             stage) in cells:
            day = (closed_at or close_date) if won else close_date
            if not day:
                continue
            key = (owner, currency or None, day[:7],
                   customer if customer in named_customers else None,
                   category if category in named_products else None,
                   None if won else pipeline or None, None if won else stage or None)
            sums[key] = sums.get(key, _ZERO) + (_money_value(amount) if amount else _ZERO)
        return iter([(*key, total) for key, total in sums.items()])
    for opp in s._read(kind("opportunity"), where, MONTH_FIELDS, (), None, 0,
                       texts=["closed_at", "close_date"]):
        day = (opp["closed_at"] or opp["close_date"]) if won else opp["close_date"]
        if day is None:
            continue
        customer, category = opp["customer_id"], opp["category"]
        key = (opp["owner"] or "", opp["currency"], day[:7],
               customer if customer in named_customers else None,
               category if category in named_products else None,
               None if won else opp["pipeline"], None if won else opp["stage"])
        sums[key] = sums.get(key, _ZERO) + (opp["amount"] or _ZERO)
    return iter([(*key, total) for key, total in sums.items()])


def _month_cells(s: CellReads, where: Where | None) -> Iterator[tuple[str, ...]] | None:
    """MONTH_FIELDS' cells of the deals ``where`` selects, in file order, when each of its
    filters is a test of a raw cell (reading.raw_test: a status, owners) and the file is
    in id order: the deals' file is then parsed once for every read of a report
    (kept.py); None otherwise (``_read`` then)."""
    found = raw_cells(s, kind("opportunity"), MONTH_FIELDS, where)
    return found[1] if found is not None and found[0] else None


class KindCells(Protocol):
    def _kind_cells(self, k: Kind, names: Sequence[str]
                    ) -> tuple[bool, Iterator[tuple[str, ...]]] | None: ...


def raw_cells(s: KindCells, k: Kind, fields: Sequence[str], where: Where | None
              ) -> tuple[bool, Iterator[tuple[str, ...]]] | None:
    """Whether the kind's file is in id order, and ``fields``' cells ("" for none) of the
    rows ``where`` selects in file order, when each of its filters is a test of a raw
    cell (reading.raw_test) and no transaction holds the kind's rows; None otherwise
    (read records then)."""
    names = list(dict.fromkeys([*fields, *(split_filter(k, key)[0] for key in where or {})]))
    index = {name: i for i, name in enumerate(names)}
    tests = [reading.raw_test(k, key, want, index) for key, want in (where or {}).items()]
    if any(t is None for t in tests):
        return None
    found = s._kind_cells(k, names)
    if found is None:
        return None
    ordered, rows = found
    width = len(fields)
    passing = [t for t in tests if t is not None]
    if not passing:
        return ordered, (cells[:width] for cells in rows)
    if len(passing) == 1:
        only = passing[0]
        return ordered, (cells[:width] for cells in rows if only(cells))  # type: ignore[arg-type]
    return ordered, (cells[:width] for cells in rows
                     if all(t(cells) for t in passing))  # type: ignore[arg-type]


def pipeline_sums(s: CellReads, where: Where | None, fields: Sequence[str]
                  ) -> tuple[list[DealSum], Iterator[Record]]:
    """kam.storage.PipelineSums: the deals ``where`` selects read once, in id order,
    summed by PIPELINE_KEYS while the forced ones' ``fields`` are kept (the reference
    reads the deals a second time for them: ~0.04 s of medium's ~0.15 s report)."""
    k = kind("opportunity")
    names = list(dict.fromkeys(["id", *PIPELINE_KEYS, "amount", "probability", *fields]))
    groups: dict[tuple[Any, ...], list[Any]] = {}
    forced: list[Record] = []
    for opp in s._read(k, where, names, ("id",), None, 0):
        key = (opp["pipeline"], opp["stage"], opp["currency"], opp["forced"])
        group = groups.get(key)
        if group is None:
            group = groups[key] = [0, _ZERO, _ZERO]
        amount = opp["amount"] or _ZERO
        group[0] += 1
        group[1] += amount
        group[2] += (amount * Decimal(opp["probability"] or 0) / 100).quantize(
            _CENT, rounding=ROUND_HALF_UP)
        if opp["forced"] is True:
            forced.append({f: opp[f] for f in fields})
    return ([(key, n, Decimal(total), Decimal(w)) for key, (n, total, w) in groups.items()],
            iter(forced))
