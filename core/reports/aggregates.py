"""Receivables summed for the aging report (账龄) and the battle map (作战地图), deals
summed for the pipeline (管道) and the forecast (销售预测).

A backend that implements :class:`kam.storage.ReceivableSums` answers in the database;
otherwise (and as the reference the fast paths are tested against) the sums are made
here from :func:`kam.models.receivable_state.receivable_view` of each milestone, so the
two can never disagree on a state, an outstanding amount or a day overdue; likewise
(:class:`kam.storage.DealSums`) deals with :func:`kam.reports.common.weighted`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from kam.models.receivable_state import latest_note, receivable_view
from kam.reports.common import ZERO, scan, weighted
from kam.storage import (
    ContractSum,
    DealSum,
    DealSums,
    MilestoneColumnLists,
    MilestoneColumns,
    MilestoneView,
    MilestoneViews,
    PaymentSum,
    PaymentSums,
    ReceivableSum,
    ReceivableSums,
    StageMove,
    StageMoves,
    StageReach,
    StageReachCount,
    StageStart,
    Where,
)

#: what receivable_view reads for a sum (collection notes are not summed)
SUM_FIELDS = ("id", "contract_id", "customer_id", "kind", "amount", "currency", "due_date",
              "paid", "written_off", "written_off_on")


def _fast_or_reference(ws: Any, capability: Any) -> Any:
    """``ws.storage`` when it implements ``capability`` (an optional protocol of
    kam.storage, checked with isinstance), else the Python reference over the plain
    protocol."""
    return ws.storage if isinstance(ws.storage, capability) else PythonAggregates(ws)


def aggregates(ws: Any) -> ReceivableSums:
    """The backend itself when it has the fast path, else the Python reference."""
    return _fast_or_reference(ws, ReceivableSums)


def bucket_index(days_overdue: int, ends: Sequence[int]) -> int:
    """0 when not overdue, else 1 + the first end the days do not exceed (the last bucket
    after every end)."""
    if days_overdue <= 0:
        return 0
    for n, end in enumerate(ends, start=1):
        if days_overdue <= end:
            return n
    return len(ends) + 1


def deal_aggregates(ws: Any) -> DealSums:
    """The backend itself when it sums deals, else the Python reference."""
    return _fast_or_reference(ws, DealSums)


def stage_moves(ws: Any) -> StageMoves:
    """The backend itself when it picks out stage history, else the Python reference."""
    return _fast_or_reference(ws, StageMoves)


def stage_reach(ws: Any) -> StageReach:
    """The backend itself when it counts how far deals got, else the Python reference."""
    return _fast_or_reference(ws, StageReach)


def payment_aggregates(ws: Any) -> PaymentSums:
    """The backend itself when it sums payments, else the Python reference."""
    return _fast_or_reference(ws, PaymentSums)


def milestone_aggregates(ws: Any) -> MilestoneViews:
    """The backend itself when it computes milestone views, else the Python reference."""
    return _fast_or_reference(ws, MilestoneViews)


def milestone_columns(ws: Any, as_of: dt.date, where: Where | None = None
                      ) -> MilestoneColumnLists:
    """The milestone views ``where`` selects a field at a time: the backend's
    :class:`kam.storage.MilestoneColumns` when it has them, else (the reference)
    :func:`milestone_aggregates`' views transposed."""
    if isinstance(ws.storage, MilestoneColumns):
        return ws.storage.milestone_columns(as_of, where)
    return columns_of_views(list(milestone_aggregates(ws).milestone_views(as_of, where)))


def columns_of_views(views: Sequence[MilestoneView]) -> MilestoneColumnLists:
    """Milestone views as :data:`kam.storage.MilestoneColumnLists` (eleven empty lists
    for none)."""
    if not views:
        return ([], [], [], [], [], [], [], [], [], [], [])
    return tuple(map(list, zip(*views, strict=True)))  # type: ignore[return-value]


#: what a milestone view reads
VIEW_FIELDS = (*SUM_FIELDS, "seq", "share", "collection_notes")


class PythonAggregates:
    """:class:`kam.storage.ReceivableSums` over the storage protocol (the reference)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def receivable_sums(self, as_of: dt.date, ends: Sequence[int],
                        where: Where | None = None, contract_where: Where | None = None
                        ) -> Iterator[ReceivableSum]:
        owners = {c["id"]: c.get("owner") or "" for c in scan(
            self.ws, "contract", ("id", "owner"), dict(contract_where or {}), order_by=())}
        sums: dict[tuple[str, str, str, str, int], list[Any]] = {}
        for rec in scan(self.ws, "receivable", SUM_FIELDS, dict(where or {}), order_by=()):
            owner = owners.get(rec["contract_id"])
            if owner is None:
                continue
            view = receivable_view(rec, as_of)
            key = (view["customer_id"], owner, view["currency"] or "", view["state"],
                   bucket_index(view["days_overdue"], ends))
            cell = sums.setdefault(key, [0, ZERO])
            cell[0] += 1
            cell[1] += view["outstanding"]
        return iter([(*k, n, Decimal(total)) for k, (n, total) in sums.items()])

    def contract_sums(self, as_of: dt.date, contract_where: Where | None = None
                      ) -> Iterator[ContractSum]:
        contracts = {c["id"]: c for c in scan(self.ws, "contract", ("id", "currency", "amount"),
                                              dict(contract_where or {}), order_by=())}
        sums: dict[str, list[Any]] = {}
        for rec in scan(self.ws, "receivable", SUM_FIELDS, {}, order_by=()):
            if rec["contract_id"] not in contracts:
                continue
            view = receivable_view(rec, as_of)
            cell = sums.setdefault(rec["contract_id"], [0, ZERO, ZERO])
            cell[0] += 1
            cell[1] += view["paid"]
            cell[2] += view["outstanding"]
        return iter([(cid, contracts[cid].get("currency"), contracts[cid].get("amount"), n,
                      Decimal(paid), Decimal(outstanding))
                     for cid, (n, paid, outstanding) in sums.items()])

    def deal_sums(self, keys: Sequence[str], where: Where | None = None
                  ) -> Iterator[DealSum]:
        groups: dict[tuple[Any, ...], list[Any]] = {}
        fields = ("id", *keys, "amount", "probability")
        for opp in scan(self.ws, "opportunity", fields, dict(where or {}), order_by=()):
            group = groups.setdefault(tuple(opp.get(k) for k in keys), [0, ZERO, ZERO])
            amount = opp.get("amount") or ZERO
            group[0] += 1
            group[1] += amount
            group[2] += weighted(amount, opp.get("probability"))
        return iter([(k, n, Decimal(total), Decimal(w)) for k, (n, total, w) in groups.items()])

    def stage_starts(self, where: Where | None = None) -> Iterator[StageStart]:
        for opp in scan(self.ws, "opportunity", ("id", "stage_history", "created_at"),
                        dict(where or {}), order_by=("id",)):
            first = (opp.get("stage_history") or [{}])[0]
            yield opp["id"], first.get("stage"), first.get("on"), opp.get("created_at")

    def stage_moves(self, kinds: Sequence[str]) -> Iterator[StageMove]:
        for ev in self.ws.storage.events(kinds=kinds):
            p = ev.get("payload") or {}
            yield (ev["record_id"], ev["kind"], ev["at"], p.get("from"), p.get("to"),
                   p.get("stage"), p.get("on"), p.get("reason"))

    def stage_reach(self, order: Mapping[str, Sequence[str]], where: Where | None = None
                    ) -> Iterator[StageReachCount]:
        where = {**(where or {}), "pipeline__in": sorted(order)}
        first_of = {opp_id: first for opp_id, first, _on, _created in self.stage_starts(where)}
        furthest: dict[str, list[Any]] = {}  # id → [pipeline, furthest index, status]
        for opp in scan(self.ws, "opportunity", ("id", "pipeline", "status"), where):
            stages = order[opp["pipeline"]]
            first = first_of.get(opp["id"]) or stages[0]
            start = stages.index(first) if first in stages else 0
            reach = len(stages) - 1 if opp["status"] == "won" else start
            furthest[opp["id"]] = [opp["pipeline"], reach, opp["status"]]
        for record_id, _kind, _at, _from, to, _stage, _on, _reason in self.stage_moves(
                ("opportunity.advanced",)):
            st = furthest.get(record_id)
            if st is not None and to in order[st[0]]:
                st[1] = max(st[1], list(order[st[0]]).index(to))
        counts: dict[tuple[str, str, int], int] = {}
        for pipeline, reach, status in furthest.values():
            counts[(pipeline, status, reach)] = counts.get((pipeline, status, reach), 0) + 1
        return iter([(*key, n) for key, n in counts.items()])

    def payment_sums(self, by: str, where: Where | None = None,
                     contract_where: Where | None = None) -> Iterator[PaymentSum]:
        from kam.reports.revenue import period_of

        owners = {c["id"]: c.get("owner") or "" for c in scan(
            self.ws, "contract", ("id", "owner"), dict(contract_where or {}), order_by=())}
        sums: dict[tuple[str, str, Any, str], Decimal] = {}
        for p in scan(self.ws, "payment", ("id", "contract_id", "customer_id", "currency",
                                           "date", "amount"), dict(where or {}), order_by=()):
            key = (p["customer_id"], owners.get(p["contract_id"], ""), p["currency"],
                   period_of(by, p["date"]))
            sums[key] = sums.get(key, ZERO) + p["amount"]
        return iter([(*key, total) for key, total in sums.items()])

    def milestone_views(self, as_of: dt.date, where: Where | None = None
                        ) -> Iterator[MilestoneView]:
        for rec in scan(self.ws, "receivable", VIEW_FIELDS, dict(where or {}),
                        order_by=("contract_id", "seq", "id")):
            v = receivable_view(rec, as_of)
            yield (v["contract_id"], v["seq"], v["kind"], v["share"], v["amount"],
                   v["due_date"], v["paid"], v["outstanding"], v["state"],
                   v["days_overdue"], latest_note(v))
