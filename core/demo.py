"""``kam demo``: a realistic sample workspace, built through the services (so every
record has its events), then the pipeline printed and how to explore it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from kam.errors import InputError

MARKER = ".kam-demo"

CUSTOMERS = [
    # name, grade, matrix, purchase type, relationship, industry, region, potential
    ("华东电力集团", "A", "core", "occasional", "trust", "电力", "上海", "12000000"),
    ("深圳智造科技有限公司", "A", "growth", "continuous", "dating", "制造", "深圳", "6000000"),
    ("北京城市轨道交通公司", "B", "traction", "occasional", "acquainted", "交通", "北京",
     "8000000"),
    ("Northwind Logistics Ltd", "B", "growth", "continuous", "trust", "logistics", "Singapore",
     "2500000"),
    ("成都川味食品股份", "C", "problem", "continuous", "acquainted", "食品", "成都", "900000"),
    ("Contoso Pharma GmbH", "A", "core", "occasional", "alliance", "pharma", "Frankfurt",
     "5000000"),
    ("杭州云栖数据服务", "B", "growth", "occasional", "dating", "软件", "杭州", "3000000"),
    ("广州南方医疗器械", "C", "traction", "continuous", "acquainted", "医疗", "广州",
     "1500000"),
]

CONTACTS = {
    0: [("王建国", "总经理", ["decision_maker"], "none", "supporter", "executive"),
        ("李静", "信息中心主任", ["selector", "evaluator"], "intervene", "supporter",
         "management"),
        ("赵强", "采购部经理", ["purchaser"], "intel", "neutral", "management"),
        ("孙悦", "项目验收组长", ["acceptor", "user"], "none", "neutral", "operational")],
    1: [("陈晓东", "CTO", ["decision_maker", "selector"], "advise", "supporter", "executive"),
        ("刘芳", "采购专员", ["purchaser"], "none", "neutral", "operational")],
    2: [("周海", "副总工程师", ["selector"], "intel", "neutral", "management"),
        ("吴刚", "总经理", ["decision_maker"], "none", "opponent", "executive")],
    3: [("Alice Tan", "COO", ["decision_maker"], "advise", "supporter", "executive"),
        ("Ben Ong", "IT lead", ["selector", "user"], "intel", "supporter", "operational")],
    4: [("郑丽", "财务总监", ["decision_maker", "purchaser"], "none", "neutral", "executive")],
    5: [("Dr. Klaus Weber", "Head of Operations", ["decision_maker"], "intervene",
         "supporter", "executive"),
        ("Anna Schmidt", "Procurement", ["purchaser", "evaluator"], "none", "neutral",
         "management")],
    6: [("马云飞", "CIO", ["decision_maker"], "advise", "supporter", "executive")],
    7: [("黄敏", "设备科长", ["selector", "acceptor"], "intel", "neutral", "operational"),
        ("林志明", "院长", ["decision_maker"], "none", "neutral", "executive")],
}

# customer index, title, amount, currency, target stage, importance, owner, margin
DEALS = [
    (0, "智能变电站监控平台", "3200000", "CNY", "implementation", "VI", "张伟", "32"),
    (0, "配网自动化二期", "1800000", "CNY", "negotiation", "I", "张伟", "28"),
    (1, "MES 系统升级", "950000", "CNY", "bidding", "N", "李娜", "35"),
    (1, "工业质检视觉方案", "620000", "CNY", "proposal", "N", "李娜", "40"),
    (2, "地铁 5 号线通信系统", "4500000", "CNY", "initiation", "VI", "王磊", "22"),
    (2, "站务管理软件", "380000", "CNY", "development", "N", "王磊", "30"),
    (3, "Warehouse tracking rollout", "420000", "USD", "proposal", "I", "Emily Chen", "31"),
    (3, "Fleet telematics pilot", "85000", "USD", "development", "NI", "Emily Chen", "25"),
    (4, "冷链仓储改造", "560000", "CNY", "initiation", "N", "李娜", "18"),
    (5, "GMP data integrity suite", "1250000", "EUR", "negotiation", "VI", "Emily Chen", "38"),
    (5, "Lab automation study", "90000", "EUR", "bidding", "N", "Emily Chen", "12"),
    (6, "数据中台建设", "2100000", "CNY", "proposal", "I", "张伟", "27"),
    (6, "运维外包服务", "300000", "CNY", "development", "N", "张伟", "20"),
    (7, "影像设备联网", "450000", "CNY", "bidding", "N", "王磊", "26"),
    (4, "ERP 替换", "700000", "CNY", "lost", "N", "李娜", "15"),
    (7, "耗材集中采购", "150000", "CNY", "abandoned", "NI", "王磊", "8"),
    (3, "Warehouse scanners phase 1", "260000", "USD", "implementation", "N", "Emily Chen",
     "30"),
    (6, "数据治理咨询", "480000", "CNY", "implementation", "N", "张伟", "33"),
]

#: 铁三角 of the deals worth a team (I/VI or over 1,000,000): presales (产品线) on each,
#: a delivery manager (交付线) once the deal is headed for a contract
PRESALES = ("赵工", "Kevin Lim")
DELIVERY = "孙建"

#: who approves in the demo (kam.toml [roles]): never a deal's owner
APPROVERS = {"sales_manager": "陈静", "sales_director": "刘洋", "general_manager": "王建华",
             "finance": "周敏", "management": "刘洋"}
ROLES = {"陈静": ["sales_manager"], "刘洋": ["sales_director", "management"],
         "王建华": ["general_manager"], "周敏": ["finance"]}

#: the vice president serious complaints are escalated to (kam.toml [service])
VICE_PRESIDENT = "孙立"

OUTCOMES = ["advance", "advance", "continuance", "order", "no_sale", "advance"]
TYPES = ["visit", "call", "meeting", "demo", "proposal", "call"]
EXPENSES = ["entertainment", "presales_engineering", "travel", "samples"]


def _check_target(path: Path) -> None:
    if path.exists() and any(path.iterdir()) and not (path / MARKER).exists():
        raise InputError(f"{path} exists and is not an earlier kam demo; choose another --path")


#: the demo's language while it is built: a Traditional (zh-Hant) demo has its data in
#: Traditional characters too, as a team in Taipei or Hong Kong would type it
_LANG = "zh"


def _t(text: str) -> str:
    from kam.i18n import hant

    return hant(text) if _LANG == "zh-Hant" else text


def _deep(value: Any) -> Any:
    if isinstance(value, str):
        return _t(value)
    if isinstance(value, list | tuple):
        return type(value)(_deep(v) for v in value)
    if isinstance(value, dict):
        return {_deep(k): _deep(v) for k, v in value.items()}
    return value


def build_demo(path: Path, plugins: Any, *, backend: str | None = None,
               lang: str | None = None) -> str:
    global _LANG
    from kam.i18n import from_locale, normalise
    from kam.services import admin

    path = Path(path).expanduser().resolve()
    _check_target(path)
    if path.exists():
        shutil.rmtree(path)
    given = lang or os.environ.get("KAM_LANG")
    _LANG = (normalise(given) if given else None) or from_locale()
    data = {name: globals()[name] for name in ("CUSTOMERS", "CONTACTS", "DEALS", "APPROVERS",
                                               "ROLES")}
    globals().update({name: _deep(value) for name, value in data.items()})
    try:
        admin.init(path, plugins, backend=backend, lang=lang, extra={"roles": ROLES,
                   "service": {"vice_president": _t(VICE_PRESIDENT)}})
        fd = os.open(path / MARKER, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
        _populate(path, plugins)
    finally:
        globals().update(data)
        _LANG = "zh"
    return _summary(path, plugins, lang)


def _populate(path: Path, plugins: Any) -> None:
    from kam.services import contacts, customers, leads, opportunities, presales
    from kam.workspace import Workspace

    today = dt.date.today()
    start = today - dt.timedelta(days=120)
    ws = Workspace.open(path, plugins=plugins, as_of=start)
    ws.actor = "demo"
    try:
        cust_ids, contact_ids, opp_ids = [], {}, []
        for i, (name, grade, matrix, ptype, rel, industry, region, potential) in enumerate(
            CUSTOMERS
        ):
            c = customers.add(ws, name, grade=grade, matrix=matrix, purchase_type=ptype,
                              relationship=rel, industry=industry, region=region,
                              potential=potential, currency="CNY")
            cust_ids.append(c["id"])
            contact_ids[i] = [
                contacts.add(ws, c["id"], n, title=t, roles=r, coach=coach, stance=stance,
                             level=level)["id"]
                for n, t, r, coach, stance, level in CONTACTS[i]
            ]
        for n, (ci, title, amount, cur, target, imp, owner, margin) in enumerate(DEALS):
            ws.today = start + dt.timedelta(days=n * 3)
            ws.actor = owner
            cid = cust_ids[ci]
            decision_maker = next(
                cid_ for cid_, spec in zip(contact_ids[ci], CONTACTS[ci], strict=True)
                if "decision_maker" in spec[2])
            lead = leads.add(ws, cid, title, source=_t("展会") if n % 2 else _t("老客户介绍"),
                             scenario=CUSTOMERS[ci][3], owner=owner)
            q = leads.qualify(ws, lead["id"], budget_confirmed=True, budget_amount=amount,
                              authority_contact_id=decision_maker,
                              need=_t(f"{title}：提升效率、降低成本"),
                              timeline=(today + dt.timedelta(days=60 + n * 7)).isoformat())
            opp = q["opportunity"]
            opportunities.edit(
                ws, opp["id"], amount=amount, currency=cur, margin=margin,
                expense_budget=str(int(int(amount) * 0.03)), category=_t("解决方案"),
                importance=imp, number=f"PRJ-{today.year}-{n + 1:03d}",
                customer_owner=CUSTOMERS[ci][0][:4] + _t("项目组"), competition=_t("两家同行竞争"),
                decision_process=_t("信息中心选型 → 总经理办公会决策"),
                close_date=(today + dt.timedelta(days=30 + n * 9)).isoformat())
            budget = int(int(amount) * 0.03)
            part = budget // 4
            presales.set_budget(ws, opp["id"], str(budget), [
                ("development", str(budget - 3 * part)), ("initiation", str(part)),
                ("proposal", str(part)), ("bidding", str(part))])
            _team(ws, opp["id"], n, imp, amount, target)
            _evaluate(ws, opp["id"], n)
            _walk(ws, opp["id"], target, imp, contact_ids[ci], n)
            opp_ids.append(opp["id"])
        _contracts(ws, today, opp_ids)
        _service(ws, today, opp_ids)
        _negotiation(ws, opp_ids[1])
        _trial(ws, opp_ids[2], today)
        _tender(ws, opp_ids[2])
        _visit_plans(ws, today, cust_ids)
        ws.today = today
        _targets(ws, today, cust_ids)
        _flags(ws)
    finally:
        ws.close()


def _team(ws: Any, opp_id: str, n: int, importance: str, amount: str, target: str) -> None:
    from kam.services import deal_team

    if importance in ("I", "VI") or int(amount) >= 1_000_000:
        deal_team.add(ws, opp_id, _t(PRESALES[n % len(PRESALES)]), "presales")
        if target in ("negotiation", "implementation"):
            deal_team.add(ws, opp_id, _t(DELIVERY), "delivery")


def _negotiation(ws: Any, opp_id: str) -> None:
    """谈判让步 on 配网自动化二期 (in 商务谈判): a concession for a faster down payment, and
    one received from the customer."""
    from kam.services import negotiation

    ws.actor = ws.get("opportunity", opp_id)["owner"]
    negotiation.concede(ws, opp_id, what=_t("首年运维服务费减免"), direction="given",
                        value="90000", exchange=_t("签约后 7 天内付首付款 30%"))
    negotiation.concede(ws, opp_id, what=_t("客户同意二期备件一并采购"), direction="received")


def _visit_plans(ws: Any, today: dt.date, cust_ids: list[str]) -> None:
    """拜访计划 of 张伟 and 李娜: this month, this week, and a visit today."""
    from kam.services import visit_plans

    week = f"{today.isocalendar()[0]:04d}-W{today.isocalendar()[1]:02d}"
    for owner, customers in ((_t("张伟"), (0, 6)), (_t("李娜"), (1, 4))):
        for n, ci in enumerate(customers):
            visit_plans.plan(ws, owner, today.strftime("%Y-%m"), cust_ids[ci], 4 - n)
            visit_plans.plan(ws, owner, week, cust_ids[ci], 1)
        visit_plans.plan(ws, owner, today.isoformat(), cust_ids[customers[0]], 1,
                         _t("送技术方案并约高层会谈"))


def _trial(ws: Any, opp_id: str, today: dt.date) -> None:
    """试用体验 on MES 系统升级 (at 招投标): a line tried for three weeks, passed."""
    from kam.services import trials

    ws.actor = ws.get("opportunity", opp_id)["owner"]
    trials.record(ws, opp_id, scope=_t("一条总装线试运行 MES 报工与追溯"),
                  start=(today - dt.timedelta(days=60)).isoformat(),
                  end=(today - dt.timedelta(days=39)).isoformat(),
                  criteria=_t("报工及时率≥98%，追溯查询<3秒"), result="passed")


def _tender(ws: Any, opp_id: str) -> None:
    """招投标评分表 on MES 系统升级 (at 招投标): technical 60 / commercial 40, two
    competitors; we expect to come first by a point."""
    from kam.services import tenders

    ws.actor = ws.get("opportunity", opp_id)["owner"]
    tenders.record(ws, opp_id, "60", "40", ("85", "90"),
                   [_t("用友") + "=80,95", _t("鼎捷") + "=88,80"])


def _evaluate(ws: Any, opp_id: str, n: int) -> None:
    """商机评估 in the development stage: the standard model, ratings varying by deal."""
    from kam.services import scoring

    model = ws.evaluation_model()
    ratings = [f"{c.key}={2 + (n * 7 + i * (n % 3 + 1)) % 4}" for i, c in enumerate(model.criteria)]
    scoring.score(ws, opp_id, ratings, note=_t("客户开发阶段初评"))


def _walk(ws: Any, opp_id: str, target: str, importance: str, contacts: list[str],
          n: int) -> None:
    from kam.services import activities, bids, case_analysis, opportunities, presales

    budget = ws.get("opportunity", opp_id)["expense_budget"]

    def spend(kind: str, percent: int, note: str) -> None:
        """A presales expense of ``percent`` of the deal's budget (售前费用)."""
        amount = (budget * percent / 100).quantize(budget)
        presales.add_expense(ws, opp_id, str(amount), type=kind, note=_t(note))

    def log(kind: str, outcome: str, days: int, **seen: Any) -> None:
        ws.today = ws.today + dt.timedelta(days=days)
        activities.log(ws, opp_id, type=kind, outcome=outcome, contacts=contacts[:1],
                       note=_t("与客户沟通需求和方案"), next_step=_t("准备下一次拜访"),
                       next_due=(ws.today + dt.timedelta(days=7)).isoformat(), **seen)

    log("visit", "advance", 1)
    spend("travel", 10, "首次拜访差旅")
    if target in ("lost", "abandoned"):
        log("call", "continuance", 5)
        log("call", "continuance", 5)
        log("call", "continuance", 5)
        status = "lost" if target == "lost" else "abandoned"
        opportunities.close(ws, opp_id, status,
                            _t("价格高于竞争对手") if status == "lost" else _t("毛利低于公司底线"),
                            summary=_t("复盘：决策链覆盖不足"))
        return
    order = ["development", "initiation", "proposal", "bidding", "negotiation",
             "implementation"]
    for stage in order[1: order.index(target) + 1]:
        if stage == "proposal" and importance in ("I", "VI"):
            _as(ws, APPROVERS["management"], opportunities.approve, ws, opp_id,
                comment=_t("战略客户，同意立项"))
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
                                        _t("招标方要求样板线测试，增加投标费用"))
            _as(ws, APPROVERS["sales_director"], presales.decide_adjustment, ws, opp_id,
                comment=_t("同意"))
            spend("bid_fees", 35, "投标保证金与标书制作")
        if stage == "implementation":
            _contract(ws, opp_id, "signed")  # signing wins the deal and moves it on
            if importance in ("I", "VI"):  # an important win is written up (案例分析报告)
                case_analysis.record(ws, opp_id, _t("决策链全覆盖，样板线测试打消技术顾虑"),
                                     lessons=_t("尽早安排样板线考察"))
        else:
            opportunities.advance(ws, opp_id)


def _as(ws: Any, user: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``fn`` as ``user`` (an approver is the acting user, never the owner)."""
    actor, ws.actor = ws.actor, user
    try:
        return fn(*args, **kwargs)
    finally:
        ws.actor = actor


def _contract(ws: Any, opp_id: str, until: str, *, force: bool = False,
              reason: str | None = None, **attrs: Any) -> str:
    """A contract for the deal, reviewed, approved and signed as far as ``until``."""
    from kam.services import contracts

    attrs = {"acceptance_criteria": _t("按技术协议逐项验收，出具验收证书"),
             "change_cost": _t("需求变更按 2000 元/人天计费"),
             "service_end": (ws.today + dt.timedelta(days=3 * 365)).isoformat(),
             "terms": [_t("delivery_place=客户现场"), _t("dispute=提交上海仲裁委员会仲裁")]} | attrs
    c = contracts.create(ws, opp_id, **attrs)
    margin = ws.get("opportunity", opp_id).get("margin") or Decimal(30)
    cost = c["amount"] * (100 - margin) / 100
    _costs(ws, c["id"], "estimate", cost)  # 概算 at bid, 预算 a little above it at signing
    _costs(ws, c["id"], "budget", cost * Decimal("1.02"))
    if until == "draft":
        return c["id"]
    contracts.review(ws, c["id"])
    needed = contracts.missing_roles(ws, ws.get("contract", c["id"]))
    for role in needed[: 1 if until == "in_review" else None]:
        _as(ws, APPROVERS.get(role, role), contracts.approve, ws, c["id"], role=role,
            comment=_t("同意"))
    if until == "signed":
        contracts.sign(ws, c["id"], force=force, reason=reason)
    return c["id"]


#: how the demo's contract costs split by category (the last takes the rounding)
COST_SHARES = (("hardware", 60), ("labour", 30), ("travel", 10))


def _costs(ws: Any, contract_id: str, stage: str, total: Decimal, **kw: Any) -> None:
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


def _contracts(ws: Any, today: dt.date, opp_ids: list[str]) -> None:
    """After signing: deliveries, acceptances, payments (some late), a closed and a
    terminated contract, a write-off; contracts waiting in draft, review and approval."""
    from kam.services import contract_lifecycle as life
    from kam.services import contracts, deliveries, opportunities, payments, receivables

    def on(days_ago: int) -> str:
        ws.today = today - dt.timedelta(days=days_ago)
        return ws.today.isoformat()

    def signed(n: int) -> tuple[str, list[dict]]:
        c = next(iter(contracts.list_(ws, opp=opp_ids[n], status="signed")))
        return c["id"], receivables.of_contract(ws, c["id"])

    co, ms = signed(0)  # 智能变电站: down payment on time, delivery payment half and late
    on(85)
    payments.record(ws, co, str(ms[0]["amount"]), ref=_t("招行回单 0001"))
    on(74)  # 发货流程: request, review by the sales manager, outbound, customer's confirmation
    dl = deliveries.request(ws, co, note=_t("一次性整体发货"))["id"]
    _as(ws, APPROVERS["sales_manager"], deliveries.approve, ws, dl, comment=_t("同意"))
    deliveries.ship(ws, dl, on(72))
    deliveries.confirm(ws, dl, on(70))
    life.accept(ws, co, on(30), "initial")
    payments.record(ws, co, str(ms[1]["amount"] / 2), ref=_t("招行回单 0002"))
    amount = ws.get("contract", co)["amount"]
    _costs(ws, co, "actual", amount * Decimal("0.45"), revenue=str(amount * Decimal("0.6")))
    late_delivery = ms[1]["id"]
    co, ms = signed(16)  # Warehouse scanners: paid through acceptance, closed
    on(40)
    payments.record(ws, co, str(ms[0]["amount"]), ref="DBS 7781")
    life.deliver(ws, co, on(38))
    payments.record(ws, co, str(ms[1]["amount"]), ref="DBS 7790")
    life.accept(ws, co, on(25), "final")
    payments.record(ws, co, str(ms[2]["amount"]), ref="DBS 7802")
    amount = ws.get("contract", co)["amount"]
    _costs(ws, co, "actual", amount * Decimal("0.70"), revenue=str(amount))
    _costs(ws, co, "final", amount * Decimal("0.72"))  # 决算 before 结项
    life.close(ws, co, on(5))
    co, ms = signed(17)  # 数据治理咨询: a third of the advance, then terminated
    on(30)
    payments.record(ws, co, str((ms[0]["amount"] / 3).quantize(ms[0]["amount"])))
    life.terminate(ws, co, _t("客户组织架构调整，项目取消"), on(12))
    for m in ms[1:]:
        receivables.write_off(ws, m["id"], by=_t("财务总监 周敏"), reason=_t("合同终止，不再收取"))
    on(0)
    # 催收说明: the late half of the delivery payment, promised in three days
    receivables.note(ws, late_delivery, "cash_trouble",
                     (today + dt.timedelta(days=3)).isoformat(), _t("客户财务：月底资金到位后付款"))
    _contract(ws, opp_ids[1], "approved")  # 配网自动化二期
    _contract(ws, opp_ids[9], "in_review")  # GMP data integrity suite
    _contract(ws, opp_ids[9], "draft", title="Service level agreement", amount="60000",
              plan="fixed_date:50%:" + (today + dt.timedelta(days=90)).isoformat()
              + ",fixed_date:50%:" + (today + dt.timedelta(days=270)).isoformat())
    _contract(ws, opp_ids[0], "signed", title=_t("运维服务（首年）"), amount="300000",
              plan="down_payment:50%:+10d,on_acceptance:50%:+30d")
    # a framework agreement billed on fixed dates, nothing paid: overdue in every bucket
    dates = [(today - dt.timedelta(days=d)).isoformat() for d in (250, 120, 75, 10, -40)]
    on(300)
    framework = opportunities.add(ws, ws.get("opportunity", opp_ids[0])["customer_id"],
                                  _t("备品备件框架协议"), amount="500000", owner=_t("张伟"),
                                  importance="N", margin="25")
    # a one-year framework agreement: its service ends within 90 days, and its renewal
    # (续单) is already being worked
    yearly = _contract(ws, framework["id"], "signed", amount="500000",
                       plan=",".join(f"fixed_date:20%:{d}" for d in dates),
                       service_end=(ws.today + dt.timedelta(days=365)).isoformat(),
                       force=True, reason=_t("框架协议按采购目录直接签约，未走招投标"))
    on(0)
    opportunities.add(ws, framework["customer_id"], _t("备品备件框架协议（续签）"),
                      amount="520000", owner=_t("张伟"), importance="N",
                      renews_contract_id=yearly,
                      close_date=(today + dt.timedelta(days=45)).isoformat())


def _targets(ws: Any, today: dt.date, cust_ids: list[str]) -> None:
    """The year's plan (计划): a team target with floor and stretch split to its members,
    a customer's share, a quarter inside the year, and one USD target."""
    from kam.services import targets

    year, team = str(today.year), _t("华东销售部")
    quarter = f"{year}-Q{(today.month - 1) // 3 + 1}"
    ws.actor = _t("刘洋")
    targets.set_target(ws, team, year, "12000000", floor="10000000", stretch="15000000",
                       responsible=_t("刘洋"))
    for owner, amount, floor, stretch in ((_t("张伟"), "7000000", "6000000", "8500000"),
                                          (_t("李娜"), "3000000", "2500000", "3600000"),
                                          (_t("王磊"), "1500000", None, None)):
        targets.set_target(ws, owner, year, amount, team=team, floor=floor, stretch=stretch)
    targets.set_target(ws, _t("张伟"), year, "4000000", customer=cust_ids[0])
    targets.set_target(ws, _t("张伟"), quarter, "2000000")
    q = today.year * 4 + (today.month - 1) // 3 + 1  # next quarter: its deals are open
    targets.set_target(ws, _t("张伟"), f"{q // 4}-Q{q % 4 + 1}", "3000000", floor="2400000",
                       stretch="3600000")
    targets.set_target(ws, "Emily Chen", year, "800000", currency="USD", floor="600000")


def _flags(ws: Any) -> None:
    """异常客户: the rule ``kam check`` runs raises ``low_credit`` today for the customer whose
    framework agreement is 90+ days overdue, left open for someone to review; its note in
    the demo's language, as the rest of the demo's data."""
    from kam.services import check

    ws.actor = "demo"
    check.raise_anomaly_flags(ws, lang=_LANG)


def _service(ws: Any, today: dt.date, opp_ids: list[str]) -> None:
    """After-sales service (客户服务): service calls of each type under the signed
    contracts and without one, surveys of most, and complaints — a serious one escalated
    to the vice president, one replied and closed, one still open."""
    from kam.services import complaints, service

    def on(days_ago: int) -> str:
        ws.today = today - dt.timedelta(days=days_ago)
        return ws.today.isoformat()

    def contract_of(n: int) -> dict[str, Any]:
        return next(iter(ws.storage.find("contract", {"opportunity_id": opp_ids[n]},
                                         order_by=("id",))))

    power, scanners = contract_of(0), contract_of(16)
    calls = [  # contract or customer, type, engineer, days ago, hours, cost, survey
        (power, "contract", "赵工", 60, "4", "1200", ("very_satisfied", "satisfied",
                                                     "satisfied", "very_satisfied")),
        (power, "paid", "赵工", 45, "6.5", "3800", ("satisfied", "satisfied", "average",
                                                   "satisfied")),
        (power, "free", "钱工", 20, "2", "600", ("average", "satisfied", "poor", "average")),
        (scanners, "contract", "Kevin Lim", 30, "3", "450", ("very_satisfied",
                                                             "very_satisfied",
                                                             "satisfied", "satisfied")),
        (scanners, "internal", "Kevin Lim", 12, "1.5", "0", None),
        (None, "free", "钱工", 8, "1", "200", ("satisfied", "average", "satisfied",
                                               "satisfied")),
    ]
    customer = power["customer_id"]
    for contract, kind, engineer, days_ago, hours, cost, answers in sorted(
            calls, key=lambda c: -int(str(c[3]))):
        on(days_ago)
        ws.actor = _t(engineer)
        record = service.log(ws, contract["customer_id"] if contract else ws.get(
            "opportunity", opp_ids[12])["customer_id"], type=kind,
            contract=contract["id"] if contract else None, engineer=_t(engineer),
            hours=hours, cost=cost, voucher=f"FW-{today.year}-{days_ago:03d}",
            remote=kind == "free", note=_t("现场巡检与故障处理"))
        if answers is not None:
            on(days_ago - 2)
            service.survey(ws, record["id"], attitude=answers[0], skill=answers[1],
                           arrival=answers[2], promises=answers[3],
                           respondent=_t("客户项目组"))
    ws.actor = _t("张伟")
    on(25)
    done = complaints.add(ws, customer, severity="normal", contract=power["id"],
                          owner=_t("张伟"), note=_t("工程师到场晚于约定时间"))
    on(22)
    complaints.reply(ws, done["id"], _t("已致歉并调整排班，承诺两小时内到场"))
    on(18)
    complaints.close(ws, done["id"], _t("客户确认满意"))
    on(15)
    complaints.add(ws, customer, severity="serious", contract=power["id"], owner=_t("张伟"),
                   note=_t("监控平台宕机四小时，影响调度"))
    on(5)
    complaints.add(ws, scanners["customer_id"], severity="minor", owner="Emily Chen",
                   note="Scanner manual only in Chinese")


def _summary(path: Path, plugins: Any, lang: str | None) -> str:
    """The pipeline and aging reports of the new workspace, and where to go next."""
    from kam.services import reports
    from kam.workspace import Workspace

    ws = Workspace.open(path, plugins=plugins, lang=lang)
    try:
        shown = [reports.render_table(reports.build(ws, name)).rstrip("\n")
                 for name in ("pipeline", "aging")]
        counts = {plural: ws.storage.count(kind) for kind, plural in (
            ("customer", "customers"), ("opportunity", "opportunities"),
            ("activity", "activities"), ("contract", "contracts"),
            ("receivable", "payment milestones"), ("payment", "payments"))}
    finally:
        ws.close()
    totals = ", ".join(f"{n} {plural}" for plural, n in counts.items())
    return (
        f"kam demo workspace built at {path}\n{totals}\n\n"
        + "\n\n".join(shown)
        + "\n\nExplore it:\n"
        f"  kam --workspace {path} opp list\n"
        f"  kam --workspace {path} opp show OP3          # what its next gate still needs\n"
        f"  kam --workspace {path} receivable list --overdue\n"
        f"  kam --workspace {path} report battle-map --format md\n"
        f"  kam --workspace {path} check                 # due/overdue, as cron would run it\n"
        f"  kam --workspace {path} history OP1\n"
        f"  kam --workspace {path} customer list --flagged   # 异常客户, raised by the rule\n"
        f"  kam --workspace {path} report service        # satisfaction, complaints, cost\n"
        f"  export KAM_HOME={path}   # then plain `kam opp list`\n"
    )
