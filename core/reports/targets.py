"""Targets (目标完成): each owner's target per period against the deals won in it.

Attainment = won ÷ target. Won deals count in the period of the day they were won,
in the target's currency only (currencies are never mixed).
"""

from __future__ import annotations

from typing import Any

from kam.reports import Report, Table
from kam.reports.common import ZERO, month_of, months_of, new_report, percent, tr


def build(ws: Any, owner: str | None = None, period: str | None = None,
          currency: str | None = None, **_: Any) -> Report:
    where: dict[str, Any] = {}
    if owner:
        where["owner"] = owner
    if period:
        from kam.services.targets import parse_period

        where["period"] = parse_period(period)
    if currency:
        where["currency"] = currency.strip().upper()
    targets = list(ws.storage.find("target", where, order_by=("period", "owner", "currency")))
    # won per (owner, month, currency): bounded by owners × months, not by deals
    won: dict[tuple[str, str, str], Any] = {}
    owners = {t["owner"] for t in targets}
    if owners:
        for opp in ws.storage.find("opportunity", {"status": "won",
                                                   "owner__in": sorted(owners)},
                                   order_by=("id",)):
            closed = opp.get("closed_at") or opp.get("close_date")
            if closed is None:
                continue
            key = (opp.get("owner") or "", month_of(closed), opp["currency"])
            won[key] = won.get(key, ZERO) + (opp.get("amount") or ZERO)
    rows = []
    for t in targets:
        got = sum((won.get((t["owner"], m, t["currency"]), ZERO)
                   for m in months_of(t["period"])), ZERO)
        rows.append({"owner": t["owner"], "period": t["period"], "currency": t["currency"],
                     "target": t["amount"], "won": got, "attainment": percent(got, t["amount"]),
                     "remaining": max(t["amount"] - got, ZERO)})
    report = new_report(ws, "targets", "目标完成情况", "Targets")
    report.tables.append(Table(
        "targets", ["owner", "period", "currency", "target", "won", "attainment", "remaining"],
        rows, title=tr(ws, "目标与赢单", "Targets against deals won"),
        headers={"won": tr(ws, "已赢单金额", "Won")}))
    return report
