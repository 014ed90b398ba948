"""Scoring (商机评估): each deal's latest evaluation score against ``rules.min_score``,
and every evaluation recorded (``kam opp score``), oldest first.

The latest per deal is ``kam opp show``'s score; the history is its evaluations.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam.models.deal_team import worked_by
from kam.reports import Report, Table
from kam.reports.common import new_report, stage_display, tr
from kam.scoring import latest_evaluation
from kam.storage import scope

FIELDS = ("id", "title", "owner", "stage", "status", "evaluations")


def build(ws: Any, owner: str | None = None, customer: str | None = None,
          member: str | None = None, **_: Any) -> Report:
    """Open deals (all deals' evaluations in the history), best score first; a deal
    without an evaluation last."""
    floor = ws.config.get("rules", {}).get("min_score")
    minimum = Decimal(str(floor)) if floor is not None else None
    where: dict[str, Any] = scope(owner=owner, customer=customer)
    where.update(worked_by(ws, member, "opportunity"))
    latest_rows: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for opp in ws.storage.find("opportunity", where, order_by=("id",)):
        for e in opp.get("evaluations") or []:
            history.append({"id": opp["id"], "title": opp["title"], "on": e.get("on"),
                            "by": e.get("by"), "model": e.get("model"),
                            "score": _number(e.get("score"))})
        if opp["status"] != "open":
            continue
        current = latest_evaluation(opp)
        score = _number(current["score"]) if current else None
        latest_rows.append({
            "id": opp["id"], "title": opp["title"], "owner": opp.get("owner"),
            "stage": opp["stage"], "score": score,
            "on": current["on"] if current else None,
            "by": current["by"] if current else None,
            "evaluations": len(opp.get("evaluations") or []),
            "below": None if minimum is None else (score is None or score < minimum),
        })
    latest_rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["id"]))
    history.sort(key=lambda r: (r["on"] or "", r["id"]))
    report = new_report(ws, "scoring", "商机评估", "Opportunity scoring",
                        min_score=None if minimum is None else f"{minimum:f}")
    try:
        stages = stage_display(ws, ws.pipeline())
    except Exception:
        stages = {}
    headers = {"score": tr(ws, "评估得分", "Score"),
               "below": tr(ws, "低于最低分", "Below minimum"),
               "evaluations": tr(ws, "评估次数", "Evaluations"),
               "model": tr(ws, "评估模型", "Model")}
    yes_no = {"true": tr(ws, "是", "yes"), "false": tr(ws, "否", "no")}
    report.tables.append(Table(
        "latest", ["id", "title", "owner", "stage", "score", "on", "by", "evaluations", "below"],
        latest_rows, title=tr(ws, "在途商机的最新评估", "Latest evaluation of open deals"),
        headers=headers, display={"stage": stages, "below": yes_no}))
    report.tables.append(Table(
        "history", ["on", "id", "title", "model", "score", "by"], history,
        title=tr(ws, "评估记录", "Evaluations recorded"), headers=headers))
    return report


def _number(score: Any) -> Decimal | None:
    return None if score in (None, "") else Decimal(str(score))
