"""Forecast (销售预测): amounts by period of the close date and forecast category,
weighted, against targets, with the coverage ratio (覆盖倍数).

Open deals count in their forecast category by expected close date; won deals
count as ``closed`` in the period they were won. ``omitted`` deals and lost or
abandoned ones do not count. Coverage = open pipeline ÷ remaining target
(target − closed); below ``reports.coverage`` (default 3×) is flagged.
Targets finer than the period roll up (months into quarters); coarser ones do
not split and are left out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam.errors import InputError
from kam.models.deal_team import worked_by
from kam.reports import Chart, Report, Series, Table
from kam.reports.aggregates import deal_aggregates
from kam.reports.common import (
    ZERO,
    month_of,
    new_report,
    quarter_of,
    ratio,
    tr,
)
from kam.storage import scope
from kam.target_plan import parents

CATEGORIES = ("pipeline", "best_case", "commit")
UNSCHEDULED = "unscheduled"
UNIT_ZH = {"month": "月", "quarter": "季度", "year": "年"}
def period_key(by: str, d: Any) -> str:
    if d is None:
        return UNSCHEDULED
    if by == "month":
        return month_of(d)
    if by == "year":
        return f"{d.year:04d}"
    return quarter_of(d)


def target_period(by: str, period: str) -> str | None:
    """The report period a target's period falls in, or None when it is coarser."""
    year, _, part = period.partition("-")
    if by == "year":
        return year
    if by == "quarter":
        if part.startswith("Q"):
            return period
        if part:
            return f"{year}-Q{(int(part) - 1) // 3 + 1}"
        return None
    return period if part and not part.startswith("Q") else None


def build(ws: Any, owner: str | None = None, currency: str | None = None,
          customer: str | None = None, by: str | None = None, member: str | None = None,
          **_: Any) -> Report:
    by = (by or "quarter").strip().lower()
    if by not in ("month", "quarter", "year"):
        raise InputError(f"--by: {by!r} must be month, quarter or year")
    threshold = Decimal(str(ws.config.get("reports", {}).get("coverage", 3)))
    where: dict[str, Any] = {"status__in": ["open", "won"]}
    where.update(scope(owner=owner, currency=currency, customer=customer))
    where.update(worked_by(ws, member, "opportunity"))
    cells: dict[tuple[str, str], dict[str, Any]] = {}

    def cell(period: str, cur: str) -> dict[str, Any]:
        return cells.setdefault((period, cur), {
            "pipeline": ZERO, "best_case": ZERO, "commit": ZERO, "closed": ZERO,
            "weighted": ZERO, "open_amount": ZERO, "target": None})

    keys = ("status", "currency", "forecast_category", "closed_at", "close_date")
    for (status, cur, category, closed_at, close_date), _n, amount, weighted_sum in (
            deal_aggregates(ws).deal_sums(keys, where)):
        if status == "won":
            c = cell(period_key(by, closed_at or close_date), cur)
            c["closed"] += amount
            continue
        category = category or "pipeline"
        if category not in CATEGORIES:
            continue
        c = cell(period_key(by, close_date), cur)
        c[category] += amount
        c["open_amount"] += amount
        c["weighted"] += weighted_sum
    target_where = scope(owner=owner, currency=currency)
    has_targets = False
    if not customer and not member:  # targets are per owner, not per customer or team
        listed = list(ws.storage.find("target", target_where, order_by=("id",)))
        up, by_id = parents(listed), {t["id"]: t for t in listed}
        for t in listed:
            period = target_period(by, t["period"])
            if period is None or _rolls_up(t["id"], up, by_id, by):
                continue  # a month inside its owner's quarter target counts once, there
            has_targets = True
            c = cell(period, t["currency"])
            c["target"] = (c["target"] or ZERO) + (t.get("amount") or ZERO)
    rows = []
    for (period, cur) in sorted(cells, key=lambda k: (k[0] == UNSCHEDULED, k[0], k[1])):
        c = cells[(period, cur)]
        rows.append({"period": period, "currency": cur, **c, **_coverage(c, threshold)})
    totals = []
    for cur in sorted({r["currency"] for r in rows}):
        mine = [r for r in rows if r["currency"] == cur]
        total: dict[str, Any] = {"period": "total", "currency": cur}
        for key in (*CATEGORIES, "closed", "weighted", "open_amount"):
            total[key] = sum((r[key] for r in mine), ZERO)
        targets = [r["target"] for r in mine if r["target"] is not None]
        total["target"] = sum(targets, ZERO) if targets else None
        totals.append(total | _coverage(total, threshold))
    report = new_report(ws, "forecast", "销售预测", "Forecast", by=by,
                        coverage_threshold=threshold)
    columns = ["period", "currency", "pipeline", "best_case", "commit", "closed", "weighted"]
    if has_targets:
        columns += ["target", "remaining", "open_amount", "coverage", "below"]
    flag = {"true": "⚠", "false": ""}
    report.tables.append(Table(
        "by_period", columns, rows, totals,
        title=tr(ws, f"按{UNIT_ZH[by]}与预测类别", f"By {by} and forecast category"),
        display={"period": {UNSCHEDULED: tr(ws, "未定日期", "unscheduled"),
                            "total": tr(ws, "合计", "total")}, "below": flag},
        headers={"below": tr(ws, f"低于{threshold}倍", f"Below {threshold}×")}))
    if has_targets:
        report.notes.append(tr(
            ws, f"覆盖倍数 = 在途金额 ÷ 剩余目标（目标 − 已成交）；低于 {threshold} 倍标记 ⚠。",
            f"Coverage = open pipeline ÷ remaining target (target − closed); "
            f"below {threshold}× is marked ⚠."))
    for cur in sorted({r["currency"] for r in rows}):
        mine = [r for r in rows if r["currency"] == cur and r["period"] != UNSCHEDULED]
        if not mine:
            continue
        series = [Series(tr(ws, "已成交+加权", "closed + weighted"),
                         [r["closed"] + r["weighted"] for r in mine])]
        if any(r["target"] is not None for r in mine):
            series.append(Series(tr(ws, "目标", "target"),
                                 [r["target"] or ZERO for r in mine], kind="line"))
        report.charts.append(Chart(tr(ws, f"预测与目标（{cur}）", f"Forecast vs target ({cur})"),
                                   [r["period"] for r in mine], series, y_label=cur))
    return report


def _rolls_up(target_id: str, up: dict[str, str | None], by_id: dict[str, Any],
              by: str) -> bool:
    """A target inside a coarser target of the same owner that this report also counts."""
    parent = up.get(target_id)
    while parent is not None:
        if target_period(by, by_id[parent]["period"]) is not None:
            return True
        parent = up.get(parent)
    return False


def _coverage(c: dict[str, Any], threshold: Decimal) -> dict[str, Any]:
    if c.get("target") is None:
        return {"remaining": None, "coverage": None, "below": None}
    remaining = max(c["target"] - c["closed"], ZERO)
    cov = ratio(c["open_amount"], remaining)
    return {"remaining": remaining, "coverage": cov,
            "below": None if cov is None else cov < threshold}
