"""Funnel (销售漏斗): stage-to-stage conversion and days in stage, from the event log.

An opportunity *reached* a stage when it entered it or any later stage (an
advance with ``--to`` skips stages but passed their gates). Conversion from a
stage is ``reached(next) / reached(stage)``. Days in stage are counted for stays
that ended (advanced, lost or abandoned), from the day the stage was entered.
Events stream in order; only a small state per opportunity is kept.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kam.models.deal_team import worked_by
from kam.reports import Chart, Report, Series, Table
from kam.reports.aggregates import stage_moves
from kam.reports.common import (
    day,
    median,
    new_report,
    percent,
    stage_display,
    tr,
    vocab_display,
)
from kam.storage import scope

EVENT_KINDS = ("opportunity.advanced", "opportunity.lost", "opportunity.abandoned")


def build(ws: Any, owner: str | None = None, customer: str | None = None,
          pipeline: str | None = None, since: Any = None, member: str | None = None,
          **_: Any) -> Report:
    model = ws.pipeline(pipeline)
    order = [s.key for s in model.stages]
    index = {k: i for i, k in enumerate(order)}
    index["completed"] = len(order)
    where: dict[str, Any] = {"pipeline": model.key}
    where.update(scope(owner=owner, customer=customer))
    where.update(worked_by(ws, member, "opportunity"))
    if since:
        from kam.values import date

        where["created_at__ge"] = date(since, "--since").isoformat()
    # per opportunity: [furthest stage index, current stage, day the current stage began]
    state: dict[str, list[Any]] = {}
    moves = stage_moves(ws)
    for opp_id, first_stage, first_on, created_at in moves.stage_starts(where):
        start = first_stage or order[0]
        entered = day(first_on) or day(created_at)
        state[opp_id] = [index.get(start, 0), start, entered]
    days: dict[str, list[int]] = {k: [] for k in order}
    reasons: Counter[tuple[str, str, str]] = Counter()
    for record_id, kind, at, left, to, stage, on, reason in moves.stage_moves(EVENT_KINDS):
        st = state.get(record_id)
        if st is None:
            continue
        when = day(on) or day(at)  # the business date, if recorded
        left = left or stage or st[1]
        if left in days and st[2] is not None and when is not None:
            days[left].append((when - st[2]).days)
        if kind == "opportunity.advanced":
            st[0] = max(st[0], index.get(to, st[0]))
            st[1], st[2] = to, when
        else:
            status = kind.split(".", 1)[1]
            reasons[(left, status, reason or "")] += 1
            st[1], st[2] = None, None
    reached = [0] * (len(order) + 1)
    for furthest, _cur, _since in state.values():
        for i in range(furthest + 1):
            reached[i] += 1
    rows = []
    for i, key in enumerate(order):
        nxt = reached[i + 1]
        rows.append({"stage": key, "reached": reached[i], "advanced": nxt,
                     "conversion": percent(nxt, reached[i]),
                     "median_days": median(days[key]), "lost": 0, "abandoned": 0})
    for (stage, status, _reason), n in reasons.items():
        if stage in index and index[stage] < len(order):
            rows[index[stage]][status] += n
    report = new_report(ws, "funnel", "销售漏斗", "Sales funnel", pipeline=model.key)
    stages = stage_display(ws, model)
    report.tables.append(Table(
        "conversion", ["stage", "reached", "advanced", "conversion", "median_days", "lost",
                       "abandoned"], rows,
        [{"stage": "total", "reached": reached[0], "advanced": reached[len(order)],
          "conversion": percent(reached[len(order)], reached[0])}],
        title=tr(ws, "阶段转化", "Stage-to-stage conversion"), display={"stage": stages},
        headers={"advanced": tr(ws, "进入下一阶段", "Went on")}))
    reason_rows = [{"stage": s, "status": status, "reason": reason, "count": n}
                   for (s, status, reason), n in sorted(
                       reasons.items(), key=lambda kv: (index.get(kv[0][0], 99), kv[0][1],
                                                        -kv[1], kv[0][2]))]
    report.tables.append(Table(
        "reasons", ["stage", "status", "reason", "count"], reason_rows,
        title=tr(ws, "丢单与结项原因（按阶段）", "Lost and abandoned reasons by stage"),
        display={"stage": stages, "status": vocab_display(ws, "opp_status")}))
    report.charts.append(Chart(
        tr(ws, "各阶段进入的商机数", "Opportunities reaching each stage"),
        [s.label(ws.lang) for s in model.stages],
        [Series(tr(ws, "商机数", "opportunities"), reached[:len(order)])], kind="hbar"))
    return report
