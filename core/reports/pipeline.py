"""Pipeline by stage (管道): open opportunities — count, amount, weighted amount.

Weighted amount is Σ amount × probability, each deal to the cent. Streams
opportunities from storage; never sums different currencies together. Deals
moved past a gate by force are counted and listed (forcing lowers the odds).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam.reports import Chart, Report, Series, Table
from kam.reports.common import ZERO, new_report, scan, stage_display, tr, weighted
from kam.storage import scope

FIELDS = ("id", "title", "owner", "stage", "currency", "amount", "probability", "forced",
          "completed_at")


def build(ws: Any, owner: str | None = None, currency: str | None = None,
          customer: str | None = None, pipeline: str | None = None, **_: Any) -> Report:
    model = ws.pipeline(pipeline)
    where: dict[str, Any] = {"status": "open", "pipeline": model.key}
    where.update(scope(owner=owner, currency=currency, customer=customer))
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    forced_rows: list[dict[str, Any]] = []
    for opp in scan(ws, "opportunity", FIELDS, where, order_by=("id",)):
        if opp.get("completed_at"):
            continue
        key = (opp["stage"], opp["currency"])
        c = cells.setdefault(key, {"count": 0, "amount": ZERO, "weighted": ZERO, "forced": 0})
        amount = opp.get("amount") or ZERO
        c["count"] += 1
        c["amount"] += amount
        c["weighted"] += weighted(amount, opp.get("probability"))
        if opp.get("forced"):
            c["forced"] += 1
            forced_rows.append({"id": opp["id"], "title": opp["title"], "owner": opp.get("owner"),
                                "stage": opp["stage"], "amount": amount,
                                "currency": opp["currency"],
                                "probability": opp.get("probability")})
    currencies = sorted({cur for _, cur in cells})
    rows = []
    for stage in model.stages:
        for cur in currencies:
            c = cells.get((stage.key, cur))
            if c is not None:
                rows.append({"stage": stage.key, "probability": stage.probability,
                             "currency": cur, **c})
    totals = []
    for cur in currencies:
        mine = [r for r in rows if r["currency"] == cur]
        totals.append({"stage": "total", "currency": cur,
                       "count": sum(r["count"] for r in mine),
                       "amount": sum((r["amount"] for r in mine), ZERO),
                       "weighted": sum((r["weighted"] for r in mine), ZERO),
                       "forced": sum(r["forced"] for r in mine)})
    report = new_report(ws, "pipeline", "管道（按阶段）", "Pipeline by stage", pipeline=model.key,
                        filters=_filters(owner=owner, currency=currency, customer=customer))
    stages = stage_display(ws, model)
    report.tables.append(Table(
        "by_stage", ["stage", "currency", "count", "amount", "weighted", "forced"], rows, totals,
        title=tr(ws, "在途商机（按阶段）", "Open opportunities by stage"),
        display={"stage": stages}))
    if forced_rows:
        report.tables.append(Table(
            "forced", ["id", "title", "owner", "stage", "probability", "amount", "currency"],
            forced_rows, title=tr(ws, "强制推进的商机（赢率已调低）",
                                  "Forced advances (odds lowered)"),
            display={"stage": stages}))
    for cur in currencies:
        present = [s for s in model.stages if (s.key, cur) in cells]
        report.charts.append(Chart(
            tr(ws, f"各阶段金额与加权金额（{cur}）", f"Amount and weighted by stage ({cur})"),
            [s.label(ws.lang) for s in present],
            [Series(tr(ws, "金额", "amount"), [cells[(s.key, cur)]["amount"] for s in present]),
             Series(tr(ws, "加权金额", "weighted"),
                    [cells[(s.key, cur)]["weighted"] for s in present])],
            y_label=cur))
    return report


def _filters(**given: Any) -> dict[str, Any]:
    return {k: v for k, v in given.items() if v}


def weighted_total(report: Report, currency: str) -> Decimal:
    """The weighted total of one currency (for callers that want one number)."""
    for t in report.table("by_stage").totals:
        if t["currency"] == currency:
            return t["weighted"]
    return ZERO
