"""The demo's plans (计划): the salespeople's visit plans (拜访计划) and the year's
targets, split from the team to its members, a customer's share and a quarter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kam.demo.story import Story


def visit_plans(ws: Any, story: Story, today: dt.date, cust_ids: list[str]) -> None:
    """拜访计划 of 张伟 and 李娜: this month, this week, and a visit today."""
    from kam.services import visit_plans as plans

    week = f"{today.isocalendar()[0]:04d}-W{today.isocalendar()[1]:02d}"
    for owner, customers in ((story.t("张伟"), (0, 6)), (story.t("李娜"), (1, 4))):
        for n, ci in enumerate(customers):
            plans.plan(ws, owner, today.strftime("%Y-%m"), cust_ids[ci], 4 - n)
            plans.plan(ws, owner, week, cust_ids[ci], 1)
        plans.plan(ws, owner, today.isoformat(), cust_ids[customers[0]], 1,
                   story.t("送技术方案并约高层会谈"))


def targets(ws: Any, story: Story, today: dt.date, cust_ids: list[str]) -> None:
    """The year's plan: a team target with floor and stretch split to its members, a
    customer's share, a quarter inside the year, and one USD target."""
    from kam.services import targets as plan

    t = story.t
    year, team = str(today.year), t("华东销售部")
    quarter = f"{year}-Q{(today.month - 1) // 3 + 1}"
    ws.actor = t("刘洋")
    plan.set_target(ws, team, year, "12000000", floor="10000000", stretch="15000000",
                    responsible=t("刘洋"))
    for owner, amount, floor, stretch in ((t("张伟"), "7000000", "6000000", "8500000"),
                                          (t("李娜"), "3000000", "2500000", "3600000"),
                                          (t("王磊"), "1500000", None, None)):
        plan.set_target(ws, owner, year, amount, team=team, floor=floor, stretch=stretch)
    plan.set_target(ws, t("张伟"), year, "4000000", customer=cust_ids[0])
    plan.set_target(ws, t("张伟"), quarter, "2000000")
    q = today.year * 4 + (today.month - 1) // 3 + 1  # next quarter: its deals are open
    plan.set_target(ws, t("张伟"), f"{q // 4}-Q{q % 4 + 1}", "3000000", floor="2400000",
                    stretch="3600000")
    plan.set_target(ws, "Emily Chen", year, "800000", currency="USD", floor="600000")
