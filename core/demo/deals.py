"""The demo's deals, each walked from its lead (线索) through qualification, the stage
gates and its bids to where the story leaves it: won and under contract, in negotiation,
or lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kam.demo.story import COST_SHARES, DELIVERY, EXPENSES, OUTCOMES, PRESALES, TYPES, Story


def deal(ws: Any, story: Story, n: int, start: dt.date, today: dt.date, cust_ids: list[str],
         contact_ids: dict[int, list[str]]) -> str:
    """The ``n``-th of the story's deals, from its lead on; returns the deal's id."""
    from kam.services import leads, opportunities, presales

    ci, title, amount, cur, target, imp, owner, margin = story.deals[n]
    ws.today = start + dt.timedelta(days=n * 3)
    ws.actor = owner
    decision_maker = next(
        cid for cid, spec in zip(contact_ids[ci], story.contacts[ci], strict=True)
        if "decision_maker" in spec[2])
    lead = leads.add(ws, cust_ids[ci], title,
                     source=story.t("展会") if n % 2 else story.t("老客户介绍"),
                     scenario=story.customers[ci][3], owner=owner)
    q = leads.qualify(ws, lead["id"], budget_confirmed=True, budget_amount=amount,
                      authority_contact_id=decision_maker,
                      need=story.t(f"{title}：提升效率、降低成本"),
                      timeline=(today + dt.timedelta(days=60 + n * 7)).isoformat())
    opp_id = q["opportunity"]["id"]
    opportunities.edit(
        ws, opp_id, amount=amount, currency=cur, margin=margin,
        expense_budget=str(int(int(amount) * 0.03)), category=story.t("解决方案"),
        importance=imp, number=f"PRJ-{today.year}-{n + 1:03d}",
        customer_owner=story.customers[ci][0][:4] + story.t("项目组"),
        competition=story.t("两家同行竞争"),
        decision_process=story.t("信息中心选型 → 总经理办公会决策"),
        close_date=(today + dt.timedelta(days=30 + n * 9)).isoformat())
    budget = int(int(amount) * 0.03)
    part = budget // 4
    presales.set_budget(ws, opp_id, str(budget), [
        ("development", str(budget - 3 * part)), ("initiation", str(part)),
        ("proposal", str(part)), ("bidding", str(part))])
    _team(ws, story, opp_id, n, imp, amount, target)
    _evaluate(ws, story, opp_id, n)
    _walk(ws, story, opp_id, target, imp, contact_ids[ci], n)
    return str(opp_id)


def _team(ws: Any, story: Story, opp_id: str, n: int, importance: str, amount: str,
          target: str) -> None:
    """铁三角 of the deals worth a team (I/VI or over 1,000,000): presales (产品线) on each,
    a delivery manager (交付线) once the deal is headed for a contract."""
    from kam.services import deal_team

    if importance in ("I", "VI") or int(amount) >= 1_000_000:
        deal_team.add(ws, opp_id, story.t(PRESALES[n % len(PRESALES)]), "presales")
        if target in ("negotiation", "implementation"):
            deal_team.add(ws, opp_id, story.t(DELIVERY), "delivery")


def _evaluate(ws: Any, story: Story, opp_id: str, n: int) -> None:
    """商机评估 in the development stage: the standard model, ratings varying by deal."""
    from kam.services import scoring

    model = ws.evaluation_model()
    ratings = [f"{c.key}={2 + (n * 7 + i * (n % 3 + 1)) % 4}" for i, c in enumerate(model.criteria)]
    scoring.score(ws, opp_id, ratings, note=story.t("客户开发阶段初评"))


def _walk(ws: Any, story: Story, opp_id: str, target: str, importance: str,
          contacts: list[str], n: int) -> None:
    from kam.services import activities, bids, case_analysis, opportunities, presales

    budget = ws.get("opportunity", opp_id)["expense_budget"]
    t = story.t

    def spend(kind: str, percent: int, note: str) -> None:
        """A presales expense of ``percent`` of the deal's budget (售前费用)."""
        amount = (budget * percent / 100).quantize(budget)
        presales.add_expense(ws, opp_id, str(amount), type=kind, note=t(note))

    def log(kind: str, outcome: str, days: int, **seen: Any) -> None:
        ws.today = ws.today + dt.timedelta(days=days)
        activities.log(ws, opp_id, type=kind, outcome=outcome, contacts=contacts[:1],
                       note=t("与客户沟通需求和方案"), next_step=t("准备下一次拜访"),
                       next_due=(ws.today + dt.timedelta(days=7)).isoformat(), **seen)

    log("visit", "advance", 1)
    spend("travel", 10, "首次拜访差旅")
    if target in ("lost", "abandoned"):
        log("call", "continuance", 5)
        log("call", "continuance", 5)
        log("call", "continuance", 5)
        status = "lost" if target == "lost" else "abandoned"
        opportunities.close(ws, opp_id, status,
                            t("价格高于竞争对手") if status == "lost" else t("毛利低于公司底线"),
                            summary=t("复盘：决策链覆盖不足"))
        return
    order = ["development", "initiation", "proposal", "bidding", "negotiation",
             "implementation"]
    for stage in order[1: order.index(target) + 1]:
        if stage == "proposal" and importance in ("I", "VI"):
            as_user(ws, story.approvers["management"], opportunities.approve, ws, opp_id,
                    comment=t("战略客户，同意立项"))
        if stage == "bidding":
            log("demo", "advance", 4, signals=["asks_results", "asks_timing"],
                closing="trial")
            opportunities.set_checklist(ws, opp_id, ["proposal.influence_criteria"], True)
        if stage == "negotiation":
            opp = ws.get("opportunity", opp_id)
            bids.bid(ws, opp_id, str(opp["amount"]), result="won")
        log(TYPES[n % len(TYPES)], OUTCOMES[n % len(OUTCOMES)], 3)
        if stage in ("initiation", "proposal", "bidding"):
            spend(EXPENSES[n % len(EXPENSES)], 8, "阶段推进费用")
        if stage == "bidding" and n == 0:
            # a bid that costs more than its milestone planned: the adjustment (调整表)
            # for the bidding milestone comes first
            presales.request_adjustment(ws, opp_id, str((budget / 5).quantize(budget)),
                                        t("招标方要求样板线测试，增加投标费用"))
            as_user(ws, story.approvers["sales_director"], presales.decide_adjustment, ws,
                    opp_id, comment=t("同意"))
            spend("bid_fees", 35, "投标保证金与标书制作")
        if stage == "implementation":
            contract(ws, story, opp_id, "signed")  # signing wins the deal and moves it on
            if importance in ("I", "VI"):  # an important win is written up (案例分析报告)
                case_analysis.record(ws, opp_id, t("决策链全覆盖，样板线测试打消技术顾虑"),
                                     lessons=t("尽早安排样板线考察"))
        else:
            opportunities.advance(ws, opp_id)


def as_user(ws: Any, user: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``fn`` as ``user`` (an approver is the acting user, never the owner)."""
    actor, ws.actor = ws.actor, user
    try:
        return fn(*args, **kwargs)
    finally:
        ws.actor = actor


def contract(ws: Any, story: Story, opp_id: str, until: str, *, force: bool = False,
             reason: str | None = None, **attrs: Any) -> str:
    """A contract for the deal, reviewed, approved and signed as far as ``until``."""
    from kam.services import contracts

    t = story.t
    attrs = {"acceptance_criteria": t("按技术协议逐项验收，出具验收证书"),
             "change_cost": t("需求变更按 2000 元/人天计费"),
             "service_end": (ws.today + dt.timedelta(days=3 * 365)).isoformat(),
             "terms": [t("delivery_place=客户现场"), t("dispute=提交上海仲裁委员会仲裁")]} | attrs
    c = contracts.create(ws, opp_id, **attrs)
    margin = ws.get("opportunity", opp_id).get("margin") or Decimal(30)
    cost = c["amount"] * (100 - margin) / 100
    costs(ws, c["id"], "estimate", cost)  # 概算 at bid, 预算 a little above it at signing
    costs(ws, c["id"], "budget", cost * Decimal("1.02"))
    if until == "draft":
        return str(c["id"])
    contracts.review(ws, c["id"])
    needed = contracts.missing_roles(ws, ws.get("contract", c["id"]))
    for role in needed[: 1 if until == "in_review" else None]:
        as_user(ws, story.approvers.get(role, role), contracts.approve, ws, c["id"],
                role=role, comment=t("同意"))
    if until == "signed":
        contracts.sign(ws, c["id"], force=force, reason=reason)
    return str(c["id"])


def costs(ws: Any, contract_id: str, stage: str, total: Decimal, **kw: Any) -> None:
    """Record ``total`` as one account's cost lines, split by COST_SHARES."""
    from kam.services import contract_costs

    total = total.quantize(Decimal("0.01"))
    pairs, left = [], total
    for category, share in COST_SHARES[:-1]:
        part = (total * share / 100).quantize(Decimal("0.01"))
        pairs.append((category, str(part)))
        left -= part
    pairs.append((COST_SHARES[-1][0], str(left)))
    contract_costs.record(ws, contract_id, stage, pairs, **kw)


def negotiation(ws: Any, story: Story, opp_id: str) -> None:
    """谈判让步 on 配网自动化二期 (in 商务谈判): a concession for a faster down payment, and
    one received from the customer."""
    from kam.services import negotiation

    ws.actor = ws.get("opportunity", opp_id)["owner"]
    negotiation.concede(ws, opp_id, what=story.t("首年运维服务费减免"), direction="given",
                        value="90000", exchange=story.t("签约后 7 天内付首付款 30%"))
    negotiation.concede(ws, opp_id, what=story.t("客户同意二期备件一并采购"),
                        direction="received")


def trial(ws: Any, story: Story, opp_id: str, today: dt.date) -> None:
    """试用体验 on MES 系统升级 (at 招投标): a line tried for three weeks, passed."""
    from kam.services import trials

    ws.actor = ws.get("opportunity", opp_id)["owner"]
    trials.record(ws, opp_id, scope=story.t("一条总装线试运行 MES 报工与追溯"),
                  start=(today - dt.timedelta(days=60)).isoformat(),
                  end=(today - dt.timedelta(days=39)).isoformat(),
                  criteria=story.t("报工及时率≥98%，追溯查询<3秒"), result="passed")


def tender(ws: Any, story: Story, opp_id: str) -> None:
    """招投标评分表 on MES 系统升级 (at 招投标): technical 60 / commercial 40, two
    competitors; we expect to come first by a point."""
    from kam.services import tenders

    ws.actor = ws.get("opportunity", opp_id)["owner"]
    tenders.record(ws, opp_id, "60", "40", ("85", "90"),
                   [story.t("用友") + "=80,95", story.t("鼎捷") + "=88,80"])
