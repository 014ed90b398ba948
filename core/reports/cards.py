"""Cards: the project card of one opportunity (项目卡片) and the account plan of one
customer (客户计划). Read-only views of one record and what hangs off it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam.errors import InputError
from kam.messages import localise
from kam.reports import Report, Table
from kam.reports.common import ZERO, new_report, pairs_table, stage_display, tr, vocab_display

LEVEL_ORDER = {"executive": 0, "management": 1, "operational": 2, None: 3}


def _values(ws: Any, *vocabs: str) -> dict[str, str]:
    """How a card's enumerated values read: their labels in the workspace's language."""
    out: dict[str, str] = {}
    for name in vocabs:
        out |= vocab_display(ws, name)
    return out


def opportunity(ws: Any, record_id: str | None = None, **_: Any) -> Report:
    if not record_id:
        raise InputError("report opportunity needs an opportunity ID (kam report opportunity OP1)")
    opp = ws.get("opportunity", record_id)
    customer = ws.storage.get("customer", opp["customer_id"]) or {}
    model = ws.pipeline(opp.get("pipeline"))
    stages = stage_display(ws, model)
    report = new_report(ws, "opportunity", f"项目卡片 {opp['id']}", f"Project card {opp['id']}",
                        record_id=opp["id"])
    approvals = [{"decision": a.get("decision"), "by": a.get("by"), "on": a.get("on")}
                 for a in opp.get("approvals") or []]
    items = [
        ("number", opp.get("number")), ("title", opp["title"]),
        ("customer", customer.get("name")), ("customer_id", opp["customer_id"]),
        ("customer_owner", opp.get("customer_owner")), ("owner", opp.get("owner")),
        ("amount", opp.get("amount")), ("currency", opp.get("currency")),
        ("margin", opp.get("margin")), ("expense_budget", opp.get("expense_budget")),
        ("category", opp.get("category")), ("close_date", opp.get("close_date")),
        ("importance", opp.get("importance")),
        ("approvals", approvals or None),
        ("stage", opp["stage"]),
        ("probability", opp.get("probability")),
        ("forecast_category", opp.get("forecast_category")),
        ("status", opp["status"]), ("forced", opp.get("forced")),
        ("need", opp.get("need")), ("competition", opp.get("competition")),
        ("decision_process", opp.get("decision_process")),
    ]
    if opp["status"] in ("lost", "abandoned"):
        items += [("reason", opp.get("reason")), ("summary", opp.get("summary"))]
    report.tables.append(pairs_table(ws, "initiation", tr(ws, "立项信息", "Initiation report"),
                                     items, "opportunity",
                                     stages | _values(ws, "importance", "forecast_category",
                                                      "opp_status", "approval_decision")))
    report.tables.append(_contacts(ws, opp["customer_id"], "decision_chain",
                                   tr(ws, "决策链", "Decision chain")))
    done = set(opp.get("checklist") or [])
    checklist = []
    for s in model.stages[: model.index(opp["stage"]) + 1]:
        for t in s.tasks:
            checklist.append({"stage": s.key, "task": tr(ws, t.zh, t.en),
                              "required": t.required, "done": f"{s.key}.{t.key}" in done})
    report.tables.append(Table("checklist", ["stage", "task", "required", "done"], checklist,
                               title=tr(ws, "阶段任务清单", "Checklist"),
                               display={"stage": stages, **_yes_no(ws, "required", "done")}))
    gate: list[dict[str, Any]] = []
    if opp["status"] == "open" and not opp.get("completed_at"):
        nxt = model.next_stage(opp["stage"]) or "completed"
        for f in ws.plugins.rule("kam_stage_exit", ws=ws, opportunity=opp, pipeline=model,
                                 stage=opp["stage"], target=nxt):
            gate.append({"severity": f.severity, "message": f.message})
    report.tables.append(Table(
        "gate", ["severity", "message"], gate,
        title=tr(ws, "关键节点：离开本阶段还需", "Key node: what leaving this stage still needs"),
        display={"severity": vocab_display(ws, "severity")}))
    history = [{"stage": h.get("stage"), "on": h.get("on"), "forced": bool(h.get("forced")),
                "reason": h.get("reason")} for h in opp.get("stage_history") or []]
    # a reason kam wrote (``contract CO1 signed``) reads in the user's language
    notes = {h["reason"]: localise(h["reason"], ws.lang) for h in history if h["reason"]}
    report.tables.append(Table("history", ["stage", "on", "forced", "reason"], history,
                               title=tr(ws, "阶段历史", "Stage history"),
                               display={"stage": stages, "reason": notes,
                                        **_yes_no(ws, "forced")}))
    bids = [{"date": b.get("date"), "price": b.get("price"), "result": b.get("result"),
             "by": b.get("by")} for b in opp.get("bids") or []]
    report.tables.append(Table("bids", ["date", "price", "result", "by"], bids,
                               title=tr(ws, "投标记录", "Bids"),
                               display={"result": vocab_display(ws, "bid_result")}))
    report.tables.append(_tender(ws, opp))
    report.tables += _selling_as_a_team(ws, opp)
    acts = list(ws.storage.find("activity", {"opportunity_id": opp["id"], "date__le": ws.today},
                                order_by=("-date", "-id"), limit=10))
    report.tables.append(Table(
        "activities", ["date", "type", "owner", "outcome", "next_step"],
        [{k: a.get(k) for k in ("date", "type", "owner", "outcome", "next_step")}
         for a in acts],
        title=tr(ws, "最近拜访", "Recent activities"),
        display={"type": vocab_display(ws, "activity_type"),
                 "outcome": vocab_display(ws, "outcome")}))
    return report


def _tender(ws: Any, opp: dict[str, Any]) -> Table:
    """The tender scoring sheet (招投标评分表): each bidder's expected weighted total and
    rank under the customer's technical/commercial weights (kam.models.tender)."""
    from kam.models.tender import STANDING_COLUMNS, standings

    sheet = standings(opp.get("tender_sheet"))
    title = tr(ws, "招投标评分表", "Tender scoring sheet")
    if sheet:
        title += tr(ws, f"（技术 {sheet['technical_weight']}% / 商务 "
                        f"{sheet['commercial_weight']}%）",
                    f" (technical {sheet['technical_weight']}% / commercial "
                    f"{sheet['commercial_weight']}%)")
    return Table("tender", STANDING_COLUMNS, sheet["bidders"] if sheet else [], title=title,
                 display={"bidder": vocab_display(ws, "tender_bidder")})


def _selling_as_a_team(ws: Any, opp: dict[str, Any]) -> list[Table]:
    """The deal team (铁三角), its evaluations (商机评估), trials (试用/POC) and the
    negotiation log (谈判让步) on the project card: the war room's view of who sells, how
    the deal scores, what the customer tried, and what was conceded for what."""
    from kam.models.deal_team import MEMBER_COLUMNS, MEMBER_VOCAB, members

    team = [{"user": opp.get("owner"), "role": "owner", "line": "customer"}] + members(opp)
    evaluations = [{k: e.get(k) for k in ("on", "model", "score", "by", "note")}
                   for e in sorted(opp.get("evaluations") or [], key=lambda e: e.get("on") or "")]
    concessions = [{k: c.get(k) for k in ("on", "direction", "what", "value", "currency",
                                          "exchange", "discount", "approved_by")}
                   for c in opp.get("concessions") or []]
    return [
        Table("team", MEMBER_COLUMNS, team, title=tr(ws, "项目团队（铁三角）", "Deal team"),
              display={k: vocab_display(ws, v) for k, v in MEMBER_VOCAB.items()}),
        Table("evaluations", ["on", "model", "score", "by", "note"], evaluations,
              title=tr(ws, "商机评估", "Evaluations"),
              headers={"score": tr(ws, "评估得分", "Score"),
                       "model": tr(ws, "评估模型", "Model")}),
        Table("trials", ["seq", "scope", "start", "end", "criteria", "result"],
              [{k: t.get(k) for k in ("seq", "scope", "start", "end", "criteria", "result")}
               for t in opp.get("trials") or []],
              title=tr(ws, "试用/POC", "Trials"),
              display={"result": vocab_display(ws, "trial_result")}),
        Table("concessions", ["on", "direction", "what", "value", "currency", "exchange",
                              "discount", "approved_by"], concessions,
              title=tr(ws, "谈判让步", "Negotiation log"),
              display={"direction": vocab_display(ws, "concession_direction")}),
    ]


def _yes_no(ws: Any, *columns: str) -> dict[str, dict[str, str]]:
    shown = {"true": tr(ws, "是", "yes"), "false": tr(ws, "否", "no")}
    return {c: shown for c in columns}


def _contacts(ws: Any, customer_id: str, name: str, title: str) -> Table:
    rows = []
    for c in ws.storage.find("contact", {"customer_id": customer_id}, order_by=("id",)):
        rows.append({"id": c["id"], "name": c["name"], "title": c.get("title"),
                     "level": c.get("level"), "roles": list(c.get("roles") or []),
                     "coach": c.get("coach"), "stance": c.get("stance")})
    rows.sort(key=lambda r: (LEVEL_ORDER.get(r["level"], 3), _num(r["id"])))
    return Table(name, ["level", "name", "title", "roles", "coach", "stance"], rows,
                 title=title, display={"level": vocab_display(ws, "level"),
                                       "roles": vocab_display(ws, "role"),
                                       "coach": vocab_display(ws, "coach"),
                                       "stance": vocab_display(ws, "stance")},
                 headers={"title": tr(ws, "职务", "Job title")})


def _num(record_id: str) -> int:
    digits = record_id.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else 0


def account(ws: Any, record_id: str | None = None, **_: Any) -> Report:
    if not record_id:
        raise InputError("report account needs a customer ID (kam report account CU1)")
    cu = ws.get("customer", record_id)
    report = new_report(ws, "account", f"客户计划 {cu['name']}", f"Account plan {cu['name']}",
                        record_id=cu["id"])
    items = [
        ("name", cu["name"]), ("grade", cu.get("grade")), ("matrix", cu.get("matrix")),
        ("matrix_set_by", cu.get("matrix_set_by")),
        ("purchase_type", cu.get("purchase_type")), ("relationship", cu.get("relationship")),
        ("industry", cu.get("industry")), ("region", cu.get("region")),
        ("scope", cu.get("scope")), ("potential", cu.get("potential")),
        ("currency", cu.get("currency")), ("owner", cu.get("owner")),
        ("flags", [f.get("type") for f in cu.get("flags") or []
                   if f.get("decision") != "cleared"] or None),
        ("potential_drivers", [{"driver": d.get("driver"), "volume": d.get("volume")}
                               for d in cu.get("potential_drivers") or []] or None),
    ]
    report.tables.append(pairs_table(ws, "account", tr(ws, "客户概况", "Account"), items,
                                     "customer",
                                     _values(ws, "grade", "matrix", "purchase_type",
                                             "relationship", "flag_type")))
    report.tables.append(_contacts(ws, cu["id"], "contacts",
                                   tr(ws, "联系人（按层级与角色）", "Contacts by level and role")))
    deals: list[dict[str, Any]] = []
    totals: dict[str, Decimal] = {}
    try:
        stages = stage_display(ws, ws.pipeline())
    except Exception:
        stages = {}
    for opp in ws.storage.find("opportunity", {"customer_id": cu["id"], "status": "open"},
                               order_by=("id",)):
        if opp.get("completed_at"):
            continue
        deals.append({k: opp.get(k) for k in ("id", "title", "stage", "amount", "currency",
                                              "probability", "close_date", "owner")})
        totals[opp["currency"]] = totals.get(opp["currency"], ZERO) + (opp.get("amount") or ZERO)
    report.tables.append(Table(
        "open_deals", ["id", "title", "stage", "probability", "amount", "currency",
                       "close_date", "owner"], deals,
        [{"id": "total", "currency": c, "amount": a} for c, a in sorted(totals.items())],
        title=tr(ws, "在途商机", "Open deals"),
        display={"stage": stages, "id": {"total": tr(ws, "合计", "total")}}))
    from kam.reports import contracts, revenue

    report.tables.extend(contracts.account_tables(ws, cu["id"]))
    from kam.reports import service

    report.tables.extend(service.account_tables(ws, cu["id"]))
    report.tables.append(revenue.revenue_table(ws, revenue.revenue_rows(ws, customer=cu["id"])))
    report.notes.extend(contracts.revenue_notes(ws))
    return report
