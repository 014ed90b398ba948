"""A contract's P&L from 概算 to 决算: the margins a finance clerk computes by hand, to
the cent; the budget frozen at signing; closing needs final accounts; the report's
totals add up to the cost lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from conftest import Kam
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.models.contract_pnl import STAGES, pnl

PLAN = "down_payment:30%:+10d,on_delivery:70%:+30d"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")


def _no_approvals(kam: Kam) -> None:
    kam.ok("config", "set", "approvals.always", "")  # review → approved, no approver


def test_margins_from_estimate_to_final_accounts(kam: Kam) -> None:
    """The issue's hand-built contract, on every backend: 1,234,567.89 signed.

    estimate 864,197.52 → margin 370,370.37 → 30.00 %;
    budget   888,888.88 → 345,679.01 → 28.00 % (27.9999…);
    actual   500,000.00 on 617,283.95 recognised → 19.00 % (18.9999…);
    final    901,234.57 → 333,333.32 → 27.00 % (26.99999…).
    """
    _no_approvals(kam)
    cu = kam.id("customer", "add", "华东电力集团")
    opp = kam.id("opp", "add", cu, "智能变电站监控平台", "--amount", "1234567.89")
    co = kam.id("contract", "create", opp, "--plan", PLAN, "--acceptance-criteria", "终验",
                "--change-cost", "按人天", "--service-end", "2028-12-31")
    kam.ok("contract", "cost", co, "--stage", "概算", "--category", "hardware", "600000",
           "--category", "实施人工", "264197.52")
    kam.ok("contract", "cost", co, "--stage", "budget", "--category", "hardware=620000",
           "--category", "labour", "268888.88")
    r = kam("contract", "cost", co, "--stage", "actual", "--category", "hardware", "1")
    assert r.exit_code == 1 and "signed" in r.stderr
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, env={"KAM_USER": "刘洋"})
    kam.ok("contract", "sign", co, "--force", "--reason", "框架协议")
    r = kam("contract", "cost", co, "--stage", "budget", "--category", "hardware", "1")
    assert r.exit_code == 1 and "frozen at signing" in r.stderr
    kam.ok("contract", "cost", co, "--stage", "actual", "--category", "hardware", "300000")
    kam.ok("contract", "cost", co, "--stage", "核算", "--category", "hardware", "150000",
           "--category", "travel", "50000", "--revenue", "617283.95")
    kam.ok("contract", "deliver", co)
    kam.ok("contract", "accept", co, "--stage", "final")
    r = kam("contract", "close", co)
    assert r.exit_code == 1 and "final accounts" in r.stderr
    kam.ok("contract", "cost", co, "--stage", "final", "--category", "hardware", "1")
    kam.ok("contract", "cost", co, "--stage", "决算", "--category", "hardware", "630000",
           "--category", "labour", "221234.57", "--category", "travel", "50000")
    got = kam.json("contract", "show", co)["pnl"]
    by = {t["account"]: t for t in got["stages"]}
    assert {k: (by[k]["cost"], by[k]["gross_profit"], by[k]["margin_pct"]) for k in STAGES} == {
        "estimate": ("864197.52", "370370.37", "30.00"),
        "budget": ("888888.88", "345679.01", "28.00"),
        "actual": ("500000.00", "117283.95", "19.00"),
        "final": ("901234.57", "333333.32", "27.00")}
    drift = {(d["from_stage"], d["to_stage"]): (d["cost_change"], d["margin_points"])
             for d in got["drift"]}
    assert drift[("estimate", "budget")] == ("24691.36", "-2.00")
    assert drift[("budget", "final")] == ("12345.69", "-1.00")
    assert {c["category"]: c["actual_cost"] for c in got["categories"]} == {
        "hardware": "450000.00", "labour": "0.00", "travel": "50000.00"}
    kam.ok("contract", "close", co)
    r = kam("contract", "cost", co, "--stage", "final", "--category", "hardware", "1")
    assert r.exit_code == 1 and "closed" in r.stderr
    report = kam.json("report", "contract-pnl")
    row = report["tables"]["contracts"]["rows"][0]
    assert (row["final_cost"], row["final_margin"], row["margin_points"]) == (
        "901234.57", "27.00", "-1.00")
    assert "概算成本" in kam.ok("--lang", "zh", "report", "contract-pnl").stdout


@pytest.mark.parametrize("backend", ["sqlite"])
def test_bad_cost_input_is_one_line(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    opp = kam.id("opp", "add", cu, "平台", "--amount", "1000")
    co = kam.id("contract", "create", opp, "--plan", PLAN)
    for args, words in ((("--stage", "guess", "--category", "hardware", "1"), "cost_stage"),
                        (("--stage", "estimate", "--category", "yacht", "1"), "cost_category"),
                        (("--stage", "estimate", "--category", "hardware", "-1"), "negative"),
                        (("--stage", "estimate", "--category", "hardware"), "amount"),
                        (("--stage", "estimate"), "at least one"),
                        (("--stage", "estimate", "--revenue", "5"), "actual")):
        r = kam("contract", "cost", co, *args)
        assert r.exit_code == 2 and words in r.stderr, (args, r.stderr)
        assert r.stderr.count("\n") == 1


_CENTS = st.integers(min_value=0, max_value=10_000_000_00).map(lambda c: Decimal(c) / 100)
_LINE = st.tuples(st.sampled_from(STAGES), st.sampled_from(["hardware", "labour", "other"]),
                  _CENTS)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["CNY", "USD"]),
                          st.integers(min_value=1, max_value=10_000_000_00),
                          st.lists(_LINE, max_size=8)), min_size=1, max_size=5))
@example([("CNY", 3, [("final", "other", Decimal("0.01"))])])
def test_report_totals_reconcile_with_the_cost_lines(
        contracts: list[tuple[str, int, list[tuple[str, str, Decimal]]]]) -> None:
    """Per currency and account, the report's total cost is the sum of every cost line;
    each contract's categories add up to its account's cost."""
    from kam.reports.contract_pnl import _row, _totals

    records: list[dict[str, Any]] = [
        {"id": f"CO{i}", "currency": cur, "amount": Decimal(cents) / 100,
         "recognised_revenue": None,
         "cost_lines": [{"stage": s, "category": c, "amount": str(a)} for s, c, a in lines]}
        for i, (cur, cents, lines) in enumerate(contracts)]
    for c in records:
        got = pnl(c)
        for t in got["stages"]:
            if t["recorded"] and t["account"] != "actual":
                assert sum(r[f"{t['account']}_cost"] for r in got["categories"]) == t["cost"]
    totals = {t["currency"]: t for t in _totals([_row(c, "") for c in records])}
    for cur, total in totals.items():
        for stage in STAGES:
            lines = [Decimal(line["amount"]) for c in records if c["currency"] == cur
                     for line in c["cost_lines"] if line["stage"] == stage]
            assert (total[f"{stage}_cost"] or 0) == sum(lines, Decimal(0))
