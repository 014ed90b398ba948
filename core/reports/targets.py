"""Targets (目标完成): each target against the deals won in it, how it is split, the
pipeline it needs (漏斗裕量) and whether it whips the fast ox (鞭打快牛).

Attainment = won ÷ target. Won deals count in the period of the day they were won,
in the target's currency only (currencies are never mixed), for the target's owner
(a team's: its members'), customer and product line (the deal's category).

Targets nest (kam.target_plan): a month is a part of its quarter, a customer's or
product line's share a part of its owner's target, a member's a part of the team's.
Each row names the target it is a part of (``part_of``); the total row adds only the
outermost targets shown, so no part is counted twice. ``split`` shows, per target and
dimension, what its parts add up to and the gap left to allocate.

Coverage (漏斗裕量): open deals expected to close in the period, per stage, weighted by
the stage's conversion (kam.reports.conversion): expected = Σ open × conversion;
margin = expected − remaining; needed at a stage = remaining ÷ its conversion.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam import target_plan as plan
from kam.errors import InputError
from kam.periods import parse_period
from kam.reports import Report, Table
from kam.reports.common import (
    ZERO,
    cents,
    distinct,
    new_report,
    percent,
    ratio,
    stage_display,
    tr,
)
from kam.reports.conversion import stage_conversion
from kam.reports.targets_sums import month_sums

_HEADERS = {
    "won": ("已赢单金额", "Won"), "part_of": ("计入", "Part of"),
    "last_year": ("去年同期赢单", "Won last year"), "fast_ox": ("鞭打快牛", "Fast ox"),
    "dimension": ("分解维度", "Split by"), "allocated": ("已分解", "Allocated"),
    "gap": ("未分解", "Gap"), "target_id": ("目标编号", "Target"),
    "expected": ("预期赢单", "Expected"), "margin": ("漏斗裕量", "Margin"),
    "needed": ("所需在途金额", "Pipeline needed"), "basis": ("转化依据", "Basis"),
}


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
    # what each target is a part of, among all targets (not only those shown)
    family = list(ws.storage.find("target", {}, order_by=("id",))) if targets else []
    parent_of = plan.parents(family)
    by_id = {t["id"]: t for t in family}
    index = plan.Family(family)
    owners_of = {t["id"]: index.members_of(t) for t in targets}
    everyone = sorted(set().union(*owners_of.values())) if targets else []
    named = _named(targets)
    won = plan.WonIndex.from_sums(month_sums(ws).deal_month_sums(
        True, {"status": "won", "owner__in": everyone}, *named) if everyone else ())
    factor = _factor(ws)
    shown = {t["id"] for t in targets}
    rows = []
    for t in targets:
        got = won.won_in(t, owners_of[t["id"]], t["period"])
        before = won.won_in(t, owners_of[t["id"]], plan.last_year(t["period"]))
        parent = parent_of.get(t["id"])
        rows.append({"id": t["id"], "owner": t["owner"], "period": t["period"],
                     "part_of": _label(by_id[parent], t) if parent else None,
                     "customer_id": t.get("customer_id"), "product": t.get("product"),
                     "responsible": t.get("responsible") or t["owner"],
                     "currency": t["currency"], "floor": t.get("floor"),
                     "target": t["amount"], "stretch": t.get("stretch"), "won": got,
                     "attainment": percent(got, t["amount"]),
                     "remaining": max(t["amount"] - got, ZERO), "last_year": before,
                     "fast_ox": plan.fast_ox(t["amount"], before, factor),
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
    headers = {k: tr(ws, *v) for k, v in _HEADERS.items()}
    columns = ["owner", "period", "currency", "target", "won", "attainment", "remaining"]
    for col, after in (("part_of", "period"), ("customer_id", "period"),
                       ("product", "period"), ("floor", "currency"), ("stretch", "target")):
        if any(r[col] for r in rows):
            columns.insert(columns.index(after) + 1, col)
    if any(r["fast_ox"] for r in rows):
        columns += ["last_year", "fast_ox"]
        report.notes.append(tr(
            ws, f"鞭打快牛：目标超过去年同期赢单的 {factor:g} 倍（targets.fast_ox_factor）。",
            f"Fast ox (鞭打快牛): the target is above {factor:g} × what was won in the same "
            "period last year (targets.fast_ox_factor)."))
    if any(r["part_of"] for r in rows):
        report.notes.append(tr(
            ws, "月目标计入所属季度（季度计入年度），客户、产品线目标计入负责人目标，成员目标计入团队目标。",  # noqa: E501
            "A month target is part of its quarter's (a quarter of its year's), a customer's "
            "or product line's of its owner's, a member's of the team's."))
        report.notes.append(tr(ws, "合计只加最外层目标，不重复计算。",
                               "The total adds the outermost targets only, never a part twice."))
    report.tables.append(Table(
        "targets", columns, rows, totals, title=tr(ws, "目标与赢单", "Targets against deals won"),
        headers=headers, display={"owner": {"total": tr(ws, "合计", "total")},
                                  "fast_ox": {"true": "⚠", "false": ""}}))
    split = _split_rows(targets, family)
    if split:
        report.tables.append(Table(
            "split", ["target_id", "owner", "period", "currency", "dimension", "target",
                      "allocated", "gap"], split,
            title=tr(ws, "目标分解", "How targets are split"), headers=headers,
            display={"dimension": {"period": tr(ws, "期间", "period"),
                                   "owner": tr(ws, "成员", "owner"),
                                   "customer": tr(ws, "客户", "customer"),
                                   "product": tr(ws, "产品线", "product line")}}))
    _coverage(ws, report, targets, owners_of, headers)
    return report


def _named(targets: list[dict[str, Any]]) -> tuple[set[str], set[str]]:
    """The customers and product lines the targets name (the deals' sums keep those)."""
    return ({t["customer_id"] for t in targets if t.get("customer_id")},
            {t["product"] for t in targets if t.get("product")})


def _factor(ws: Any) -> Decimal:
    return Decimal(str((ws.config.get("targets") or {}).get("fast_ox_factor", 1.5)))


def _label(parent: dict[str, Any], child: dict[str, Any]) -> str:
    """A parent as ``part_of`` names it: its period, with its owner, customer and product
    line when it is a split (not only a longer period) of the child."""
    if plan.scope_of(parent) == plan.scope_of(child):
        return str(parent["period"])
    return " ".join(x for x in (parent["owner"], parent.get("customer_id"),
                                parent.get("product"), parent["period"]) if x)


def _split_rows(targets: list[dict[str, Any]],
                family: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per target shown and dimension it is split by: the parts' sum and the gap."""
    parts = plan.splits(family)
    rows = []
    for t in targets:
        for dim in plan.DIMENSIONS:
            group = parts.get(t["id"], {}).get(dim)
            if not group:
                continue
            got = plan.allocated(group)
            rows.append({"target_id": t["id"], "owner": t["owner"], "period": t["period"],
                         "currency": t["currency"], "dimension": dim, "target": t["amount"],
                         "allocated": got, "gap": t["amount"] - got})
    return rows


def _coverage(ws: Any, report: Report, targets: list[dict[str, Any]],
              owners_of: dict[str, set[str]], headers: dict[str, str]) -> None:
    """漏斗裕量 per target: what its open deals are expected to win against what remains."""
    rows = [r for r in report.tables[0].rows]
    everyone = sorted(set().union(*owners_of.values())) if targets else []
    if not targets:
        return
    # open deals summed per month of their expected signing date (kam.storage.DealMonthSums):
    # a target adds up whole groups; every open deal's pipeline has its conversion
    open_sums = month_sums(ws).deal_month_sums(
        False, {"status": "open", "owner__in": everyone}, *_named(targets)) if everyone else ()
    pipelines = distinct(ws, "opportunity", "pipeline",
                         {"status": "open", "owner__in": everyone}) if everyone else set()
    rates = stage_conversion(ws, pipelines | {ws.pipeline().key})
    by_close = plan.DealIndex.from_sums(open_sums)
    summary, stages = [], []
    for t, row in zip(targets, rows, strict=True):
        mine = by_close.deals(t, owners_of[t["id"]], t["period"])
        per_stage: dict[tuple[str, str], Decimal] = {}
        for o in mine:
            key = (o["pipeline"], o["stage"])
            per_stage[key] = per_stage.get(key, ZERO) + (o.get("amount") or ZERO)
        remaining = row["remaining"]
        expected = ZERO
        keys = sorted(set(per_stage) | {k for k in rates if k[0] == ws.pipeline().key},
                      key=lambda k: (k[0], _index(ws, k)))
        for key in keys:
            conv = rates.get(key)
            if conv is None:
                continue
            have = per_stage.get(key, ZERO)
            exp = cents(have * conv["rate"])
            expected += exp
            stages.append({"target_id": t["id"], "owner": t["owner"], "period": t["period"],
                           "currency": t["currency"], "pipeline": key[0], "stage": key[1],
                           "conversion": cents(conv["rate"] * 100), "basis": conv["basis"],
                           "open_amount": have, "expected": exp,
                           "needed": cents(remaining / conv["rate"]) if conv["rate"] else None})
        summary.append({"target_id": t["id"], "owner": t["owner"], "period": t["period"],
                        "currency": t["currency"], "remaining": remaining,
                        "open_amount": sum(per_stage.values(), ZERO), "expected": expected,
                        "margin": expected - remaining, "coverage": ratio(expected, remaining)})
    report.tables.append(Table(
        "coverage", ["target_id", "owner", "period", "currency", "remaining", "open_amount",
                     "expected", "margin", "coverage"], summary,
        title=tr(ws, "漏斗裕量", "Coverage and risk margin"), headers=headers))
    report.tables.append(Table(
        "coverage_stages", ["target_id", "owner", "period", "currency", "stage", "conversion",
                            "basis", "open_amount", "expected", "needed"], stages,
        title=tr(ws, "各阶段所需在途金额", "Pipeline needed per stage"), headers=headers,
        display={"basis": {"history": tr(ws, "历史转化", "history"),
                           "model": tr(ws, "阶段模型概率", "stage model")},
                 "stage": _stage_labels(ws, {k[0] for k in rates})}))
    report.notes.append(tr(
        ws, "漏斗裕量 = Σ 各阶段在途金额 × 赢单率 − 剩余目标；所需在途金额 = 剩余目标 ÷ 赢单率。",
        "Margin = Σ open amount per stage × that stage's win conversion − remaining; "
        "pipeline needed = remaining ÷ conversion."))
    report.notes.append(tr(
        ws, "赢单率取本工作区已关闭商机的历史，不足 targets.conversion_min_deals 个时用阶段模型概率。",  # noqa: E501
        "Conversion comes from this workspace's closed deals (the stage model's "
        "probability below targets.conversion_min_deals)."))


def _stage_labels(ws: Any, pipelines: set[str]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for key in sorted(pipelines):
        shown |= stage_display(ws, ws.pipeline(key))
    return shown


def _index(ws: Any, key: tuple[str, str]) -> int:
    stages = [s.key for s in ws.pipeline(key[0]).stages]
    return stages.index(key[1]) if key[1] in stages else len(stages)


def _outermost(target_id: str, parent_of: dict[str, str | None], shown: set[str]) -> bool:
    """No target that contains this one is among those shown: it counts in the total."""
    parent = parent_of.get(target_id)
    while parent is not None:
        if parent in shown:
            return False
        parent = parent_of.get(parent)
    return True
