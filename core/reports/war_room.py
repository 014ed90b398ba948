"""War Room (作战会): one deal on one page for the review meeting — where it stands,
what its gate still needs, the decision chain, the presales budget against what was
spent, the risks, and the next steps agreed with the customer.

Budget vs actual is :func:`kam.models.presales_budget.budget_view`, as on ``opp show``:
the milestone rows' spent add up to the total spent, to the cent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam.errors import InputError
from kam.models.presales_budget import budget_view
from kam.reports import Report, Table
from kam.reports.cards import _contacts
from kam.reports.common import new_report, pairs_table, stage_display, tr, vocab_display

#: the rows of the case-analysis section (zh, en)
CASE_LABELS = {"by": ("撰写人", "Written by"), "on": ("日期", "Date"),
               "summary": ("总结", "Summary"), "lessons": ("经验教训", "Lessons"),
               "attachment": ("附件", "Attachment"), "sha256": ("SHA-256", "SHA-256")}

#: share of the budget in force that, once spent, is a risk worth raising
BUDGET_WARN = Decimal("0.9")


def build(ws: Any, record_id: str | None = None, days: Any = None, **_: Any) -> Report:
    if not record_id:
        raise InputError("report war-room needs an opportunity ID (kam report war-room OP1)")
    opp = ws.get("opportunity", record_id)
    model = ws.pipeline(opp.get("pipeline"))
    stages = stage_display(ws, model)
    customer = ws.storage.get("customer", opp["customer_id"]) or {}
    report = new_report(ws, "war-room", f"作战会 {opp['id']}", f"War room {opp['id']}",
                        record_id=opp["id"])
    items = [("title", opp["title"]), ("customer", customer.get("name")),
             ("owner", opp.get("owner")), ("stage", opp["stage"]),
             ("probability", opp.get("probability")), ("amount", opp.get("amount")),
             ("currency", opp.get("currency")), ("close_date", opp.get("close_date")),
             ("importance", opp.get("importance")), ("competition", opp.get("competition")),
             ("status", opp["status"])]
    report.tables.append(pairs_table(ws, "deal", tr(ws, "项目现状", "Where the deal stands"),
                                     items, "opportunity",
                                     stages | vocab_display(ws, "importance")
                                     | vocab_display(ws, "opp_status")))
    gate = _gate(ws, opp, model)
    report.tables.append(Table(
        "gate", ["severity", "message"], gate,
        title=tr(ws, "关键节点：离开本阶段还需", "Key node: what leaving this stage still needs"),
        display={"severity": vocab_display(ws, "severity")}))
    chain = _contacts(ws, opp["customer_id"], "decision_chain", tr(ws, "决策链", "Decision chain"))
    report.tables.append(chain)
    expenses = list(ws.storage.find("expense", {"opportunity_id": opp["id"]},
                                    order_by=("date", "id")))
    view = budget_view(opp, expenses)
    report.tables.append(Table(
        "budget", ["stage", "budget", "spent", "left"], view["rows"],
        [{"stage": "total", "budget": view["budget"], "spent": view["spent"],
          "left": view["left"]}],
        title=tr(ws, "费用预算与实际", "Presales budget vs actual"),
        display={"stage": stages | {"total": tr(ws, "合计（含已批调整）",
                                                "total (with approved adjustments)")}}))
    report.tables.append(Table(
        "risks", ["risk"], [{"risk": r} for r in _risks(ws, opp, view, chain, gate, days)],
        title=tr(ws, "风险", "Risks"), headers={"risk": tr(ws, "风险", "Risk")}))
    report.tables.append(_case_analysis(ws, opp))
    acts = [a for a in ws.storage.find("activity", {"opportunity_id": opp["id"]},
                                       order_by=("-date", "-id"), limit=20)
            if a.get("next_step")]
    steps = [{"next_due": a.get("next_due"), "next_step": a.get("next_step"),
              "owner": a.get("owner"), "date": a.get("date")}
             for a in acts[:5]]  # the latest agreed first
    report.tables.append(Table("next_steps", ["next_due", "next_step", "owner", "date"], steps,
                               title=tr(ws, "下一步", "Next steps")))
    return report


def _gate(ws: Any, opp: dict[str, Any], model: Any) -> list[dict[str, Any]]:
    review = [] if opp["status"] == "open" else [
        {"severity": f.severity, "message": f.message}
        for f in ws.plugins.rule("kam_review_closed_deal", ws=ws, opportunity=opp)]
    if opp["status"] != "open" or opp.get("completed_at"):
        return review
    nxt = model.next_stage(opp["stage"]) or "completed"
    return [{"severity": f.severity, "message": f.message}
            for f in ws.plugins.rule("kam_stage_exit", ws=ws, opportunity=opp, pipeline=model,
                                     stage=opp["stage"], target=nxt)]


def _risks(ws: Any, opp: dict[str, Any], view: dict[str, Any], chain: Table,
           gate: list[dict[str, Any]], days: Any) -> list[str]:
    """What the meeting should hear about: over or nearly over budget, a waiting budget
    adjustment, no coach or no decision maker in the chain, an opponent, a blocked
    gate, no contact with the customer for ``reports.stalled_days`` (30) days."""
    out: list[str] = []
    money = f"{view['spent']:.2f}/{view['budget']:.2f}"
    if view["budget"] > 0 and view["spent"] >= view["budget"] * BUDGET_WARN:
        out.append(tr(ws, f"费用已用 {money}，接近或超出预算",
                      f"presales spending {money} is at or near the budget"))
    if view["pending_adjustment"]:
        out.append(tr(ws, "预算调整表待审批", "a budget adjustment is waiting for approval"))
    if not any(r.get("coach") in ("advise", "intervene") for r in chain.rows):
        out.append(tr(ws, "决策链中没有能提供建议或影响决策的向导",
                      "no coach who advises or intervenes in the decision chain"))
    if not any("decision_maker" in (r.get("roles") or []) for r in chain.rows):
        out.append(tr(ws, "决策链中没有决策者", "no decision maker in the decision chain"))
    opponents = [r["name"] for r in chain.rows if r.get("stance") == "opponent"]
    if opponents:
        out.append(tr(ws, f"反对者：{'、'.join(opponents)}", f"opponents: {', '.join(opponents)}"))
    blocking = sum(1 for g in gate if g["severity"] == "block")
    if blocking:
        out.append(tr(ws, f"关键节点还缺 {blocking} 项", f"{blocking} gate item(s) still missing"))
    quiet = int(days if days is not None else
                (ws.config.get("reports") or {}).get("stalled_days", 30))
    last = next(iter(ws.storage.find("activity", {"opportunity_id": opp["id"],
                                                   "date__le": ws.today},
                                     order_by=("-date",), limit=1)), None)
    if opp["status"] == "open" and (last is None or (ws.today - last["date"]).days > quiet):
        out.append(tr(ws, f"超过 {quiet} 天没有拜访客户",
                      f"no call on the customer for more than {quiet} days"))
    return out


def _case_analysis(ws: Any, opp: dict[str, Any]) -> Table:
    """The case-analysis report (案例分析报告) written after the win or loss, if any."""
    case = opp.get("case_analysis") or {}
    attachment = case.get("attachment") or {}
    items = [("by", case.get("by")), ("on", case.get("on")), ("summary", case.get("summary")),
             ("lessons", case.get("lessons")), ("attachment", attachment.get("path")),
             ("sha256", attachment.get("sha256"))] if case.get("summary") else []
    return pairs_table(ws, "case_analysis", tr(ws, "案例分析报告", "Case analysis"), items,
                       CASE_LABELS)
