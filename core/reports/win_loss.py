"""Win-loss (赢单/丢单分析): closed deals by reason, stage reached, importance and owner.

Win rate = won ÷ (won + lost + abandoned). Amounts are kept per currency.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from kam.models.case_analysis import needs_case_analysis
from kam.models.deal_team import worked_by
from kam.reports import Report, Table
from kam.reports.common import (
    ZERO,
    new_report,
    percent,
    scan,
    stage_display,
    tr,
    vocab_display,
)
from kam.storage import scope

STATUSES = ("won", "lost", "abandoned")
#: what the report reads of a closed deal (not its wide history columns)
FIELDS = ("id", "title", "status", "reason", "stage", "owner", "importance", "currency",
          "amount", "closed_at", "case_analysis")


def build(ws: Any, owner: str | None = None, customer: str | None = None,
          since: Any = None, until: Any = None, member: str | None = None,
          **_: Any) -> Report:
    from kam.values import date

    where: dict[str, Any] = {"status__in": list(STATUSES)}
    where.update(scope(owner=owner, customer=customer))
    where.update(worked_by(ws, member, "opportunity"))
    if since:
        where["closed_at__ge"] = date(since, "--since")
    if until:
        where["closed_at__le"] = date(until, "--until")
    reasons: Counter[tuple[str, str]] = Counter()
    stages: Counter[tuple[str, str]] = Counter()
    by_owner: dict[str, Counter[str]] = {}
    by_importance: dict[str, Counter[str]] = {}
    amounts: dict[tuple[str, str], list[Any]] = {}
    spent = _spent(ws)
    costs: dict[tuple[str, str], dict[str, Any]] = {}
    missing: list[dict[str, Any]] = []
    for opp in scan(ws, "opportunity", FIELDS, where, order_by=("id",)):  # one pass, kept
        status = opp["status"]                                             # in counters
        owner_ = opp.get("owner") or ""
        amount = opp.get("amount") or ZERO
        g = _group(costs, (owner_, opp["currency"]),
                   lambda: {"presales_cost": ZERO, "won_amount": ZERO})
        g["presales_cost"] += spent.get(opp["id"], ZERO)
        if status == "won":
            g["won_amount"] += amount
        if needs_case_analysis(opp):
            missing.append({k: opp.get(k) for k in ("id", "title", "importance", "status",
                                                    "owner", "closed_at")})
        if status != "won":
            reasons[(status, opp.get("reason") or "")] += 1
        stages[(opp["stage"], status)] += 1
        _group(by_owner, owner_, Counter)[status] += 1
        _group(by_importance, opp.get("importance") or "", Counter)[status] += 1
        a = _group(amounts, (status, opp["currency"]), lambda: [0, ZERO])
        a[0] += 1
        a[1] += amount
    report = new_report(ws, "win-loss", "赢单与丢单分析", "Win-loss")
    status_shown = vocab_display(ws, "opp_status")
    report.tables.append(Table(
        "by_status", ["status", "currency", "count", "amount"],
        [{"status": s, "currency": c, "count": v[0], "amount": v[1]}
         for (s, c), v in sorted(amounts.items(), key=lambda kv: (
             STATUSES.index(kv[0][0]), kv[0][1]))],
        title=tr(ws, "结果与金额", "Outcome and amount"), display={"status": status_shown}))
    report.tables.append(Table(
        "by_owner", ["owner", "won", "lost", "abandoned", "win_rate"],
        [_rates({"owner": o}, c) for o, c in sorted(by_owner.items())],
        title=tr(ws, "按负责人", "By owner")))
    order = {"VI": 0, "I": 1, "N": 2, "NI": 3, "": 4}
    report.tables.append(Table(
        "by_importance", ["importance", "won", "lost", "abandoned", "win_rate"],
        [_rates({"importance": i}, c) for i, c in sorted(
            by_importance.items(), key=lambda kv: (order.get(kv[0], 5), kv[0]))],
        title=tr(ws, "按重要性", "By importance"),
        display={"importance": vocab_display(ws, "importance")}))
    try:
        model = ws.pipeline()
        stage_order = {s.key: i for i, s in enumerate(model.stages)}
        shown = stage_display(ws, model)
    except Exception:
        stage_order, shown = {}, {}
    report.tables.append(Table(
        "by_stage", ["stage", "status", "count"],
        [{"stage": s, "status": st, "count": n} for (s, st), n in sorted(
            stages.items(), key=lambda kv: (stage_order.get(kv[0][0], 99), kv[0][0],
                                            STATUSES.index(kv[0][1])))],
        title=tr(ws, "关闭时所在阶段", "Stage reached"),
        display={"stage": shown, "status": status_shown}))
    report.tables.append(Table(
        "reasons", ["status", "reason", "count"],
        [{"status": s, "reason": r, "count": n} for (s, r), n in sorted(
            reasons.items(), key=lambda kv: (STATUSES.index(kv[0][0]), -kv[1], kv[0][1]))],
        title=tr(ws, "丢单与结项原因", "Lost and abandoned reasons"),
        display={"status": status_shown}))
    report.tables.append(_presales_cost(ws, costs))
    report.tables.append(Table(
        "missing_case_analysis", ["id", "title", "importance", "status", "owner", "closed_at"],
        missing,
        title=tr(ws, "缺少案例分析报告的重要项目", "I/VI deals missing a case analysis"),
        display={"status": status_shown, "importance": vocab_display(ws, "importance")}))
    return report


def _group(groups: dict[Any, Any], key: Any, make: Callable[[], Any]) -> Any:
    """The group of ``key``, made the first time only (not once a deal: 74k closed
    deals on a big team)."""
    group = groups.get(key)
    if group is None:
        group = groups[key] = make()
    return group


def _spent(ws: Any) -> dict[str, Any]:
    """Presales expenses summed per deal, from one two-column scan (no query naming
    every closed deal: 74k on a big team)."""
    spent: dict[str, Any] = {}
    for e in scan(ws, "expense", ("id", "opportunity_id", "amount"),
                  {"opportunity_id__isnull": False}, order_by=()):
        spent[e["opportunity_id"]] = spent.get(e["opportunity_id"], ZERO) + e["amount"]
    return spent


def _presales_cost(ws: Any, groups: dict[tuple[str, str], dict[str, Any]]) -> Table:
    """售前费用率: per owner and currency, the presales expenses of their closed deals
    against the amount they won (同样的业绩为什么付出的费用比例相差悬殊). The total rows
    add the owners' rows; the ratio is the totals' own, never an average."""
    rows = [{"owner": own, "currency": cur, **g,
             "cost_ratio": percent(g["presales_cost"], g["won_amount"])}
            for (own, cur), g in sorted(groups.items())]
    totals = []
    for cur in sorted({r["currency"] for r in rows}):
        cost = sum((r["presales_cost"] for r in rows if r["currency"] == cur), ZERO)
        won = sum((r["won_amount"] for r in rows if r["currency"] == cur), ZERO)
        totals.append({"owner": "total", "currency": cur, "presales_cost": cost,
                       "won_amount": won, "cost_ratio": percent(cost, won)})
    return Table("presales_cost", ["owner", "currency", "presales_cost", "won_amount",
                                   "cost_ratio"], rows, totals,
                 title=tr(ws, "售前费用率（按负责人）", "Presales cost per owner"),
                 display={"owner": {"total": tr(ws, "合计", "total")}})


def _rates(row: dict[str, Any], c: Counter[str]) -> dict[str, Any]:
    closed = c["won"] + c["lost"] + c["abandoned"]
    return row | {"won": c["won"], "lost": c["lost"], "abandoned": c["abandoned"],
                  "win_rate": percent(c["won"], closed)}
