"""Pipeline by stage (管道): open opportunities — count, amount, weighted amount.

Streams opportunities from storage; never sums different currencies together.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam.reports import Report, Table


def build(ws: Any, owner: str | None = None, currency: str | None = None,
          **_: Any) -> Report:
    pipeline = ws.pipeline()
    where: dict[str, Any] = {"status": "open", "pipeline": pipeline.key}
    if owner:
        where["owner"] = owner
    if currency:
        where["currency"] = currency.upper()
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for opp in ws.storage.find("opportunity", where, order_by=()):
        key = (opp["stage"], opp["currency"])
        c = cells.setdefault(key, {"count": 0, "amount": Decimal("0.00"),
                                   "weighted": Decimal("0.00"), "forced": 0})
        amount = opp.get("amount") or Decimal("0.00")
        c["count"] += 1
        c["amount"] += amount
        c["weighted"] += (amount * opp["probability"] / 100).quantize(Decimal("0.01"))
        c["forced"] += 1 if opp.get("forced") else 0
    rows = []
    currencies = sorted({cur for _, cur in cells})
    for stage in pipeline.stages:
        for cur in currencies:
            c = cells.get((stage.key, cur))
            if c is None:
                continue
            rows.append({"stage": stage.key, "stage_label": stage.label(ws.lang),
                         "probability": stage.probability, "currency": cur, **c})
    totals = []
    for cur in currencies:
        mine = [r for r in rows if r["currency"] == cur]
        totals.append({"stage": "total", "stage_label": "合计" if ws.lang == "zh" else "total",
                       "currency": cur, "count": sum(r["count"] for r in mine),
                       "amount": sum((r["amount"] for r in mine), Decimal("0.00")),
                       "weighted": sum((r["weighted"] for r in mine), Decimal("0.00")),
                       "forced": sum(r["forced"] for r in mine)})
    table = Table("by_stage", ["stage_label", "currency", "count", "amount", "weighted",
                               "forced"], rows, totals)
    title = "管道（按阶段）" if ws.lang == "zh" else "Pipeline by stage"
    return Report("pipeline", title, ws.today.isoformat(), [table],
                  {"workspace": str(ws.path), "pipeline": pipeline.key})
