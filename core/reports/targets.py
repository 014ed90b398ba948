"""Targets (目标完成): each owner's target per period against the deals won in it.

Attainment = won ÷ target. Won deals count in the period of the day they were won,
in the target's currency only (currencies are never mixed).

Targets of one owner and currency roll up: a month target is a part of that owner's
quarter (or year) target. Each row shows its own period against its own period's won
deals and names the target it rolls up into (``part_of``); the total row adds only the
outermost targets shown, so a month is never counted twice.
"""

from __future__ import annotations

from typing import Any

from kam.errors import InputError
from kam.periods import months_of, parents, parse_period
from kam.reports import Report, Table
from kam.reports.common import ZERO, month_of, new_report, percent, tr


def build(ws: Any, owner: str | None = None, period: str | None = None,
          currency: str | None = None, member: str | None = None, **_: Any) -> Report:
    if member:
        raise InputError("--member: targets are per owner, not per deal team; use --owner")
    where: dict[str, Any] = {}
    if owner:
        where["owner"] = owner
    if period:
        where["period"] = parse_period(period)
    if currency:
        where["currency"] = currency.strip().upper()
    targets = list(ws.storage.find("target", where, order_by=("period", "owner", "currency")))
    # what each target rolls up into, among all of its owner's targets (not only those shown)
    owners = {t["owner"] for t in targets}
    family = list(ws.storage.find("target", {"owner__in": sorted(owners)})) if owners else []
    parent_of = parents(family)
    by_id = {t["id"]: t for t in family}
    # won per (owner, month, currency): bounded by owners × months, not by deals
    won: dict[tuple[str, str, str], Any] = {}
    if owners:
        for opp in ws.storage.find("opportunity", {"status": "won",
                                                   "owner__in": sorted(owners)},
                                   order_by=("id",)):
            closed = opp.get("closed_at") or opp.get("close_date")
            if closed is None:
                continue
            key = (opp.get("owner") or "", month_of(closed), opp["currency"])
            won[key] = won.get(key, ZERO) + (opp.get("amount") or ZERO)
    shown = {t["id"] for t in targets}
    rows = []
    for t in targets:
        got = sum((won.get((t["owner"], m, t["currency"]), ZERO)
                   for m in months_of(t["period"])), ZERO)
        parent = parent_of.get(t["id"])
        rows.append({"owner": t["owner"], "period": t["period"],
                     "part_of": by_id[parent]["period"] if parent else None,
                     "currency": t["currency"],
                     "target": t["amount"], "won": got, "attainment": percent(got, t["amount"]),
                     "remaining": max(t["amount"] - got, ZERO),
                     "_top": _outermost(t["id"], parent_of, shown)})
    totals = []
    for cur in sorted({r["currency"] for r in rows}):
        top = [r for r in rows if r["currency"] == cur and r["_top"]]
        target = sum((r["target"] for r in top), ZERO)
        got = sum((r["won"] for r in top), ZERO)
        totals.append({"owner": "total", "currency": cur, "target": target, "won": got,
                       "attainment": percent(got, target),
                       "remaining": sum((r["remaining"] for r in top), ZERO)})
    for r in rows:
        del r["_top"]
    report = new_report(ws, "targets", "目标完成情况", "Targets")
    columns = ["owner", "period", "currency", "target", "won", "attainment", "remaining"]
    if any(r["part_of"] for r in rows):
        columns.insert(2, "part_of")
        report.notes.append(tr(
            ws, "月目标计入所属季度（季度计入年度）目标，合计只加最外层目标，不重复计算。",
            "A month target is part of its quarter's (a quarter of its year's): the total "
            "adds the outermost targets only, never a part twice."))
    report.tables.append(Table(
        "targets", columns, rows, totals, title=tr(ws, "目标与赢单", "Targets against deals won"),
        headers={"won": tr(ws, "已赢单金额", "Won"), "part_of": tr(ws, "计入", "Part of")},
        display={"owner": {"total": tr(ws, "合计", "total")}}))
    return report


def _outermost(target_id: str, parent_of: dict[str, str | None], shown: set[str]) -> bool:
    """No target that contains this one is among those shown: it counts in the total."""
    parent = parent_of.get(target_id)
    while parent is not None:
        if parent in shown:
            return False
        parent = parent_of.get(parent)
    return True
