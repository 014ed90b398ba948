"""A contract's P&L through its life (概算 → 预算 → 核算 → 决算): pure, so ``contract
show``, ``report contract-pnl`` and the close check compute it once and agree.

Each stage's cost is the sum of its cost lines. Its revenue is the contract amount,
except during execution (核算, ``actual``), where it is the revenue recognised so far.
Gross profit (毛利) = revenue − cost; margin % = margin ÷ revenue × 100, to the cent (half up), as
kam's bid margins are (on the amount as signed, tax included). Drift is the change in
cost and in margin points from one stage to a later one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
#: the four accounts in the order a project makes them
STAGES = ("estimate", "budget", "actual", "final")
#: the comparisons a finance review reads: bid vs signed, signed vs spent, signed vs closed
DRIFTS = (("estimate", "budget"), ("budget", "actual"), ("budget", "final"),
          ("estimate", "final"))


def _money(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else ZERO


def margin_pct(revenue: Decimal, cost: Decimal) -> Decimal | None:
    """(revenue − cost) ÷ revenue × 100, to the cent; None without revenue."""
    if revenue <= 0:
        return None
    return ((revenue - cost) * 100 / revenue).quantize(CENT, rounding=ROUND_HALF_UP)


def stage_totals(contract: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per stage: recorded or not, cost, revenue, margin and margin %."""
    lines = contract.get("cost_lines") or []
    out = []
    for stage in STAGES:
        mine = [line for line in lines if line.get("stage") == stage]
        revenue = (_money(contract.get("recognised_revenue")) if stage == "actual"
                   else _money(contract.get("amount")))
        recorded = bool(mine) or (stage == "actual"
                                  and contract.get("recognised_revenue") is not None)
        cost = sum((_money(line.get("amount")) for line in mine), ZERO)
        out.append({"account": stage, "recorded": recorded,
                    "cost": cost if recorded else None,
                    "revenue": revenue if recorded else None,
                    "gross_profit": revenue - cost if recorded else None,
                    "margin_pct": margin_pct(revenue, cost) if recorded else None})
    return out


def by_category(contract: dict[str, Any]) -> list[dict[str, Any]]:
    """Cost per category, one column per stage (None where the stage is not recorded)."""
    lines = contract.get("cost_lines") or []
    recorded = {line.get("stage") for line in lines}
    categories = sorted({str(line.get("category")) for line in lines})
    rows = []
    for category in categories:
        row: dict[str, Any] = {"category": category}
        for stage in STAGES:
            row[f"{stage}_cost"] = (sum((_money(line.get("amount")) for line in lines
                               if line.get("stage") == stage
                               and line.get("category") == category), ZERO)
                          if stage in recorded else None)
        rows.append(row)
    return rows


def drift(totals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cost change and margin-point change between recorded stages."""
    by = {t["account"]: t for t in totals if t["recorded"]}
    out = []
    for a, b in DRIFTS:
        if a in by and b in by:
            pa, pb = by[a]["margin_pct"], by[b]["margin_pct"]
            out.append({"from_stage": a, "to_stage": b,
                        "cost_change": by[b]["cost"] - by[a]["cost"],
                        "margin_points": pb - pa if pa is not None and pb is not None
                        else None})
    return out


def pnl(contract: dict[str, Any]) -> dict[str, Any]:
    """The contract's accounts: per stage, per category, and the drift between them."""
    totals = stage_totals(contract)
    return {"contract_id": contract.get("id"), "currency": contract.get("currency"),
            "stages": totals, "categories": by_category(contract), "drift": drift(totals)}
