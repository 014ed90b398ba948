"""The demo's contracts after signing (合同执行): deliveries, acceptances, payments (some
late), a closed and a terminated contract, a write-off, a collection note, contracts
waiting in draft, review and approval, and a framework agreement up for renewal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kam.demo.deals import as_user, contract, costs
from kam.demo.story import Story


def contracts_after_signing(ws: Any, story: Story, today: dt.date,
                            opp_ids: list[str]) -> None:
    from kam.services import contract_lifecycle as life
    from kam.services import contracts, deliveries, opportunities, payments, receivables

    t = story.t

    def on(days_ago: int) -> str:
        ws.today = today - dt.timedelta(days=days_ago)
        return ws.today.isoformat()

    def signed(n: int) -> tuple[str, list[dict]]:
        c = next(iter(contracts.list_(ws, opp=opp_ids[n], status="signed")))
        return c["id"], receivables.of_contract(ws, c["id"])

    co, ms = signed(0)  # 智能变电站: down payment on time, delivery payment half and late
    on(85)
    payments.record(ws, co, str(ms[0]["amount"]), ref=t("招行回单 0001"))
    on(74)  # 发货流程: request, review by the sales manager, outbound, customer's confirmation
    dl = deliveries.request(ws, co, note=t("一次性整体发货"))["id"]
    as_user(ws, story.approvers["sales_manager"], deliveries.approve, ws, dl,
            comment=t("同意"))
    deliveries.ship(ws, dl, on(72))
    deliveries.confirm(ws, dl, on(70))
    life.accept(ws, co, on(30), "initial")
    payments.record(ws, co, str(ms[1]["amount"] / 2), ref=t("招行回单 0002"))
    amount = ws.get("contract", co)["amount"]
    costs(ws, co, "actual", amount * Decimal("0.45"), revenue=str(amount * Decimal("0.6")))
    late_delivery = ms[1]["id"]
    co, ms = signed(16)  # Warehouse scanners: paid through acceptance, closed
    on(40)
    payments.record(ws, co, str(ms[0]["amount"]), ref="DBS 7781")
    life.deliver(ws, co, on(38))
    payments.record(ws, co, str(ms[1]["amount"]), ref="DBS 7790")
    life.accept(ws, co, on(25), "final")
    payments.record(ws, co, str(ms[2]["amount"]), ref="DBS 7802")
    amount = ws.get("contract", co)["amount"]
    costs(ws, co, "actual", amount * Decimal("0.70"), revenue=str(amount))
    costs(ws, co, "final", amount * Decimal("0.72"))  # 决算 before 结项
    life.close(ws, co, on(5))
    co, ms = signed(17)  # 数据治理咨询: a third of the advance, then terminated
    on(30)
    payments.record(ws, co, str((ms[0]["amount"] / 3).quantize(ms[0]["amount"])))
    life.terminate(ws, co, t("客户组织架构调整，项目取消"), on(12))
    for m in ms[1:]:
        receivables.write_off(ws, m["id"], by=t("财务总监 周敏"), reason=t("合同终止，不再收取"))
    on(0)
    # 催收说明: the late half of the delivery payment, promised in three days
    receivables.note(ws, late_delivery, "cash_trouble",
                     (today + dt.timedelta(days=3)).isoformat(), t("客户财务：月底资金到位后付款"))
    contract(ws, story, opp_ids[1], "approved")  # 配网自动化二期
    contract(ws, story, opp_ids[9], "in_review")  # GMP data integrity suite
    contract(ws, story, opp_ids[9], "draft", title="Service level agreement", amount="60000",
             plan="fixed_date:50%:" + (today + dt.timedelta(days=90)).isoformat()
             + ",fixed_date:50%:" + (today + dt.timedelta(days=270)).isoformat())
    contract(ws, story, opp_ids[0], "signed", title=t("运维服务（首年）"), amount="300000",
             plan="down_payment:50%:+10d,on_acceptance:50%:+30d")
    # a framework agreement billed on fixed dates, nothing paid: overdue in every bucket
    dates = [(today - dt.timedelta(days=d)).isoformat() for d in (250, 120, 75, 10, -40)]
    on(300)
    framework = opportunities.add(ws, ws.get("opportunity", opp_ids[0])["customer_id"],
                                  t("备品备件框架协议"), amount="500000", owner=t("张伟"),
                                  importance="N", margin="25")
    # a one-year framework agreement: its service ends within 90 days, and its renewal
    # (续单) is already being worked
    yearly = contract(ws, story, framework["id"], "signed", amount="500000",
                      plan=",".join(f"fixed_date:20%:{d}" for d in dates),
                      service_end=(ws.today + dt.timedelta(days=365)).isoformat(),
                      force=True, reason=t("框架协议按采购目录直接签约，未走招投标"))
    on(0)
    opportunities.add(ws, framework["customer_id"], t("备品备件框架协议（续签）"),
                      amount="520000", owner=t("张伟"), importance="N",
                      renews_contract_id=yearly,
                      close_date=(today + dt.timedelta(days=45)).isoformat())
