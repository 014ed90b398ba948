"""Customer revenue classes (经常性/新增/流失/累计) against a hand-built history of three
customers over four quarters: one growing, one steady, one lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from kam.services import customers, opportunities, reports
from kam.workspace import Workspace

D = Decimal


def insert(ws: Workspace, kind: str, record: dict[str, Any]) -> str:
    with ws.mutation("test.seeded") as m:
        record = {**record, "id": ws.storage.next_id(kind)}
        ws.storage.insert(kind, record)
        m.record_id = record["id"]
    return str(record["id"])


def paying_customer(ws: Workspace, name: str, owner: str, paid: dict[str, str]) -> str:
    """A customer with one signed contract and a payment on each given date."""
    cu = customers.add(ws, name)["id"]
    op = opportunities.add(ws, cu, name, amount="1000000", owner=owner)["id"]
    co = insert(ws, "contract", {"opportunity_id": op, "customer_id": cu, "number": name,
                                 "owner": owner, "amount": D("1000000.00"), "currency": "CNY",
                                 "status": "executing", "signed_on": dt.date(2025, 12, 1)})
    for day, amount in paid.items():
        insert(ws, "payment", {"contract_id": co, "customer_id": cu, "amount": D(amount),
                               "currency": "CNY", "date": dt.date.fromisoformat(day)})
    return str(cu)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_revenue_classes_of_a_growing_a_steady_and_a_lost_customer(ws: Workspace) -> None:
    ws.today = dt.date(2026, 12, 31)
    grow = paying_customer(ws, "成长", "张伟", {"2026-02-01": "100", "2026-05-01": "150",
                                              "2026-08-01": "200", "2026-11-01": "300"})
    steady = paying_customer(ws, "稳定", "张伟", {"2026-01-15": "100", "2026-04-15": "100",
                                                "2026-07-15": "100", "2026-10-15": "100"})
    lost = paying_customer(ws, "流失", "李娜", {"2026-03-01": "120", "2026-03-20": "80",
                                              "2026-06-01": "100"})
    report = reports.build(ws, "renewals")
    table = report.table("revenue")
    got = {(r["customer_id"], r["period"]): (r["revenue"], r["recurring"], r["new"],
                                             r["churned"], r["cumulative"])
           for r in table.rows}
    z = D("0.00")
    # growing: new is the growth over the quarter before; recurring what came again
    assert [got[(grow, f"2026-Q{q}")] for q in range(1, 5)] == [
        (D("100"), z, D("100"), z, D("100")), (D("150"), D("100"), D("50"), z, D("250")),
        (D("200"), D("150"), D("50"), z, D("450")), (D("300"), D("200"), D("100"), z, D("750"))]
    # steady: new in its first quarter only, then all recurring
    assert [got[(steady, f"2026-Q{q}")] for q in range(1, 5)] == [
        (D("100"), z, D("100"), z, D("100")), (D("100"), D("100"), z, z, D("200")),
        (D("100"), D("100"), z, z, D("300")), (D("100"), D("100"), z, z, D("400"))]
    # lost: 200 in Q1 (two payments), 100 in Q2, then nothing: churned 100 then 100
    assert [got[(lost, f"2026-Q{q}")] for q in range(1, 5)] == [
        (D("200"), z, D("200"), z, D("200")), (D("100"), D("100"), z, D("100"), D("300")),
        (z, z, z, D("100"), D("300")), (z, z, z, z, D("300"))]
    totals = {t["period"]: t for t in table.totals}
    assert (totals["2026-Q3"]["revenue"], totals["2026-Q3"]["recurring"],
            totals["2026-Q3"]["new"], totals["2026-Q3"]["churned"]) == (
        D("300"), D("250"), D("50"), D("100"))      # 200+100+0; 150+100+0; 50; 100
    # reconciles: this period = recurring + new; last period = recurring + churned
    for r in table.rows:
        assert r["revenue"] == r["recurring"] + r["new"]
        before = {"2026-Q1": None, "2026-Q2": "2026-Q1", "2026-Q3": "2026-Q2",
                  "2026-Q4": "2026-Q3"}[r["period"]]
        was = got.get((r["customer_id"], before), (z,))[0] if before else z
        assert was == r["recurring"] + r["churned"]
    # by owner: 李娜 has only the lost customer
    mine = reports.build(ws, "renewals", owner="李娜").table("revenue").rows
    assert {r["customer_id"] for r in mine} == {lost}
    # the account card shows the same rows for its customer
    card = reports.build(ws, "account", record_id=grow).table("revenue").rows
    assert card == [r for r in table.rows if r["customer_id"] == grow]
