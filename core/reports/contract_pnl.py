"""Contract P&L (合同损益): one row per contract with its cost and margin at 概算, 预算,
核算 and 决算, and the drift of the margin from the budget to the latest account.

Costs are the sums of the contracts' cost lines (kam.models.contract_pnl): the totals
per currency add the rows, so they reconcile with the cost lines to the cent. A margin
total is the totals' own margin, never an average of percentages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam.models.contract_pnl import STAGES, margin_pct, stage_totals
from kam.reports import Report, Table
from kam.reports.common import ZERO, new_report, tr
from kam.storage import scope

#: the latest account recorded decides the drift from the budget
_LATEST = ("final", "actual")


def _row(contract: dict[str, Any], customer: str) -> dict[str, Any]:
    totals = {t["account"]: t for t in stage_totals(contract)}
    row: dict[str, Any] = {"contract_id": contract["id"], "number": contract.get("number"),
                           "customer": customer, "owner": contract.get("owner"),
                           "currency": contract.get("currency"),
                           "amount": contract.get("amount"),
                           "recognised_revenue": contract.get("recognised_revenue")}
    for stage in STAGES:
        row[f"{stage}_cost"] = totals[stage]["cost"]
        row[f"{stage}_margin"] = totals[stage]["margin_pct"]
    latest = next((s for s in _LATEST if totals[s]["recorded"]), None)
    base, last = totals["budget"]["margin_pct"], (totals[latest]["margin_pct"] if latest
                                                   else None)
    row["margin_points"] = last - base if base is not None and last is not None else None
    return row


def _totals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for cur in sorted({str(r["currency"]) for r in rows}):
        mine = [r for r in rows if str(r["currency"]) == cur]
        total: dict[str, Any] = {"contract_id": "total", "currency": cur,
                                 "amount": sum((r["amount"] or ZERO for r in mine), ZERO),
                                 "recognised_revenue": sum(
                                     (r["recognised_revenue"] or ZERO for r in mine), ZERO)
                                 if any(r["recognised_revenue"] is not None for r in mine)
                                 else None}
        for stage in STAGES:
            counted = [r for r in mine if r[f"{stage}_cost"] is not None]
            cost = sum((r[f"{stage}_cost"] for r in counted), ZERO)
            revenue = (sum((r["recognised_revenue"] or ZERO for r in counted), ZERO)
                       if stage == "actual" else sum((r["amount"] for r in counted), ZERO))
            total[f"{stage}_cost"] = cost if counted else None
            total[f"{stage}_margin"] = margin_pct(Decimal(revenue), cost) if counted else None
        out.append(total)
    return out


def build(ws: Any, owner: str | None = None, customer: str | None = None,
          currency: str | None = None, **_: Any) -> Report:
    where = scope(owner=owner, customer=customer, currency=currency)
    contracts = [c for c in ws.storage.find("contract", where or None, order_by=("id",))
                 if c.get("cost_lines") or c.get("recognised_revenue") is not None]
    ids = sorted({c["customer_id"] for c in contracts})
    names = {c["id"]: c["name"] for c in ws.storage.find("customer", {"id__in": ids})} \
        if ids else {}
    rows = [_row(c, names.get(c["customer_id"], "")) for c in contracts]
    report = new_report(ws, "contract-pnl", "合同损益（概算/预算/核算/决算）",
                        "Contract P&L (estimate, budget, actual, final)")
    columns = ["contract_id", "number", "customer", "currency", "amount",
               *[f"{s}_{k}" for s in STAGES for k in ("cost", "margin")],
               "recognised_revenue", "margin_points"]
    report.tables.append(Table(
        "contracts", columns, rows, _totals(rows),
        title=tr(ws, "各合同成本与毛利率", "Cost and margin per contract"),
        headers={"margin_points": tr(ws, "毛利率偏差（点，较预算）",
                                     "Margin drift vs budget (pts)")},
        display={"contract_id": {"total": tr(ws, "合计", "total")}}))
    report.notes.append(tr(
        ws, "核算毛利率按已确认收入计算，其余按合同金额；偏差为最新账目（决算，否则核算）"
        "减预算毛利率。",
        "The actual margin is on revenue recognised so far, the others on the contract "
        "amount; the drift is the latest account's margin (final, else actual) minus the "
        "budget's."))
    return report
