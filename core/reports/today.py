"""``kam today`` (今日待办): what a key-account manager acts on this morning —
next steps falling due, milestones due or overdue, stalled deals, renewals ahead,
open complaints they own or that were escalated to them.

It composes the standard reports' own tables (stalled deals from the activity report,
contracts ending from the renewals report, receivable states from
``receivable_view``) rather than computing any of them again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kam.models.case_analysis import IMPORTANCE, OUTCOMES, needs_case_analysis
from kam.models.receivable_state import OPEN_STATES, receivable_view
from kam.reports import Report, Table
from kam.reports.common import new_report, tr, vocab_display


def build(ws: Any, owner: str | None = None, days: Any = None, **_: Any) -> Report:
    from kam.reports import activity, contracts, service
    from kam.values import integer

    ahead = integer(days if days is not None else 7, "--days", lo=0, hi=36500)
    horizon = ws.today + dt.timedelta(days=ahead)
    report = new_report(ws, "today", "今日待办", "Today", days=ahead)
    report.tables.append(_next_steps(ws, owner, horizon))
    report.tables.append(_receivables(ws, owner, horizon))
    report.tables.append(activity.build(ws, owner=owner).table("stalled"))
    report.tables.append(contracts.renewals(ws, owner=owner).table("ending"))
    report.tables.append(service.open_complaints(ws, for_user=owner))
    report.tables.append(_case_analyses(ws, owner))
    return report


def _case_analyses(ws: Any, owner: str | None) -> Table:
    """I/VI deals won or lost that still owe their case-analysis report (案例分析报告)."""
    where: dict[str, Any] = {"status__in": list(OUTCOMES), "importance__in": list(IMPORTANCE)}
    if owner:
        where["owner"] = owner
    rows = [{"id": o["id"], "title": o.get("title"), "status": o["status"],
             "closed_at": o.get("closed_at"), "owner": o.get("owner")}
            for o in ws.storage.find("opportunity", where, order_by=("closed_at", "id"))
            if needs_case_analysis(o)]
    return Table("case_analysis", ["id", "title", "status", "closed_at", "owner"], rows,
                 title=tr(ws, "待写案例分析报告", "Case analyses to write"),
                 display={"status": vocab_display(ws, "opp_status")})


def _next_steps(ws: Any, owner: str | None, horizon: dt.date) -> Table:
    """The latest call on each live deal (or customer) whose next step is due by ``horizon``:
    a later call supersedes an earlier one's next step."""
    from kam.reports.rollups import rollup

    latest = {a.get("opportunity_id") or a["customer_id"]: a
              for a in rollup(ws).latest_calls(ws.today, owner or None)}
    rows = [
        {"next_due": a["next_due"], "next_step": a.get("next_step"), "record_id": key,
         "customer_id": a["customer_id"], "owner": a.get("owner"), "activity_id": a["id"],
         "days_late": max((ws.today - a["next_due"]).days, 0)}
        for key, a in latest.items()
        if a.get("next_due") is not None and a["next_due"] <= horizon
    ]
    rows.sort(key=lambda r: (r["next_due"], r["record_id"]))
    headers = {"next_due": tr(ws, "下一步到期", "Next due"),
               "days_late": tr(ws, "已过天数", "Days late"),
               "record_id": tr(ws, "商机/客户", "Deal or customer"),
               "next_step": tr(ws, "下一步", "Next step"),
               "activity_id": tr(ws, "拜访编号", "Activity")}
    return Table("next_steps", ["next_due", "days_late", "record_id", "customer_id", "owner",
                                "next_step", "activity_id"], rows,
                 title=tr(ws, "到期的下一步", "Next steps due"), headers=headers)


def _receivables(ws: Any, owner: str | None, horizon: dt.date) -> Table:
    where: dict[str, Any] = {}
    if owner:
        where["contract_id__in"] = [c["id"] for c in ws.storage.find("contract",
                                                                      {"owner": owner})]
    # only milestones due by the horizon and not written off can be open and due (the
    # state itself is still receivable_view's to decide)
    where.update({"due_date__le": horizon, "written_off_on__isnull": True})
    views = (receivable_view(r, ws.today) for r in ws.storage.find("receivable", where))
    rows = [
        {k: v[k] for k in ("id", "contract_id", "customer_id", "kind", "due_date", "state",
                           "days_overdue", "outstanding", "currency")}
        for v in views
        if v["state"] in OPEN_STATES and v["due_date"] is not None and v["due_date"] <= horizon
    ]
    rows.sort(key=lambda r: (-r["days_overdue"], r["due_date"], r["id"]))
    return Table("receivables", ["id", "contract_id", "customer_id", "kind", "due_date",
                                 "state", "days_overdue", "outstanding", "currency"], rows,
                 title=tr(ws, "到期和逾期的回款", "Payment milestones due or overdue"),
                 display={"kind": vocab_display(ws, "milestone_kind"),
                          "state": vocab_display(ws, "receivable_state")})
