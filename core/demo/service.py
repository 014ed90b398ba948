"""The demo's after-sales service (客户服务): service calls of each type under the signed
contracts and without one, surveys of most, and complaints — a serious one escalated to
the vice president, one replied and closed, one still open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kam.demo.story import Story


def after_sales(ws: Any, story: Story, today: dt.date, opp_ids: list[str]) -> None:
    from kam.services import complaints, service

    t = story.t

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
        ws.actor = t(engineer)
        record = service.log(ws, contract["customer_id"] if contract else ws.get(
            "opportunity", opp_ids[12])["customer_id"], type=kind,
            contract=contract["id"] if contract else None, engineer=t(engineer),
            hours=hours, cost=cost, voucher=f"FW-{today.year}-{days_ago:03d}",
            remote=kind == "free", note=t("现场巡检与故障处理"))
        if answers is not None:
            on(days_ago - 2)
            service.survey(ws, record["id"], attitude=answers[0], skill=answers[1],
                           arrival=answers[2], promises=answers[3],
                           respondent=t("客户项目组"))
    ws.actor = t("张伟")
    on(25)
    done = complaints.add(ws, customer, severity="normal", contract=power["id"],
                          owner=t("张伟"), note=t("工程师到场晚于约定时间"))
    on(22)
    complaints.reply(ws, done["id"], t("已致歉并调整排班，承诺两小时内到场"))
    on(18)
    complaints.close(ws, done["id"], t("客户确认满意"))
    on(15)
    complaints.add(ws, customer, severity="serious", contract=power["id"], owner=t("张伟"),
                   note=t("监控平台宕机四小时，影响调度"))
    on(5)
    complaints.add(ws, scanners["customer_id"], severity="minor", owner="Emily Chen",
                   note="Scanner manual only in Chinese")
