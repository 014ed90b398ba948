"""The presales budget of a deal (项目任务书费用预算) and its expenses (售前费用): split by
milestone, spending over it refused until an adjustment (调整表) is approved by the
roles kam.toml names, budget vs actual on opp show that adds up to the expenses."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import Kam
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.errors import InputError, RefusedError
from kam.models.presales_budget import budget_view
from kam.services import presales

OWNER = {"KAM_USER": "张伟"}
DIRECTOR = {"KAM_USER": "刘洋"}


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")


def deal(kam: Kam) -> str:
    cu = kam.id("customer", "add", "华东电力集团", "--grade", "A")
    return kam.id("opp", "add", cu, "智能变电站监控平台", "--amount", "3200000",
                  "--owner", "张伟", env=OWNER)


def _events(kam: Kam) -> list[str]:
    ws = kam.workspace()
    try:
        return [e["kind"] for e in ws.storage.events()]
    finally:
        ws.close()


def test_over_budget_is_refused_until_an_adjustment_is_approved(kam: Kam, tmp_path: Path
                                                                ) -> None:
    """The issue's hand-built deal, on every backend: 90,000 in three milestones."""
    opp = deal(kam)
    view = kam.json("opp", "budget", opp, "90000", "--milestone", "development", "30000",
                    "--milestone", "立项", "30000", "--milestone", "proposal=30000", env=OWNER)
    assert [(r["stage"], r["budget"]) for r in view["rows"]] == [
        ("development", "30000.00"), ("initiation", "30000.00"), ("proposal", "30000.00")]
    receipt = tmp_path / "发票.pdf"
    receipt.write_bytes(b"%PDF fapiao")
    ex = kam.json("expense", "add", opp, "25000", "--type", "差旅费", "--date", "2026-02-20",
                  "--receipt", str(receipt), env=OWNER)
    assert ex["type"] == "travel" and ex["stage"] == "development" and ex["owner"] == "张伟"
    assert ex["receipt"]["name"] == "发票.pdf" and len(ex["receipt"]["sha256"]) == 64
    kam.ok("expense", "add", opp, "30000", "--type", "bid_fees", "--milestone", "proposal",
           env=OWNER)
    r = kam("expense", "add", opp, "20000", "--type", "entertainment", env=OWNER)
    assert r.exit_code == 1 and "over the milestone budget" in r.stderr
    assert "5000.00 of 30000.00" in r.stderr, "the milestone's own budget, not the total"
    kam.ok("expense", "add", opp, "20000", "--type", "samples", "--milestone", "立项",
           env=OWNER)
    kam.ok("opp", "budget-adjust", opp, "15000", "--reason", "增加一次样板线考察", env=OWNER)
    r = kam("expense", "add", opp, "20000", "--type", "entertainment", env=OWNER)
    assert r.exit_code == 1, "a pending adjustment does not count"
    r = kam("opp", "budget-approve", opp, env=OWNER)
    assert r.exit_code == 1 and "separation of duties" in r.stderr
    kam.ok("opp", "budget-approve", opp, "--comment", "同意", env=DIRECTOR)
    kam.ok("expense", "add", opp, "20000", "--type", "entertainment", env=OWNER)
    r = kam("expense", "add", opp, "10000.01", "--type", "other", "--milestone", "bidding",
            env=OWNER)
    assert r.exit_code == 1 and "over budget" in r.stderr and "10000.00" in r.stderr
    card = kam.json("opp", "show", opp)
    b = card["budget"]
    assert (b["original"], b["adjustments"], b["budget"], b["spent"], b["left"]) == (
        "90000.00", "15000.00", "105000.00", "95000.00", "10000.00")
    assert {r["stage"]: (r["budget"], r["spent"]) for r in b["rows"]} == {
        "development": ("45000.00", "45000.00"), "initiation": ("30000.00", "20000.00"),
        "proposal": ("30000.00", "30000.00")}, "the adjustment raised development (its stage)"
    listed = kam.json("expense", "list", "--opp", opp)
    assert sum(Decimal(e["amount"]) for e in listed) == Decimal(b["spent"])
    assert [e["id"] for e in kam.json("expense", "list", "--type", "bid_fees")] == [
        listed[1]["id"]]
    assert len(kam.json("expense", "list", "--since", "2026-03-01")) == 3
    assert _events(kam).count("expense.recorded") == 4
    assert "opportunity.budget_adjustment_approved" in _events(kam)
    assert "预算余额" in kam.ok("--lang", "zh", "opp", "show", opp).stdout
    war = kam.json("report", "war-room", opp)["tables"]
    assert war["budget"]["totals"] == [{"stage": "total", "budget": "105000.00",
                                        "spent": "95000.00", "left": "10000.00"}]
    assert sum(Decimal(r["spent"]) for r in war["budget"]["rows"]) == Decimal("95000.00")
    assert any("105000.00" in r["risk"] for r in war["risks"]["rows"])  # ≥ 90 % spent
    assert war["deal"]["rows"][0] == {"field": "title", "value": "智能变电站监控平台"}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_budget_input_and_adjustment_rules(kam: Kam) -> None:
    opp = deal(kam)
    ws = kam.workspace()
    try:
        with pytest.raises(RefusedError, match="no presales budget"):
            presales.add_expense(ws, opp, "100", type="travel")
        with pytest.raises(InputError, match="add up to 80000.00"):
            presales.set_budget(ws, opp, "90000", [("development", "40000"),
                                                   ("proposal", "40000")])
        with pytest.raises(InputError, match="unknown stage"):
            presales.set_budget(ws, opp, "90000", [("nowhere", "90000")])
        with pytest.raises(InputError, match="expense_type"):
            presales.set_budget(ws, opp, "1000")
            presales.add_expense(ws, opp, "100", type="yacht")
        with pytest.raises(InputError, match="future"):
            presales.add_expense(ws, opp, "100", type="travel", date="2026-03-03")
        presales.add_expense(ws, opp, "800", type="travel")
        with pytest.raises(RefusedError, match="already spent"):
            presales.set_budget(ws, opp, "500")
        presales.request_adjustment(ws, opp, "500", "再投一次标")
        with pytest.raises(RefusedError, match="waiting for approval"):
            presales.request_adjustment(ws, opp, "100", "again")
        ws.actor = "刘洋"
        presales.decide_adjustment(ws, opp, reject=True, comment="不值得")
        assert presales.budget(ws, opp)["budget"] == Decimal("1000.00")
        with pytest.raises(RefusedError, match="no budget adjustment waiting"):
            presales.decide_adjustment(ws, opp)
    finally:
        ws.close()
    kam.ok("opp", "lose", opp, "--reason", "价格", env=OWNER)
    cost = kam.json("report", "win-loss")["tables"]["presales_cost"]
    assert cost["rows"] == [{"owner": "张伟", "currency": "CNY", "presales_cost": "800.00",
                             "won_amount": "0.00", "cost_ratio": None}]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_kam_toml_names_who_approves_an_adjustment(kam: Kam) -> None:
    with (kam.path / "kam.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[approvals]\nbudget_adjust = ["sales_manager", "finance"]\n'
                 '[roles]\n"李经理" = ["sales_manager"]\n"钱会计" = ["finance"]\n'
                 '"刘洋" = ["sales_director"]\n')
    opp = deal(kam)
    kam.ok("opp", "budget", opp, "1000", env=OWNER)
    kam.ok("opp", "budget-adjust", opp, "500", "--reason", "投标保证金", env=OWNER)
    r = kam("opp", "budget-approve", opp, "--role", "sales_manager", env=DIRECTOR)
    assert r.exit_code == 1 and "does not hold" in r.stderr
    kam.ok("opp", "budget-approve", opp, env={"KAM_USER": "李经理"})
    assert kam.json("opp", "show", opp)["budget"]["budget"] == "1000.00", "finance still due"
    kam.ok("opp", "budget-approve", opp, env={"KAM_USER": "钱会计"})
    assert kam.json("opp", "show", opp)["budget"]["budget"] == "1500.00"


_CENTS = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["development", "proposal", "bidding"]), _CENTS),
                max_size=12),
       st.lists(st.tuples(st.sampled_from(["approved", "pending", "rejected"]), _CENTS,
                          st.sampled_from([None, "development", "proposal", "bidding"])),
                max_size=4))
@example([("bidding", Decimal("0.01"))], [("pending", Decimal("5.00"), None)])
@example([], [("approved", Decimal("5.00"), "proposal"), ("approved", Decimal("1.00"), None)])
def test_budget_vs_actual_reconciles(spent: list[tuple[str, Decimal]],
                                     adjustments: list[tuple[str, Decimal, str | None]]
                                     ) -> None:
    """Milestone rows add up to the total spent; left is budget minus spent; only
    approved adjustments count."""
    opp: dict[str, Any] = {
        "currency": "CNY", "expense_budget": Decimal("90000.00"),
        "budget_split": [{"stage": "development", "amount": "30000.00"},
                         {"stage": "proposal", "amount": "60000.00"}],
        "budget_adjustments": [{"status": s, "amount": str(a), "stage": k}
                               for s, a, k in adjustments]}
    view = budget_view(opp, [{"stage": k, "amount": a} for k, a in spent])
    assert sum((r["spent"] for r in view["rows"]), Decimal(0)) == view["spent"]
    assert view["spent"] == sum((a for _, a in spent), Decimal(0))
    approved = sum((a for s, a, _ in adjustments if s == "approved"), Decimal(0))
    assert view["budget"] == Decimal("90000.00") + approved
    assert view["left"] == view["budget"] - view["spent"]
    split = [r for r in view["rows"] if r["budget"] is not None]
    assert sum((r["budget"] for r in split), Decimal(0)) + view["unassigned"] == view["budget"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_withdrawal_criterion_met_blocks_every_stage_exit(kam: Kam) -> None:
    opp = deal(kam)
    kam.ok("opp", "withdrawal", opp, "--criterion", "客户预算削减一半以上",
           "--criterion", "竞争对手已内定", env=OWNER)
    gate = kam.json("opp", "show", opp)["gate"]
    assert any(g["code"] == "withdrawal_check" and g["severity"] == "warn" for g in gate)
    kam.ok("opp", "withdrawal", opp, "--met", "2", env=OWNER)
    gate = kam.json("opp", "show", opp)["gate"]
    assert [g["message"] for g in gate if g["code"] == "withdrawal_2"] == [
        f"withdrawal criterion 2 met on 2026-03-02 (撤出标准): 竞争对手已内定 — kam opp "
        f"abandon {opp} --reason T, or kam opp withdrawal {opp} --clear 2"]
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1 and "竞争对手已内定" in r.stderr
    assert kam("opp", "withdrawal", opp, "--met", "3").exit_code == 2
    kam.ok("opp", "withdrawal", opp, "--clear", "2", env=OWNER)
    assert not any(g["code"].startswith("withdrawal_") and g["code"] != "withdrawal_check"
                   for g in kam.json("opp", "show", opp)["gate"])


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_adjustment_raises_its_milestone_and_the_total(kam: Kam) -> None:
    """An adjustment for a milestone of the split raises it and the total; one for a
    stage outside the split raises only the total (that stage has no milestone limit)."""
    opp = deal(kam)
    ws = kam.workspace()
    try:
        presales.set_budget(ws, opp, "3000", [("development", "1000"), ("proposal", "2000")])
        presales.add_expense(ws, opp, "1000", type="travel")
        with pytest.raises(RefusedError, match="over the milestone budget: development"):
            presales.add_expense(ws, opp, "0.01", type="travel")
        presales.request_adjustment(ws, opp, "500", "样板线", milestone="proposal")
        ws.actor = "刘洋"
        presales.decide_adjustment(ws, opp)
        ws.actor = "张伟"
        with pytest.raises(RefusedError, match="over the milestone budget: development"):
            presales.add_expense(ws, opp, "0.01", type="travel")
        presales.add_expense(ws, opp, "2500", type="bid_fees", milestone="proposal")
        presales.request_adjustment(ws, opp, "300", "投标", milestone="bidding")
        ws.actor = "刘洋"
        presales.decide_adjustment(ws, opp)
        ws.actor = "张伟"
        presales.add_expense(ws, opp, "300", type="bid_fees", milestone="bidding")
        with pytest.raises(RefusedError, match="2500.00 in proposal"):
            presales.set_budget(ws, opp, "3500", [("development", "1500"), ("proposal", "1999.99"),
                                                  ("initiation", "0.01")])
        view = presales.budget(ws, opp)
        assert {r["stage"]: (r["budget"], r["spent"]) for r in view["rows"]} == {
            "development": (Decimal("1000.00"), Decimal("1000.00")),
            "proposal": (Decimal("2500.00"), Decimal("2500.00")),
            "bidding": (None, Decimal("300.00"))}
        assert (view["budget"], view["spent"], view["unassigned"]) == (
            Decimal("3800.00"), Decimal("3800.00"), Decimal("300.00"))
    finally:
        ws.close()


def test_milestone_rows_reconcile_with_the_total() -> None:
    """Split budgets plus unassigned adjustments make the budget in force."""
    opp: dict[str, Any] = {
        "expense_budget": "900.00",
        "budget_split": [{"stage": "development", "amount": "400.00"},
                         {"stage": "proposal", "amount": "500.00"}],
        "budget_adjustments": [
            {"status": "approved", "amount": "10.00", "stage": "proposal"},
            {"status": "approved", "amount": "7.00"},  # before milestones: the total only
            {"status": "rejected", "amount": "99.00", "stage": "development"},
            {"status": "approved", "amount": "3.00", "stage": "bidding"}]}
    view = budget_view(opp, [])
    split = sum((r["budget"] for r in view["rows"] if r["budget"] is not None), Decimal(0))
    assert split == Decimal("910.00") and view["budget"] == Decimal("920.00")
    assert split + view["unassigned"] == view["budget"]
