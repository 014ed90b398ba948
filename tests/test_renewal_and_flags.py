"""kam check's renewal reminders (续单) and anomaly flags (low_credit), each once;
``--renewal-of`` links a renewal deal; ``customer list --flagged``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from kam.services import check, check_renewals, customers, opportunities
from kam.services.check_anomalies import (
    anomaly_candidates,
    anomaly_flags,
    may_flag,
    overdue_by_customer,
)
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


def _set(ws: Workspace, kind: str, record_id: str, changes: dict[str, Any]) -> None:
    with ws.mutation("test.seeded") as m:
        ws.storage.update(kind, record_id, changes)
        m.record_id = record_id


@pytest.mark.parametrize("backend", ["sqlite", "csv"])
def test_renewals_are_for_signed_executing_closed_contracts_without_an_open_or_won_deal(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    # the deals read contract by contract
    monkeypatch.setattr(check_renewals, "CONTRACTS_PER_READ", 1)
    cu = customers.add(ws, "华东电力集团")["id"]
    today = ws.today
    by_status = {}
    for days, status in enumerate(("signed", "executing", "closed", "draft", "terminated")):
        by_status[status] = contract(ws, cu, today + dt.timedelta(days=days))
        _set(ws, "contract", by_status[status], {"status": status})
    by_deal = {}
    for days, deal_status in enumerate(("open", "won", "lost"), start=10):
        by_deal[deal_status] = contract(ws, cu, today + dt.timedelta(days=days))
        deal = opportunities.add(ws, cu, "续单", amount="90000",
                                 renews_contract_id=by_deal[deal_status])["id"]
        _set(ws, "opportunity", deal, {"status": deal_status})
    expected = [by_status["signed"], by_status["executing"], by_status["closed"],
                by_deal["lost"]]
    assert [r["contract_id"] for r in check.run(ws)["renewals"]] == expected
    assert check.run(ws)["renewals"] == []


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


def _overdue(ws: Workspace, cu: str, days: int, paid: str | None = None) -> None:
    co = contract(ws, cu, ws.today + dt.timedelta(days=400))
    insert(ws, "receivable", {"contract_id": co, "customer_id": cu, "seq": 1,
                              "kind": "fixed_date", "amount": D("1000.00"), "currency": "CNY",
                              "paid": None if paid is None else D(paid),
                              "due_date": ws.today - dt.timedelta(days=days)})


@one_backend
def test_with_the_standard_rule_alone_check_asks_only_whom_it_could_flag(ws: Workspace
                                                                          ) -> None:
    """The customers ``kam check`` asks the standard rule about (money ``low_credit_days``
    late, no open low_credit flag) give the flags asking every overdue customer gives."""
    names = ["开着的", "已解除", "已确认", "别的类型", "没有", "刚到期", "已付清", "三十天"]
    cus = {n: customers.add(ws, n)["id"] for n in names}
    for name, days, paid in (("开着的", 95, None), ("已解除", 120, None), ("已确认", 91, None),
                             ("别的类型", 100, None), ("没有", 90, "10.00"), ("刚到期", 89, None),
                             ("已付清", 200, "1000.00"), ("三十天", 30, None)):
        _overdue(ws, cus[name], days, paid)
    with ws.storage.transaction():
        for name, kind, decision in (("开着的", "low_credit", None),
                                     ("已解除", "low_credit", "cleared"),
                                     ("已确认", "low_credit", "confirmed"),
                                     ("别的类型", "churn_risk", None)):
            ws.storage.update("customer", cus[name],
                              {"flags": [{"type": kind, "decision": decision}]})

    def every(days: int) -> list[dict[str, Any]]:   # the hook as promised: everyone overdue
        ws.config["rules"] = {"low_credit_days": days}
        return anomaly_flags(ws, overdue_by_customer(ws), preview=True)

    for days in (90, 30, 0):
        ws.config["rules"] = {"low_credit_days": days}
        only = may_flag(ws, {"low_credit": days})
        assert anomaly_flags(ws, overdue_by_customer(ws, only), True) == every(days)
    low_credit = {"low_credit": 90}
    assert {cus[n] for n in ("已解除", "别的类型", "没有")} == may_flag(ws, low_credit)
    ws.config["rules"] = {}
    first = check.run(ws)["flagged"]
    assert [f["customer_id"] for f in first] == [cus[n] for n in ("已解除", "别的类型", "没有")]
    assert check.run(ws)["flagged"] == []                             # nothing new
    assert may_flag(ws, {"low_credit": 90}) == set()


@one_backend
def test_a_rule_declaring_its_candidates_is_asked_only_about_them(ws: Workspace) -> None:
    """A third-party rule that declares whom it could flag (``kam_anomaly_candidates``)
    keeps the narrowed pass and flags what the full pass flags; one that cannot tell
    (None), fails, or does not declare gets the full pass."""
    from kam.api import hookimpl, warn

    class Watch:
        def __init__(self, answer: Any) -> None:
            self.answer = answer

        @hookimpl
        def kam_customer_anomalies(self, ws: Any, customer: Any, overdue: Any) -> list[Any]:
            late = [v for v in overdue if v["days_overdue"] >= 10]
            return [warn("churn_risk", f"{len(late)} late")] if late else []

        @hookimpl
        def kam_anomaly_candidates(self, ws: Any) -> Any:
            if self.answer == "fail":
                raise RuntimeError("no idea")
            return self.answer

    cus = {days: customers.add(ws, f"客户{days}")["id"] for days in (5, 12, 95)}
    for days, cu in cus.items():
        _overdue(ws, cu, days)
    ws.config["rules"] = {}
    for answer in ({"churn_risk": 10}, None, "fail", {"churn_risk": 7, "low_credit": 100}):
        watch = Watch(answer)
        ws.plugins.pm.register(watch, name="watch")
        try:
            narrowed = answer not in (None, "fail")
            expected = {"low_credit": 90, "churn_risk": answer["churn_risk"]} if narrowed \
                else None  # each flag type from the fewest days any rule declares
            assert anomaly_candidates(ws) == expected
            flagged = anomaly_flags(ws, overdue_by_customer(
                ws, None if expected is None else may_flag(ws, expected)), True)
            assert flagged == anomaly_flags(ws, overdue_by_customer(ws), True)
            assert {(f["customer_id"], f["type"]) for f in flagged} == {
                (cus[12], "churn_risk"), (cus[95], "churn_risk"), (cus[95], "low_credit")}
        finally:
            ws.plugins.pm.unregister(watch)
    assert anomaly_candidates(ws) == {"low_credit": 90}   # the standard rule alone
    first = check.run(ws)["flagged"]
    assert [(f["customer_id"], f["type"]) for f in first] == [(cus[95], "low_credit")]


def test_check_flags_each_late_customer_once_on_every_backend(kam: Any) -> None:
    late, open_, cleared = (kam.id("customer", "add", n)
                            for n in ("华东电力", "杭州云栖", "西安精密"))
    ws = kam.workspace()
    try:
        for cu in (late, open_, cleared):
            _overdue(ws, cu, 120)
    finally:
        ws.close()
    for cu in (open_, cleared):
        kam.ok("customer", "flag", cu, "--type", "low_credit")
    kam.ok("customer", "flag-review", cleared, "--decision", "cleared", env={"KAM_USER": "刘洋"})
    first = kam("check", "-f", "json")
    assert [f["customer_id"] for f in json.loads(first.stdout)["flagged"]] == [late, cleared]
    again = kam("check", "-f", "json")
    assert json.loads(again.stdout)["flagged"] == []
    flags = {cu: [(f["type"], f["decision"]) for f in kam.json("customer", "show", cu)["flags"]]
             for cu in (late, open_, cleared)}
    assert flags == {late: [("low_credit", None)], open_: [("low_credit", None)],
                     cleared: [("low_credit", "cleared"), ("low_credit", None)]}
