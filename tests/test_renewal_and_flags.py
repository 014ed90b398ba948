"""kam check's renewal reminders (续单) and anomaly flags (low_credit), each once;
``--renewal-of`` links a renewal deal; ``customer list --flagged``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from kam.services import check, customers, opportunities
from kam.workspace import Workspace

D = Decimal
one_backend = pytest.mark.parametrize("backend", ["sqlite"])


def insert(ws: Workspace, kind: str, record: dict[str, Any]) -> str:
    with ws.mutation("test.seeded") as m:
        record = {**record, "id": ws.storage.next_id(kind)}
        ws.storage.insert(kind, record)
        m.record_id = record["id"]
    return str(record["id"])


def contract(ws: Workspace, cu: str, service_end: dt.date) -> str:
    op = opportunities.add(ws, cu, "原合同", amount="100000", owner="张伟")["id"]
    return insert(ws, "contract", {"opportunity_id": op, "customer_id": cu, "number": f"N-{op}",
                                   "owner": "张伟", "amount": D("100000.00"), "currency": "CNY",
                                   "status": "executing", "signed_on": dt.date(2025, 12, 1),
                                   "service_end": service_end})


@one_backend
def test_renewal_reminder_fires_once_and_not_for_a_renewed_contract(ws: Workspace) -> None:
    cu = customers.add(ws, "华东电力集团")["id"]
    today = ws.today
    soon = contract(ws, cu, today + dt.timedelta(days=30))
    later = contract(ws, cu, today + dt.timedelta(days=200))           # beyond 90 days
    renewed = contract(ws, cu, today + dt.timedelta(days=10))
    opportunities.add(ws, cu, "续单", amount="90000", renews_contract_id=renewed)
    first = check.run(ws)
    assert [(r["contract_id"], r["days_left"]) for r in first["renewals"]] == [(soon, 30)]
    assert check.run(ws)["renewals"] == []                            # once
    events = list(ws.storage.events(kinds=["contract.renewal_due"]))
    assert [e["record_id"] for e in events] == [soon]
    ws.config["contracts"] = {"renewal_reminder_days": 365}
    assert [r["contract_id"] for r in check.run(ws)["renewals"]] == [later]


@one_backend
def test_money_90_days_overdue_raises_low_credit_once_for_review(ws: Workspace) -> None:
    cu = customers.add(ws, "华东电力集团")["id"]
    other = customers.add(ws, "杭州云栖")["id"]
    for who, days in ((cu, 95), (cu, 120), (other, 89)):
        co = contract(ws, who, ws.today + dt.timedelta(days=400))
        insert(ws, "receivable", {"contract_id": co, "customer_id": who, "seq": 1,
                                  "kind": "fixed_date", "amount": D("1000.00"),
                                  "currency": "CNY",
                                  "due_date": ws.today - dt.timedelta(days=days)})
    first = check.run(ws)
    assert [(f["customer_id"], f["type"]) for f in first["flagged"]] == [(cu, "low_credit")]
    assert check.run(ws)["flagged"] == []                             # still open: once
    assert [c["id"] for c in customers.list_(ws, flagged=True)] == [cu]
    flag = ws.get("customer", cu)["flags"][0]
    assert (flag["collected_by"], flag["reviewed_by"]) == ("kam check", None)
    customers.review_flag(ws, cu, "low_credit", "cleared")            # anyone may review it
    assert list(customers.list_(ws, flagged=True)) == []


@one_backend
def test_a_plugins_anomaly_rule_raises_its_own_flag_type(ws: Workspace) -> None:
    from kam.api import hookimpl, warn

    class Watch:
        @hookimpl
        def kam_customer_anomalies(self, ws: Any, customer: Any, overdue: Any) -> list[Any]:
            return [warn("churn_risk", f"{len(overdue)} overdue"), warn("not_a_flag", "x")]

    ws.plugins.pm.register(Watch(), name="watch")
    cu = customers.add(ws, "华东电力集团")["id"]
    co = contract(ws, cu, ws.today + dt.timedelta(days=400))
    insert(ws, "receivable", {"contract_id": co, "customer_id": cu, "seq": 1,
                              "kind": "fixed_date", "amount": D("1000.00"), "currency": "CNY",
                              "due_date": ws.today - dt.timedelta(days=5)})
    got = check.run(ws)["flagged"]
    assert [(f["type"], f["note"]) for f in got] == [("churn_risk", "1 overdue")]


def test_renewal_of_links_the_deal_and_flagged_lists_through_the_cli(kam: Any) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    ws = kam.workspace()
    try:
        co = contract(ws, cu, ws.today + dt.timedelta(days=20))
    finally:
        ws.close()
    op = kam.json("opp", "add", cu, "续单", "--amount", "90000", "--renewal-of", co)
    assert op["renews_contract_id"] == co
    deals = kam.json("report", "renewals")["tables"]["renewal_deals"]["rows"]
    assert [d["id"] for d in deals] == [op["id"]]
    assert kam.json("customer", "list", "--flagged") == []
    kam.ok("customer", "flag", cu, "--type", "churn_risk")
    assert [c["id"] for c in kam.json("customer", "list", "--flagged")] == [cu]
