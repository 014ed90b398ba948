"""The targets report's deal sums (kam.storage.DealMonthSums): each SQL backend's GROUP BY answers
exactly what the Python reference (kam.reports.targets_sums.PythonDealMonthSums) sums
on random deals — missing owners, amounts and days, a won deal with or without its
``closed_at``, customers and product lines named by a target or not, filters — and the
targets' numbers from the sums are those from the deals themselves
(kam.target_plan.won_in and DealIndex over the plain deals). Sums are compared by
``repr``: the same ``Decimal`` digits, not only the same value."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam import target_plan as plan
from kam.plugins.storage_sqlite.backend import SQLiteStorage
from kam.reports.common import scan
from kam.reports.targets_sums import SUM_FIELDS, PythonDealMonthSums, month_sums
from kam.storage import DealMonthSums
from test_aggregates import WITH_CSV, opened, per_store, readers, store  # noqa: F401

TODAY = dt.date(2026, 6, 30)
DEAL = st.tuples(
    st.sampled_from(["open", "won", "lost"]),                 # status
    st.sampled_from([None, "", "张伟", "lee"]),               # owner
    st.sampled_from(["CNY", "USD"]),                          # currency
    st.sampled_from(["CU1", "CU2"]),                          # customer
    st.sampled_from([None, "软件", "hw"]),                    # category (product line)
    st.sampled_from([None, "six", "short"]),                  # pipeline
    st.sampled_from([None, "lead", "bid"]),                   # stage
    st.none() | st.integers(-50_000, 50_000).map(lambda c: Decimal(c).scaleb(-2)),
    st.none() | st.integers(-400, 60),                        # closed_at: TODAY + n
    st.none() | st.integers(-400, 60),                        # close_date: TODAY + n
)
NAMED = st.sampled_from([((), ()), ({"CU2"}, ()), ((), {"软件"}), ({"CU1", "CU9"}, {"hw"})])
WHERE = st.sampled_from([{}, {"status": "won"}, {"status": "open", "owner__in": ["张伟", ""]},
                         {"currency": "USD"}])


def _day(n: int | None) -> dt.date | None:
    return None if n is None else TODAY + dt.timedelta(n)


def _stocked(s: Any, deals: list[tuple[Any, ...]]) -> None:
    with s.transaction():
        for n in (1, 2):
            s.insert("customer", {"id": s.next_id("customer"), "name": f"客户{n}"})
        for status, owner, cur, cu, cat, pipe, stage, amount, closed, close in deals:
            s.insert("opportunity", {
                "id": s.next_id("opportunity"), "customer_id": cu, "title": "t",
                "status": status, "owner": owner, "currency": cur, "category": cat,
                "pipeline": pipe, "stage": stage, "amount": amount,
                "closed_at": _day(closed), "close_date": _day(close)})


@WITH_CSV
@per_store(60)
@given(st.lists(DEAL, max_size=25), st.booleans(), NAMED, WHERE)
@example([("won", None, "CNY", "CU1", None, None, None, Decimal("0.10"), None, 3),
          ("won", "", "CNY", "CU2", "软件", "six", "bid", None, -40, None),
          ("open", "lee", "USD", "CU2", "hw", "short", "lead", Decimal("-0.10"), 1, None)],
         True, ({"CU2"}, {"软件"}), {})
def test_deal_month_sums_equal_the_python_reference(store: str,  # noqa: F811
                                                    deals: list[tuple[Any, ...]], won: bool,
                                                    named: tuple[Any, Any],
                                                    where: dict[str, Any]) -> None:
    with opened(store) as s:
        _stocked(s, deals)
        assert isinstance(s, DealMonthSums)
        for reader in readers(s):
            reference = PythonDealMonthSums(SimpleNamespace(storage=reader))
            fast = sorted(reader.deal_month_sums(won, where, *named), key=repr)
            assert repr(fast) == repr(sorted(reference.deal_month_sums(won, where, *named),
                                             key=repr))
            # every deal with its day is in exactly one group
            dated = [o for o in scan(SimpleNamespace(storage=reader), "opportunity",
                                     SUM_FIELDS, where, order_by=())
                     if (o["closed_at"] or o["close_date"] if won else o["close_date"])]
            assert sum((g[-1] for g in fast), Decimal(0)) == sum(
                (o["amount"] or Decimal(0) for o in dated), Decimal(0))


TARGET = st.fixed_dictionaries({
    "owner": st.sampled_from(["张伟", "lee"]), "currency": st.sampled_from(["CNY", "USD"]),
    "period": st.sampled_from(["2026", "2026-Q2", "2026-06", "2025-Q3"]),
    "customer_id": st.sampled_from([None, "CU2"]), "product": st.sampled_from([None, "软件"]),
})


@settings(max_examples=40, deadline=None)
@given(st.lists(DEAL, max_size=25), st.lists(TARGET, min_size=1, max_size=4))
def test_targets_from_the_sums_equal_those_from_the_deals(deals: list[tuple[Any, ...]],
                                                          targets: list[dict[str, Any]]
                                                          ) -> None:
    """What a target won and its open deals per stage, from the sums as the report reads
    them, equal kam.target_plan's over the deals themselves."""
    with tempfile.TemporaryDirectory() as folder:
        s = SQLiteStorage(Path(folder) / "kam.db")
        try:
            _stocked(s, deals)
            ws = SimpleNamespace(storage=s)
            named = ({t["customer_id"] for t in targets if t["customer_id"]},
                     {t["product"] for t in targets if t["product"]})
            won = [o for o in scan(ws, "opportunity", SUM_FIELDS, {"status": "won"})]
            live = [o for o in scan(ws, "opportunity", SUM_FIELDS, {"status": "open"})]
            by_sums = plan.WonIndex.from_sums(
                month_sums(ws).deal_month_sums(True, {"status": "won"}, *named))
            open_sums = plan.DealIndex.from_sums(
                month_sums(ws).deal_month_sums(False, {"status": "open"}, *named))
            open_deals = plan.DealIndex(live, won=False)
            for t in targets:
                owners = {t["owner"]}
                assert repr(by_sums.won_in(t, owners, t["period"])) == repr(
                    plan.won_in(t, owners, won, t["period"]))
                per_stage: dict[Any, Decimal] = {}
                for o in open_sums.deals(t, owners, t["period"]):
                    key = (o["pipeline"], o["stage"])
                    per_stage[key] = per_stage.get(key, Decimal("0.00")) + o["amount"]
                expected: dict[Any, Decimal] = {}
                for o in open_deals.deals(t, owners, t["period"]):
                    key = (o["pipeline"], o["stage"])
                    expected[key] = expected.get(key, Decimal("0.00")) + (
                        o.get("amount") or Decimal("0.00"))
                assert repr(sorted(per_stage.items(), key=repr)) == repr(
                    sorted(expected.items(), key=repr))
        finally:
            s.close()
