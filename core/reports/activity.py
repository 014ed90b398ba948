"""Activity (拜访统计): calls per owner per week with the four outcomes of a sales call,
and stalled deals — a run of ``continuance`` (暂时中断) outcomes, or no activity
for N days. Every call should win some commitment.

One pass over the activities, oldest first, keeping per open deal only its last
call date and its current run of continuances.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from kam.models.deal_team import worked_by
from kam.reports import Report, Table
from kam.reports.common import (
    day,
    new_report,
    percent,
    scan,
    stage_display,
    tr,
    week_of,
)
from kam.reports.rollups import rollup
from kam.storage import StalledDeal, scope

OUTCOMES = ("order", "advance", "continuance", "no_sale")


def build(ws: Any, owner: str | None = None, customer: str | None = None,
          weeks: Any = None, since: Any = None, days: Any = None, run: Any = None,
          member: str | None = None, **_: Any) -> Report:
    """Calls per week are the caller's own (``owner``; with ``member``, the member's own
    calls); stalled deals are those ``owner`` owns or ``member`` works on (铁三角)."""
    from kam.values import date

    cfg = ws.config.get("reports", {})
    weeks_n = _positive(weeks if weeks is not None else 8, "--weeks")
    silent_days = _positive(days if days is not None else cfg.get("stalled_days", 30), "--days")
    run_n = _positive(run if run is not None else cfg.get("continuance_run", 3), "--run")
    today = ws.today
    start = (date(since, "--since") if since else
             today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks_n - 1))
    caller = owner or member
    weekly: dict[tuple[str, str], dict[str, int]] = {}
    calls = rollup(ws)
    who = customer.strip().upper() if customer else None
    for act_owner, d, outcome, n in calls.call_counts(start, today, who, caller or None):
        key = (act_owner or "", week_of(d))
        w = weekly.setdefault(key, {"calls": 0, **{o: 0 for o in OUTCOMES},
                                    "no_outcome": 0})
        w["calls"] += n
        w[outcome if outcome in OUTCOMES else "no_outcome"] += n
    rows: list[dict[str, Any]] = [{"owner": o, "week": w, **counts}
                                  for (o, w), counts in sorted(weekly.items())]
    totals = []
    for o in sorted({r["owner"] for r in rows}):
        mine = [r for r in rows if r["owner"] == o]
        totals.append({"owner": o, "week": "total",
                       **{k: sum(r[k] for r in mine) for k in ("calls", *OUTCOMES,
                                                              "no_outcome")}})
    report = new_report(ws, "activity", "拜访与跟进", "Activity", since=start.isoformat(),
                        stalled_days=silent_days, continuance_run=run_n)
    report.tables.append(Table(
        "by_week", ["owner", "week", "calls", *OUTCOMES, "no_outcome"], rows, totals,
        title=tr(ws, f"每周拜访（{start.isoformat()} 起）",
                 f"Calls per owner per week (since {start.isoformat()})"),
        display={"week": {"total": tr(ws, "合计", "total")}}))
    report.tables.append(_plans(ws, caller, customer, start))
    report.tables.append(_stalled(ws, owner, customer, member, silent_days, run_n))
    return report


def stalled(ws: Any, member: str | None = None, worked: dict[str, Any] | None = None,
            limit: int | None = None) -> tuple[Table, int]:
    """The stalled-deals table alone (kam today): without the weekly counts and plans;
    ``worked``: ``worked_by(ws, member, "opportunity")`` when the caller has it. With
    ``limit``, only its first rows, and how many there are in all."""
    cfg = ws.config.get("reports", {})
    silent_days = _positive(cfg.get("stalled_days", 30), "--days")
    run_n = _positive(cfg.get("continuance_run", 3), "--run")
    return _stalled_rows(ws, None, None, member, silent_days, run_n, worked, limit)


def _stalled(ws: Any, owner: str | None, customer: str | None, member: str | None,
             silent_days: int, run_n: int) -> Table:
    return _stalled_rows(ws, owner, customer, member, silent_days, run_n)[0]


def _stalled_rows(ws: Any, owner: str | None, customer: str | None, member: str | None,
                  silent_days: int, run_n: int, worked: dict[str, Any] | None = None,
                  limit: int | None = None) -> tuple[Table, int]:
    """Open deals with a run of continuances or silent for ``silent_days`` (the first
    ``limit``), and how many there are: the whole team's judged by the backend when it
    can (kam.storage.StalledDeals), else by :func:`stalled_reference`."""
    from kam.storage import StalledDeals

    found = None
    if (not (owner or customer or member or worked)
            and isinstance(ws.storage, StalledDeals)):
        found = ws.storage.stalled_deals(ws.today, silent_days, run_n, limit)
    if found is None:
        opp_where: dict[str, Any] = {"status": "open"}
        opp_where.update(scope(owner=owner, customer=customer))
        opp_where.update(worked_by(ws, member, "opportunity") if worked is None else worked)
        who = customer.strip().upper() if customer else None
        held = stalled_reference(ws, opp_where, rollup(ws).deal_touches(ws.today, who),
                                 silent_days, run_n)
        found = len(held), held if limit is None else held[:limit]
    total, listed = found
    shown = {(False, True): "silent", (True, False): "continuance",
             (True, True): "continuance,silent"}
    stalled = [{"id": i, "title": title, "owner": who, "stage": stage, "last_activity": last,
                "days_silent": silent, "continuance_run": cont,
                "why": shown[(cont >= run_n, silent >= silent_days)]}
               for i, title, who, stage, last, silent, cont in listed]
    why_shown = {"continuance": tr(ws, f"连续{run_n}次以上暂时中断",
                                   f"{run_n}+ continuances in a row"),
                 "silent": tr(ws, f"{silent_days}天以上无跟进",
                              f"no activity for {silent_days}+ days")}
    stages: dict[str, str] = {}
    try:
        stages = stage_display(ws, ws.pipeline())
    except Exception:
        pass
    return Table(
        "stalled", ["id", "title", "owner", "stage", "last_activity", "days_silent",
                    "continuance_run", "why"], stalled,
        title=tr(ws, "停滞的商机", "Stalled deals"),
        display={"stage": stages, "why": {**why_shown, "continuance,silent": tr(
            ws, f"{why_shown['continuance']}；{why_shown['silent']}",
            f"{why_shown['continuance']}; {why_shown['silent']}")}}), total


def stalled_reference(ws: Any, opp_where: dict[str, Any],
                      touches: Iterable[tuple[str, dt.date, int]], silent_days: int,
                      run_n: int) -> list[StalledDeal]:
    """:class:`kam.storage.StalledDeals`' reference: of the open deals ``opp_where``
    selects, those stalled on ``ws.today`` given each deal's latest call date and
    continuance run (``touches``, from the call roll-up), in the table's order."""
    today = ws.today
    # open deals: id → [last activity date, continuance run, record summary]
    deals: dict[str, list[Any]] = {}
    for opp in scan(ws, "opportunity", ("id", "title", "owner", "stage",
                                        "stage_entered_at", "created_at", "completed_at"),
                    opp_where, order_by=("id",)):
        if opp.get("completed_at"):
            continue
        deals[opp["id"]] = [None, 0, opp]
    for opp_id, last, cont in touches:
        deal = deals.get(opp_id)
        if deal is not None:
            deal[0] = last
            deal[1] = cont
    held: list[StalledDeal] = []
    for last, cont, opp in deals.values():
        touched = last or opp.get("stage_entered_at") or day(opp.get("created_at")) or today
        silent = (today - touched).days
        if cont >= run_n or silent >= silent_days:
            held.append((opp["id"], opp.get("title"), opp.get("owner"), opp.get("stage"),
                         last, silent, cont))
    held.sort(key=lambda r: (-r[5], -r[6], r[0]))
    return held


def _plans(ws: Any, owner: str | None, customer: str | None, start: dt.date) -> Table:
    """拜访计划 against visits logged: one row per owner and plan period — an ISO week
    (its week plans and the day plans in it) or a month — from ``start`` to today.
    ``done`` counts the owner's activities of type visit in that span up to today (to
    ``customer`` only, with ``--customer``)."""
    from kam.services.visit_plans import span

    today = ws.today
    where: dict[str, Any] = {}
    if owner:
        where["owner"] = owner
    if customer:
        where["customer_id"] = customer.strip().upper()
    planned: dict[tuple[str, str], int] = {}
    for p in ws.storage.find("visit_plan", where, order_by=("period", "id")):
        first, last = span(p["period"])
        if last < start or first > today:
            continue
        key = p["period"] if len(p["period"]) == 7 else week_of(first)  # a month, or a week
        planned[(p["owner"], key)] = planned.get((p["owner"], key), 0) + int(p["count"] or 0)
    rows = []
    if planned:
        spans = {k: span(k[1]) for k in planned}
        earliest = min(f for f, _ in spans.values())
        act_where: dict[str, Any] = {"type": "visit", "date__ge": earliest, "date__le": today}
        if customer:
            act_where["customer_id"] = customer.strip().upper()
        visits = [(a.get("owner") or "", a["date"]) for a in ws.storage.find(
            "activity", act_where, order_by=("date", "id"))]
        for (who, period), count in sorted(planned.items()):
            first, last = spans[(who, period)]
            done = sum(1 for o, d in visits if o == who and first <= d <= last)
            rows.append({"owner": who, "period": period, "planned": count, "done": done,
                         "attainment": percent(done, count)})
    return Table("plans", ["owner", "period", "planned", "done", "attainment"], rows,
                 title=tr(ws, "拜访计划与完成（按周/月）",
                          "Visits planned and done (per week or month)"),
                 headers={"planned": tr(ws, "计划拜访", "Planned"),
                          "done": tr(ws, "已拜访", "Done")})


def _positive(value: Any, name: str) -> int:
    """1 up to 36500 (a century of days or weeks would already reach past year 1900)."""
    from kam.values import integer

    return integer(value, name, lo=1, hi=36500)
