"""What the battle map (回款作战地图, kam.reports.contracts) reads besides the milestones:
the contracts in collection in the map's order, and each contract's fields with its
customer's name.

A backend that implements :class:`kam.storage.BattleMapReads` answers them in the
database; otherwise (and as the reference its fast path is tested against) they come
from :class:`kam.storage.ReceivableSums` and column-limited reads here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from kam.reports.aggregates import aggregates
from kam.reports.common import scan
from kam.storage import BattleMapReads, ContractCard, Where

#: the contract fields a battle-map row shows or decides by
BATTLE_KEYS = ("id", "number", "customer_id", "owner", "amount", "currency", "delivered_on",
               "final_accepted_on", "signed_on", "status")


def battle_reads(ws: Any) -> BattleMapReads:
    """The backend itself when it has the fast path, else the Python reference."""
    if isinstance(ws.storage, BattleMapReads):
        return ws.storage
    return PythonBattleMapReads(ws)


class PythonBattleMapReads:
    """:class:`kam.storage.BattleMapReads` over the storage protocol (the reference)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def collection_order(self, as_of: dt.date, contract_where: Where | None = None
                         ) -> Iterator[tuple[str, Any]]:
        order = sorted((cur is not None, cur or "", -outstanding, cid, cur)
                       for cid, cur, _amount, _n, _paid, outstanding in
                       aggregates(self.ws).contract_sums(as_of, contract_where)
                       if outstanding > 0)
        return iter([(cid, cur) for _has, _key, _neg, cid, cur in order])

    def contract_cards(self, ids: Sequence[str]) -> Iterator[ContractCard]:
        contracts = list(scan(self.ws, "contract", BATTLE_KEYS, {"id__in": list(ids)},
                              order_by=("id",)))
        customers = sorted({c["customer_id"] for c in contracts if c.get("customer_id")})
        names: dict[str, str] = {}
        for start in range(0, len(customers), 500):
            for rec in scan(self.ws, "customer", ("id", "name"),
                            {"id__in": customers[start:start + 500]}, order_by=()):
                names[rec["id"]] = rec["name"]
        return iter([(*(c.get(k) for k in BATTLE_KEYS),  # type: ignore[misc]
                      names.get(c.get("customer_id") or "", "")) for c in contracts])
