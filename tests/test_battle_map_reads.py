"""The battle map's reads (kam.storage.BattleMapReads, CollectionCards): each SQL
backend's order of the contracts in collection, its contract cards and (where it has
them) the two as one stream equal the Python references
(kam.reports.battle_map.PythonBattleMapReads, PythonCollectionCards) on random contracts
and milestones —
payments and write-offs that leave nothing outstanding, equal outstanding sums (the id
decides), contracts without a currency, ids that are not there, filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from kam.reports.battle_map import PythonBattleMapReads, PythonCollectionCards
from kam.storage import BattleMapReads, CollectionCards
from test_aggregates import opened, per_store, store  # noqa: F401  (the fixture)

TODAY = dt.date(2026, 6, 30)
CENTS = st.none() | st.integers(0, 3_000).map(lambda c: Decimal(c).scaleb(-2))
CONTRACT = st.tuples(
    st.sampled_from(["CU1", "CU2"]),                          # customer
    st.sampled_from([None, "CNY", "USD"]),                    # currency
    st.sampled_from([None, "张伟", "lee"]),                   # owner
    CENTS,                                                    # amount
    st.none() | st.integers(-30, 30),                         # delivered on: TODAY + n
    st.sampled_from(["executing", "closed", "terminated"]),   # status
)
#: (contract, amount — set three times in four —, paid, written off, written off on
#: TODAY): two examples in five leave money owing, so the order and cards are compared
MILESTONE = st.tuples(st.integers(0, 2), CENTS.filter(lambda c: c is not None) | CENTS,
                      CENTS, st.none() | CENTS, st.sampled_from([False, False, True]))


def _stocked(s: Any, contracts: list[tuple[Any, ...]],
             milestones: list[tuple[Any, ...]]) -> None:
    with s.transaction():
        for n in (1, 2):
            s.insert("customer", {"id": s.next_id("customer"), "name": f"客户{n}"})
        for cu, cur, owner, amount, delivered, status in contracts:
            s.insert("contract", {
                "id": s.next_id("contract"), "customer_id": cu, "currency": cur,
                "owner": owner, "amount": amount, "status": status, "number": "HT-1",
                "delivered_on": None if delivered is None else TODAY + dt.timedelta(delivered)})
        for seq, (co, amount, paid, off, off_on) in enumerate(milestones):
            if co >= len(contracts):
                continue
            s.insert("receivable", {
                "id": s.next_id("receivable"), "contract_id": f"CO{co + 1}",
                "customer_id": contracts[co][0], "seq": seq, "kind": "on_delivery",
                "amount": amount, "paid": paid, "written_off": off,
                "written_off_on": TODAY if off_on else None})


@per_store(60)
@given(st.lists(CONTRACT, min_size=1, max_size=6), st.lists(MILESTONE, min_size=1, max_size=20),
       st.sampled_from([{}, {"owner": "张伟"}, {"currency": "USD"}, {"customer_id": "CU2"}]))
@example([("CU1", "CNY", None, None, None, "executing"),
          ("CU2", None, "lee", Decimal("1.00"), 3, "closed"),
          ("CU2", "CNY", None, None, None, "terminated")],
         [(0, Decimal("5.00"), None, None, False), (2, Decimal("5.00"), None, None, False),
          (1, Decimal("1.00"), Decimal("2.00"), None, False),
          (1, Decimal("3.00"), None, Decimal("1.00"), True)], {})
@example([("CU1", "CNY", None, None, None, "executing"),
          ("CU2", "CNY", "lee", Decimal("9.00"), None, "closed"),
          ("CU1", "USD", "张伟", Decimal("2.00"), 1, "executing")],
         [(0, Decimal("2.00"), None, None, False), (1, Decimal("7.00"), Decimal("1.00"), None,
                                                   False),
          (2, Decimal("1.00"), None, None, False), (1, Decimal("1.00"), None, None, False)],
         {})
def test_battle_map_reads_equal_the_python_reference(store: str,  # noqa: F811
                                                     contracts: list[tuple[Any, ...]],
                                                     milestones: list[tuple[Any, ...]],
                                                     where: dict[str, Any]) -> None:
    with opened(store) as s:
        _stocked(s, contracts, milestones)
        assert isinstance(s, BattleMapReads)
        reference = PythonBattleMapReads(SimpleNamespace(storage=s))
        order = list(s.collection_order(TODAY, where))
        assert order == list(reference.collection_order(TODAY, where))
        # every contract listed owes something, and none that owes is left out
        owing = {cid for cid, _cur, _a, _n, _p, due in s.contract_sums(TODAY, where)
                 if due > 0}
        assert {cid for cid, _cur in order} == owing
        ids = [f"CO{n + 1}" for n in range(len(contracts) + 1)]  # one that is not there
        assert repr(sorted(s.contract_cards(ids), key=repr)) == repr(
            sorted(reference.contract_cards(ids), key=repr))
        if isinstance(s, CollectionCards):  # the order and the cards as one stream
            got = s.collection_cards(TODAY, where)
            want = PythonCollectionCards(reference).collection_cards(TODAY, where)
            assert (got.contracts, got.currencies) == (want.contracts, want.currencies)
            assert repr(list(got.cards)) == repr(list(want.cards))
