"""Won and open deals summed per (owner, currency, month, customer, product line,
pipeline, stage) for the targets report (目标完成, 漏斗裕量): a target only ever adds up
the deals of its owners, currency, months, customer and product line, so the sums
answer it exactly as the deals themselves did. Customers and product lines no target
names are summed together (as None): a target that names none adds them all, and one
that names one never matches None.

A backend that implements :class:`kam.storage.DealMonthSums` sums them in the database;
otherwise (and as the reference its fast path is tested against) they are summed here
in one column-limited pass over the deals.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from decimal import Decimal
from typing import Any

from kam.reports.common import scan
from kam.storage import DealMonthSum, DealMonthSums, Where

#: the deal fields the sums read
SUM_FIELDS = ("id", "owner", "currency", "customer_id", "category", "amount", "closed_at",
              "close_date", "pipeline", "stage")


def month_sums(ws: Any) -> DealMonthSums:
    """The backend itself when it has the fast path, else the Python reference."""
    if isinstance(ws.storage, DealMonthSums):
        return ws.storage
    return PythonDealMonthSums(ws)


class PythonDealMonthSums:
    """:class:`kam.storage.DealMonthSums` over the storage protocol (the reference)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def deal_month_sums(self, won: bool, where: Where | None = None,
                        customers: Collection[str] = (), products: Collection[str] = ()
                        ) -> Iterator[DealMonthSum]:
        named_customers, named_products = set(customers), set(products)
        sums: dict[tuple[Any, ...], Decimal] = {}
        for opp in scan(self.ws, "opportunity", SUM_FIELDS, dict(where or {}), order_by=()):
            day = (opp.get("closed_at") or opp.get("close_date")) if won \
                else opp.get("close_date")
            if day is None:
                continue
            customer, category = opp.get("customer_id"), opp.get("category")
            key = (opp.get("owner") or "", opp.get("currency"), str(day)[:7],
                   customer if customer in named_customers else None,
                   category if category in named_products else None,
                   None if won else opp.get("pipeline"), None if won else opp.get("stage"))
            sums[key] = sums.get(key, Decimal("0.00")) + (opp.get("amount") or Decimal("0.00"))
        return iter([(*key, total) for key, total in sums.items()])
