"""Reports checked against hand-built workspaces with known answers.

Every expected number below is worked out by hand in the comments next to it,
never taken from the code's own output.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from kam.services import activities, opportunities, reports, targets
from kam.workspace import Workspace

D = Decimal


def seed_update(ws: Workspace, kind: str, record_id: str, changes: dict[str, Any]) -> None:
    """Set stored fields directly (one event), to build a workspace with known answers."""
    with ws.mutation("test.seeded", record_id, {"fields": sorted(changes)}):
        ws.storage.update(kind, record_id, changes)


def seed_insert(ws: Workspace, kind: str, record: dict[str, Any]) -> str:
    with ws.mutation("test.seeded") as m:
        record = {**record, "id": ws.storage.next_id(kind)}
        ws.storage.insert(kind, record)
        m.record_id = record["id"]
    return record["id"]


def customer(ws: Workspace, name: str) -> str:
    from kam.services import customers

    return customers.add(ws, name)["id"]


def opp(ws: Workspace, cu: str, title: str, amount: str, currency: str = "CNY",
        owner: str = "张伟", **changes: Any) -> str:
    record = opportunities.add(ws, cu, title, amount=amount, currency=currency, owner=owner)
    if changes:
        seed_update(ws, "opportunity", record["id"], changes)
    return record["id"]


# --- pipeline -------------------------------------------------------------------------------


@pytest.fixture
def pipeline_ws(ws: Workspace) -> Workspace:
    cu = customer(ws, "华东电力集团")
    opp(ws, cu, "A", "100000.00", stage="proposal", probability=40)
    opp(ws, cu, "B", "250000.50", stage="proposal", probability=40)
    opp(ws, cu, "C", "80000.00", stage="development", probability=10, owner="李娜")
    opp(ws, cu, "D", "50000.00", currency="USD", stage="development", probability=10)
    opp(ws, cu, "E", "33333.33", stage="negotiation", probability=40, forced=True)
    opp(ws, cu, "F", "999999.00", stage="proposal", probability=40, status="lost")
    return ws


def test_pipeline_counts_amounts_and_weighted_sums_per_currency(pipeline_ws: Workspace) -> None:
    report = reports.build(pipeline_ws, "pipeline")
    t = report.table("by_stage")
    cells = {(r["stage"], r["currency"]): r for r in t.rows}
    # proposal CNY: 100000.00 + 250000.50; weighted 40000.00 + 100000.20
    assert cells[("proposal", "CNY")]["count"] == 2
    assert cells[("proposal", "CNY")]["amount"] == D("350000.50")
    assert cells[("proposal", "CNY")]["weighted"] == D("140000.20")
    # negotiation: 33333.33 × 40% = 13333.332 → 13333.33, forced
    assert cells[("negotiation", "CNY")]["weighted"] == D("13333.33")
    assert cells[("negotiation", "CNY")]["forced"] == 1
    assert [r["stage"] for r in t.rows] == ["development", "development", "proposal",
                                           "negotiation"]
    totals = {r["currency"]: r for r in t.totals}
    # CNY: 100000.00 + 250000.50 + 80000.00 + 33333.33 = 463333.83 (the lost deal is out)
    assert totals["CNY"]["amount"] == D("463333.83")
    assert totals["CNY"]["weighted"] == D("40000.00") + D("100000.20") + D("8000.00") + D(
        "13333.33")
    assert totals["CNY"]["count"] == 4
    assert totals["USD"] == {"stage": "total", "currency": "USD", "count": 1,
                             "amount": D("50000.00"), "weighted": D("5000.00"), "forced": 0}
    assert [r["id"] for r in report.table("forced").rows] == ["OP5"]


def test_pipeline_filters_by_owner_and_currency(pipeline_ws: Workspace) -> None:
    t = reports.build(pipeline_ws, "pipeline", owner="李娜").table("by_stage")
    assert [(r["stage"], r["amount"]) for r in t.rows] == [("development", D("80000.00"))]
    t = reports.build(pipeline_ws, "pipeline", currency="usd").table("by_stage")
    assert [(r["currency"], r["weighted"]) for r in t.totals] == [("USD", D("5000.00"))]


# --- funnel -----------------------------------------------------------------------------------


def test_funnel_conversion_and_median_days_from_the_event_history(ws: Workspace) -> None:
    cu = customer(ws, "北京城市轨道交通公司")
    ws.today = dt.date(2026, 1, 1)
    a, b, c, _d = (opportunities.add(ws, cu, t, amount="1000")["id"] for t in "ABCD")

    def on(day: int, fn: Any, *args: Any, **kw: Any) -> None:
        ws.today = dt.date(2026, 1, day)
        fn(ws, *args, **kw)

    force = {"force": True, "reason": "测试"}
    on(5, opportunities.advance, a, **force)             # development 4 days
    on(15, opportunities.advance, a, **force)            # initiation 10 days
    on(20, opportunities.advance, a, **force)            # proposal 5 days
    on(3, opportunities.advance, b, **force)             # development 2 days
    on(9, opportunities.close, b, "lost", "价格高于竞争对手")   # initiation 6 days
    on(11, opportunities.close, c, "abandoned", "预算取消")    # development 10 days
    ws.today = dt.date(2026, 3, 2)
    report = reports.build(ws, "funnel")
    rows = {r["stage"]: r for r in report.table("conversion").rows}
    # reached: development 4, initiation 2 (A, B), proposal 1, bidding 1, negotiation 0
    assert [rows[s]["reached"] for s in ("development", "initiation", "proposal", "bidding",
                                         "negotiation")] == [4, 2, 1, 1, 0]
    assert rows["development"]["conversion"] == D("50.00")    # 2 / 4
    assert rows["initiation"]["conversion"] == D("50.00")     # 1 / 2
    assert rows["proposal"]["conversion"] == D("100.00")      # 1 / 1
    assert rows["bidding"]["conversion"] == D("0.00")         # 0 / 1
    assert rows["negotiation"]["conversion"] is None          # nothing reached it
    assert rows["development"]["median_days"] == D(4)         # 2, 4, 10
    assert rows["initiation"]["median_days"] == D(8)          # 6, 10
    assert rows["proposal"]["median_days"] == D(5)
    assert rows["bidding"]["median_days"] is None             # A is still there
    assert (rows["initiation"]["lost"], rows["development"]["abandoned"]) == (1, 1)
    reasons = report.table("reasons").rows
    assert {(r["stage"], r["status"], r["reason"], r["count"]) for r in reasons} == {
        ("initiation", "lost", "价格高于竞争对手", 1), ("development", "abandoned", "预算取消", 1)}


# --- forecast and targets -------------------------------------------------------------------


@pytest.fixture
def forecast_ws(ws: Workspace) -> Workspace:
    cu = customer(ws, "深圳智造科技有限公司")
    day = dt.date.fromisoformat
    opp(ws, cu, "O1", "100000", close_date=day("2026-02-10"), probability=10)
    opp(ws, cu, "O2", "200000", close_date=day("2026-03-20"), probability=80,
        forecast_category="commit")
    opp(ws, cu, "O3", "50000", close_date=day("2026-04-15"), probability=40,
        forecast_category="best_case")
    opp(ws, cu, "O4", "300000", close_date=day("2026-03-30"), status="won",
        closed_at=day("2026-01-20"), forecast_category="closed", probability=80)
    opp(ws, cu, "O5", "70000", close_date=day("2026-02-01"), forecast_category="omitted")
    opp(ws, cu, "O6", "10000", currency="USD", close_date=day("2026-02-02"), probability=20)
    targets.set_target(ws, "张伟", "2026-Q1", "400000")
    targets.set_target(ws, "李娜", "2026-01", "50000")
    return ws


def test_forecast_by_quarter_against_targets_with_coverage(forecast_ws: Workspace) -> None:
    report = reports.build(forecast_ws, "forecast")
    rows = {(r["period"], r["currency"]): r for r in report.table("by_period").rows}
    q1 = rows[("2026-Q1", "CNY")]
    assert (q1["pipeline"], q1["best_case"], q1["commit"], q1["closed"]) == (
        D("100000.00"), D("0.00"), D("200000.00"), D("300000.00"))
    assert q1["weighted"] == D("170000.00")        # 100000 × 10% + 200000 × 80%
    assert q1["target"] == D("450000.00")          # 400000 (Q1) + 50000 (January)
    assert q1["remaining"] == D("150000.00")       # 450000 − 300000 closed
    assert q1["open_amount"] == D("300000.00")
    assert q1["coverage"] == D("2.00")             # 300000 ÷ 150000
    assert q1["below"] is True                     # under 3×
    q2 = rows[("2026-Q2", "CNY")]
    assert (q2["best_case"], q2["weighted"], q2["target"]) == (D("50000.00"), D("20000.00"),
                                                                None)
    usd = rows[("2026-Q1", "USD")]
    assert (usd["pipeline"], usd["weighted"], usd["target"]) == (D("10000.00"), D("2000.00"),
                                                                  None)
    # 张伟 alone: target 400000, remaining 100000, coverage 300000 ÷ 100000 = 3.00
    mine = reports.build(forecast_ws, "forecast", owner="张伟").table("by_period").rows
    q1 = next(r for r in mine if r["period"] == "2026-Q1" and r["currency"] == "CNY")
    assert (q1["coverage"], q1["below"]) == (D("3.00"), False)


def test_forecast_by_month(forecast_ws: Workspace) -> None:
    rows = reports.build(forecast_ws, "forecast", by="month").table("by_period").rows
    got = {(r["period"], r["currency"]): (r["closed"], r["target"]) for r in rows}
    assert got[("2026-01", "CNY")] == (D("300000.00"), D("50000.00"))  # quarter target: no
    assert got[("2026-02", "CNY")] == (D("0.00"), None)


def test_targets_report_attainment(forecast_ws: Workspace) -> None:
    rows = reports.build(forecast_ws, "targets").table("targets").rows
    got = {(r["owner"], r["period"]): (r["won"], r["attainment"]) for r in rows}
    assert got[("张伟", "2026-Q1")] == (D("300000.00"), D("75.00"))  # 300000 / 400000
    assert got[("李娜", "2026-01")] == (D("0.00"), D("0.00"))


def test_target_set_again_changes_it(forecast_ws: Workspace) -> None:
    again = targets.set_target(forecast_ws, "张伟", "2026q1", "500000")
    assert again["id"] == "TG1" and again["amount"] == D("500000.00")
    assert len(list(targets.list_targets(forecast_ws))) == 2


# --- activity ---------------------------------------------------------------------------------


def test_activity_calls_per_week_and_stalled_deals(ws: Workspace) -> None:
    cu = customer(ws, "杭州云栖数据服务")
    x = opp(ws, cu, "X", "1000")
    y = opp(ws, cu, "Y", "1000")
    z = opp(ws, cu, "Z", "1000", owner="李娜")
    for d in ("2026-02-24", "2026-02-25", "2026-02-26"):
        activities.log(ws, x, type="call", date=d, outcome="continuance", owner="张伟")
    activities.log(ws, y, type="visit", date="2026-01-10", outcome="advance", owner="张伟")
    activities.log(ws, z, type="visit", date="2026-03-02", outcome="order", owner="李娜")
    ws.today = dt.date(2026, 3, 2)  # a Monday: two weeks back starts 2026-02-23
    report = reports.build(ws, "activity", weeks=2)
    rows = {(r["owner"], r["week"]): r for r in report.table("by_week").rows}
    assert set(rows) == {("张伟", "2026-W09"), ("李娜", "2026-W10")}
    assert (rows[("张伟", "2026-W09")]["calls"], rows[("张伟", "2026-W09")]["continuance"]) == (
        3, 3)
    assert (rows[("李娜", "2026-W10")]["calls"], rows[("李娜", "2026-W10")]["order"]) == (1, 1)
    stalled = {r["id"]: r for r in report.table("stalled").rows}
    assert set(stalled) == {x, y}
    assert (stalled[x]["continuance_run"], stalled[x]["why"]) == (3, "continuance")
    # 2026-01-10 → 2026-03-02: 21 + 28 + 2 = 51 days
    assert (stalled[y]["days_silent"], stalled[y]["why"]) == (51, "silent")


# --- win-loss ---------------------------------------------------------------------------------


def test_win_loss_rates(ws: Workspace) -> None:
    cu = customer(ws, "成都川味食品股份")
    opp(ws, cu, "W1", "100", status="won", importance="VI")
    opp(ws, cu, "L1", "200", status="lost", reason="价格", importance="VI")
    opp(ws, cu, "L2", "300", status="lost", reason="价格", owner="李娜")
    opp(ws, cu, "A1", "400", status="abandoned", reason="毛利低")
    opp(ws, cu, "open", "500")
    report = reports.build(ws, "win-loss")
    owners = {r["owner"]: r for r in report.table("by_owner").rows}
    assert (owners["张伟"]["won"], owners["张伟"]["win_rate"]) == (1, D("33.33"))  # 1 / 3
    assert owners["李娜"]["win_rate"] == D("0.00")
    status = {r["status"]: (r["count"], r["amount"]) for r in report.table("by_status").rows}
    assert status == {"won": (1, D("100.00")), "lost": (2, D("500.00")),
                      "abandoned": (1, D("400.00"))}
    vi = next(r for r in report.table("by_importance").rows if r["importance"] == "VI")
    assert vi["win_rate"] == D("50.00")
    assert report.table("reasons").rows[0] == {"status": "lost", "reason": "价格", "count": 2}


# --- cards ------------------------------------------------------------------------------------


def test_opportunity_card_and_account_plan(pipeline_ws: Workspace) -> None:
    from kam.services import contacts

    contacts.add(pipeline_ws, "CU1", "王建国", roles=["decision_maker"], level="executive")
    card = reports.build(pipeline_ws, "opportunity", "op1")
    fields = {r["field"]: r["value"] for r in card.table("initiation").rows}
    assert fields["title"] == "A" and fields["probability"] == 40
    assert card.table("decision_chain").rows[0]["name"] == "王建国"
    assert card.table("gate").rows  # proposal → bidding needs its key node
    plan = reports.build(pipeline_ws, "account", "CU1")
    assert len(plan.table("open_deals").rows) == 5  # all but the lost F
    assert {(t["currency"], t["amount"]) for t in plan.table("open_deals").totals} == {
        ("CNY", D("463333.83")), ("USD", D("50000.00"))}
