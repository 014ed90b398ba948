"""Aging, battle map, handover and renewals on a hand-built set of contracts and
payment milestones (known answers worked out in the comments)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from kam.services import reports
from kam.workspace import Workspace
from test_reports import customer, opp, seed_insert

D = Decimal
day = dt.date.fromisoformat
AS_OF = dt.date(2026, 3, 2)


def contract(ws: Workspace, op: str, cu: str, number: str, amount: str, currency: str = "CNY",
             owner: str = "张伟", **extra: Any) -> str:
    return seed_insert(ws, "contract", {
        "opportunity_id": op, "customer_id": cu, "number": number, "owner": owner,
        "amount": D(amount), "currency": currency, "status": "executing",
        "signed_on": day("2025-05-01"), **extra})


def milestone(ws: Workspace, co: str, cu: str, seq: int, kind: str, amount: str,
              due: str | None, paid: str = "0", currency: str = "CNY", **extra: Any) -> str:
    return seed_insert(ws, "receivable", {
        "contract_id": co, "customer_id": cu, "seq": seq, "kind": kind, "amount": D(amount),
        "currency": currency, "due_date": day(due) if due else None, "paid": D(paid), **extra})


@pytest.fixture
def collect_ws(ws: Workspace) -> Workspace:
    cu1 = customer(ws, "华东电力集团")
    cu2 = customer(ws, "Northwind Logistics")
    op1 = opp(ws, cu1, "智能变电站", "210000")
    op2 = opp(ws, cu2, "Fleet pilot", "7000", currency="USD", owner="Emily Chen")
    co1 = contract(ws, op1, cu1, "HT-001", "210000", delivered_on=day("2025-06-01"),
                   service_end=day("2026-04-01"))
    milestone(ws, co1, cu1, 1, "down_payment", "60000", "2025-05-11", paid="60000")  # paid
    milestone(ws, co1, cu1, 2, "on_delivery", "10000", "2026-03-10")    # not due
    milestone(ws, co1, cu1, 3, "on_delivery", "20000", "2026-02-20", paid="5000")  # 10 days
    milestone(ws, co1, cu1, 4, "on_acceptance", "30000", "2026-01-01")  # 60 days
    milestone(ws, co1, cu1, 5, "fixed_date", "40000", "2025-12-01")     # 91 days
    milestone(ws, co1, cu1, 6, "warranty", "50000", "2025-06-01")       # 274 days
    co2 = contract(ws, op1, cu1, "HT-002", "8000")
    milestone(ws, co2, cu1, 1, "down_payment", "8000", "2025-01-01",
              written_off=D("8000"), written_off_on=day("2025-12-31"))  # written off
    co3 = contract(ws, op2, cu2, "NW-1", "7000", currency="USD", owner="Emily Chen",
                   service_end=day("2026-12-31"))
    milestone(ws, co3, cu2, 1, "on_delivery", "7000", None, currency="USD")  # scheduled
    seed_insert(ws, "attachment", {"contract_id": co1, "kind": "contract", "name": "HT-001.pdf",
                                   "path": "HT-001.pdf", "sha256": "0" * 64, "size": 1})
    from kam.services import activities

    activities.log(ws, cu1, type="visit", date="2026-02-20", owner="张伟")
    opp(ws, cu1, "续约：智能变电站运维", "90000", renews_contract_id=co1)
    ws.today = AS_OF
    return ws


def test_aging_buckets_by_currency_customer_and_owner(collect_ws: Workspace) -> None:
    report = reports.build(collect_ws, "aging")
    cny = next(r for r in report.table("by_currency").rows if r["currency"] == "CNY")
    assert cny == {"currency": "CNY", "not_due": D("10000.00"), "1-30": D("15000.00"),
                   "31-60": D("30000.00"), "61-90": D("0.00"), "91-180": D("40000.00"),
                   "180+": D("50000.00"), "total": D("145000.00")}
    # the buckets add up to the outstanding total: 10000 + 15000 + 30000 + 40000 + 50000
    assert sum(v for k, v in cny.items() if k not in ("currency", "total")) == cny["total"]
    usd = next(r for r in report.table("by_currency").rows if r["currency"] == "USD")
    assert (usd["not_due"], usd["total"]) == (D("7000.00"), D("7000.00"))
    by_customer = {(r["customer"], r["currency"]): r["total"]
                   for r in report.table("by_customer").rows}
    assert by_customer == {("华东电力集团", "CNY"): D("145000.00"),
                           ("Northwind Logistics", "USD"): D("7000.00")}
    by_owner = {(r["owner"], r["currency"]): r["total"] for r in report.table("by_owner").rows}
    assert by_owner == {("张伟", "CNY"): D("145000.00"), ("Emily Chen", "USD"): D("7000.00")}


def test_aging_buckets_are_configurable(collect_ws: Workspace) -> None:
    report = reports.build(collect_ws, "aging", buckets="30,90", currency="CNY")
    assert report.table("by_currency").rows == [{
        "currency": "CNY", "not_due": D("10000.00"), "1-30": D("15000.00"),
        "31-90": D("30000.00"), "90+": D("90000.00"), "total": D("145000.00")}]


def test_battle_map_one_row_per_contract_in_collection(collect_ws: Workspace) -> None:
    rows = {r["number"]: r for r in reports.build(collect_ws, "battle-map")
            .table("contracts").rows}
    assert set(rows) == {"HT-001", "NW-1"}  # HT-002 is written off: nothing to collect
    ht = rows["HT-001"]
    assert ht["collected"] == D("65000.00")          # 60000 + 5000
    assert ht["collected_pct"] == D("30.95")         # 65000 / 210000 = 30.952…
    assert ht["outstanding"] == D("145000.00")
    assert len(ht["milestones"]) == 6                # six milestones, as data
    assert {m["kind"] for m in ht["milestones"]} >= {"down_payment", "warranty"}
    assert sum(m["amount"] for m in ht["milestones"]) == ht["amount"]
    assert "274" in ht["next_action"]                # the oldest overdue one first
    assert (ht["qing"], ht["li"], ht["fa"]) == (True, True, False)  # no delivery note
    nw = rows["NW-1"]
    assert (nw["collected_pct"], nw["qing"], nw["li"]) == (D("0.00"), False, False)
    assert "deliver" in nw["next_action"]


def test_renewals_and_handover(collect_ws: Workspace) -> None:
    report = reports.build(collect_ws, "renewals", days=60)
    ending = report.table("ending").rows
    assert [(r["number"], r["days_left"], r["renewal"]) for r in ending] == [
        ("HT-001", 30, ["OP3"])]  # 2026-03-02 → 2026-04-01; NW-1 ends in December
    assert [r["id"] for r in report.table("renewal_deals").rows] == ["OP3"]
    from test_reports import seed_update

    seed_update(collect_ws, "contract", "CO1", {"handover": {
        "pm": "赵工", "scope": "变电站监控\n二期扩容", "implementation_fee": "20000.00"}})
    form = reports.build(collect_ws, "handover", "CO1")
    values = {r["field"]: r["value"] for r in form.table("form").rows}
    assert values["contract_number"] == "HT-001" and values["customer"] == "华东电力集团"
    assert values["project"] == "智能变电站"
    assert {r["role"]: r["name"] for r in form.table("signatures").rows}["pm"] == "赵工"
