"""Numbers a director can trust: every report that shows money outstanding agrees, and
no command leaves a milestone below what was invoiced or paid on it.

- aging total = Σ outstanding of `kam receivable list` = battle-map outstanding =
  Σ of the account cards' outstanding, per currency, whatever the contracts' status
  (a closed contract still owes its warranty retention; a terminated one what was
  not written off);
- an amendment that would shrink a milestone below its invoices or payments is refused;
  `kam doctor` finds a milestone invoiced above its amount;
- delivery waits for an overdue down payment (款到发货) unless forced with a reason;
- the contract review's shares and amounts all come from one split of the plan.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import Kam

D = Decimal
PLAN = "down_payment:30%:+10d,on_delivery:30%:+30d,on_acceptance:30%:+30d,warranty:10%:+12m"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")


def _no_approvals(kam: Kam) -> None:
    kam.ok("config", "set", "approvals.always", "")  # review → approved, no approver


def _signed(kam: Kam, name: str, amount: str, *, currency: str = "CNY", plan: str = PLAN,
            date: str = "2026-01-05") -> str:
    """A reviewed and signed contract (approvals switched off by _no_approvals)."""
    cu = kam.id("customer", "add", name, "--grade", "A")
    opp = kam.id("opp", "add", cu, f"{name} 项目", "--amount", amount, "--currency", currency,
                 "--owner", "张伟")
    co = kam.id("contract", "create", opp, "--plan", plan, "--acceptance-criteria", "终验合格",
                "--change-cost", "按人天计费", "--service-end", "2028-12-31")
    kam.ok("contract", "review", co)
    r = kam("contract", "sign", co, "--date", date)
    if r.exit_code == 1:  # the deal's own gates: not what these tests are about
        r = kam("contract", "sign", co, "--date", date, "--force", "--reason", "线下已签")
    assert r.exit_code == 0, r.stderr
    return co


def _milestones(kam: Kam, co: str) -> dict[str, dict[str, Any]]:
    return {r["kind"]: r for r in kam.json("receivable", "list", "--contract", co)}


# --- 1. every report agrees on what is outstanding --------------------------------------


def _outstanding_everywhere(kam: Kam) -> dict[str, dict[str, Decimal]]:
    """Outstanding per currency as aging, receivable list, battle map and the account
    cards each count it."""
    out: dict[str, dict[str, Decimal]] = {"aging": {}, "receivables": {}, "battle_map": {},
                                          "accounts": {}}

    def add(where: str, cur: str, value: str) -> None:
        out[where][cur] = out[where].get(cur, D(0)) + D(value)

    aging = kam.json("report", "aging")["tables"]["by_currency"]["rows"]
    for row in aging:
        add("aging", row["currency"], row["total"])
    for r in kam.json("receivable", "list"):
        if D(r["outstanding"]):
            add("receivables", r["currency"], r["outstanding"])
    for row in kam.json("report", "battle-map")["tables"]["contracts"]["totals"]:
        add("battle_map", row["currency"], row["outstanding"])
    for cu in kam.json("customer", "list"):
        card = kam.json("report", "account", cu["id"])["tables"]["contracts"]["rows"]
        for row in card:
            if D(row["outstanding"]):
                add("accounts", row["currency"], row["outstanding"])
    return out


def test_every_report_counts_the_same_outstanding_money(kam: Kam) -> None:
    _no_approvals(kam)
    # closed with its warranty retention (质保金) still open: 100000 CNY
    closed = _signed(kam, "华东电力集团", "1000000")
    kam.ok("pay", "record", closed, "300000", "--date", "2026-01-10")
    kam.ok("contract", "deliver", closed, "--date", "2026-01-20")
    kam.ok("contract", "accept", closed, "--stage", "final", "--date", "2026-02-01")
    kam.ok("pay", "record", closed, "600000", "--date", "2026-02-10")
    kam.ok("contract", "cost", closed, "--stage", "final", "--category", "hardware", "700000")
    kam.ok("contract", "close", closed, "--date", "2026-02-20")
    # terminated: part of the advance paid, one milestone written off, the rest still owed
    ended = _signed(kam, "数据治理客户", "500000")
    kam.ok("pay", "record", ended, "50000", "--date", "2026-01-12")
    kam.ok("contract", "terminate", ended, "--reason", "项目取消", "--date", "2026-02-01")
    kam.ok("receivable", "write-off", _milestones(kam, ended)["on_delivery"]["id"],
           "--by", "财务总监", "--reason", "合同终止")
    # closed, in USD, retention open: 20000 USD
    usd = _signed(kam, "Contoso", "200000", currency="USD")
    kam.ok("pay", "record", usd, "60000", "--date", "2026-01-10")
    kam.ok("contract", "deliver", usd, "--date", "2026-01-20")
    kam.ok("contract", "accept", usd, "--date", "2026-01-25")
    kam.ok("pay", "record", usd, "120000", "--date", "2026-02-10")
    kam.ok("contract", "cost", usd, "--stage", "final", "--category", "software", "90000")
    kam.ok("contract", "close", usd, "--date", "2026-02-20")
    # signed, nothing paid: 400000 CNY
    _signed(kam, "华北电网", "400000")

    statuses = {c["id"]: c["status"] for c in kam.json("contract", "list")}
    assert (statuses[closed], statuses[ended], statuses[usd]) == ("closed", "terminated",
                                                                  "closed")
    counted = _outstanding_everywhere(kam)
    expected = {"CNY": D("100000") + D("400000") + D("100000") + D("150000") + D("50000"),
                "USD": D("20000")}  # terminated: 100000 advance + acceptance + warranty
    for where, totals in counted.items():
        assert totals == expected, where
    rows = {r["number"]: r for r in
            kam.json("report", "battle-map")["tables"]["contracts"]["rows"]}
    assert {r["status"] for r in rows.values()} == {"closed", "terminated", "signed"}
    assert len(rows) == 4
    terminated = next(r for r in rows.values() if r["status"] == "terminated")
    assert "deliver" not in terminated["next_action"]  # nothing to deliver any more


def test_the_demo_reconciles(tmp_path: Path) -> None:
    from kam.demo import build_demo
    from kam.plugin_manager import Plugins
    from kam.services import receivables, reports
    from kam.workspace import Workspace

    plugins = Plugins()
    build_demo(tmp_path / "demo", plugins)
    ws = Workspace.open(tmp_path / "demo", plugins=plugins)
    try:
        counted: dict[str, dict[str, Decimal]] = {}

        def add(where: str, cur: str, value: Decimal) -> None:
            counted.setdefault(where, {})
            counted[where][cur] = counted[where].get(cur, D(0)) + value

        for row in reports.build(ws, "aging").table("by_currency").rows:
            add("aging", row["currency"], row["total"])
        for r in receivables.list_(ws):
            add("receivables", r["currency"], r["outstanding"])
        for row in reports.build(ws, "battle-map").table("contracts").totals:
            add("battle_map", row["currency"], row["outstanding"])
        for cu in ws.storage.find("customer"):
            for row in reports.build(ws, "account", cu["id"]).table("contracts").rows:
                add("accounts", row["currency"], row["outstanding"])
        counted = {w: {c: v for c, v in t.items() if v} for w, t in counted.items()}
        assert set(counted["aging"]) == {"CNY", "USD"}
        for where in ("receivables", "battle_map", "accounts"):
            assert counted[where] == counted["aging"], where
    finally:
        ws.close()


# --- 2. amendments and doctor: never below what was invoiced or paid ---------------------


def test_amendment_cannot_shrink_a_milestone_below_its_invoice(kam: Kam) -> None:
    _no_approvals(kam)
    co = _signed(kam, "华东电力集团", "1000000", date="2026-03-01")
    ms = _milestones(kam, co)
    kam.ok("invoice", "issue", co, "--amount", "250000", "--number", "FP-001", "--milestone",
           ms["on_delivery"]["id"])
    # -500000 spread over the four open milestones would leave on_delivery at 150000
    r = kam("contract", "amend", co, "--delta", "-500000", "--reason", "范围缩减")
    assert r.exit_code == 1, r.stdout
    assert r.stderr.count("\n") == 1  # one clear line
    assert f"milestone {ms['on_delivery']['id']} (on_delivery)" in r.stderr
    assert "150000.00, below the 250000.00 invoiced" in r.stderr
    assert kam.json("contract", "show", co)["contract"]["amount"] == "1000000.00"
    assert _milestones(kam, co)["on_delivery"]["amount"] == "300000.00"
    # a smaller cut keeps every milestone at or above its invoice: allowed
    kam.ok("contract", "amend", co, "--delta", "-100000", "--reason", "少一个站点")
    assert _milestones(kam, co)["on_delivery"]["amount"] == "270000.00"
    assert kam.ok("doctor").exit_code == 0


def test_amendment_cannot_go_below_what_is_invoiced_on_the_contract(kam: Kam) -> None:
    _no_approvals(kam)
    co = _signed(kam, "华东电力集团", "1000000", date="2026-03-01")
    kam.ok("invoice", "issue", co, "--amount", "800000", "--number", "FP-002")
    r = kam("contract", "amend", co, "--delta", "-300000", "--reason", "范围缩减")
    assert r.exit_code == 1 and "800000.00 invoiced" in r.stderr
    assert kam.json("contract", "show", co)["contract"]["amount"] == "1000000.00"


def test_doctor_finds_a_milestone_invoiced_above_its_amount(kam: Kam) -> None:
    _no_approvals(kam)
    co = _signed(kam, "华东电力集团", "1000000", date="2026-03-01")
    rc = _milestones(kam, co)["on_delivery"]["id"]
    kam.ok("invoice", "issue", co, "--amount", "300000", "--number", "FP-003", "--milestone", rc)
    ws = kam.workspace()
    try:  # as an amendment did before it checked invoices: the milestone shrunk under it
        with ws.mutation("test.tampered", rc):
            ws.storage.update("receivable", rc, {"amount": D("150000.00")})
            other = next(r for r in ws.storage.find("receivable", {"contract_id": co})
                         if r["kind"] == "on_acceptance")
            ws.storage.update("receivable", other["id"], {"amount": D("450000.00")})
    finally:
        ws.close()
    r = kam("doctor", "--format", "json")
    assert r.exit_code == 1
    assert {"check": "contract_money",
            "problem": f"receivable {rc}: invoiced 300000.00 exceeds its amount 150000.00"
            } in r.json()["problems"]


# --- 3. 款到发货: delivery waits for an overdue down payment ------------------------------


def test_delivery_is_held_while_the_down_payment_is_overdue(kam: Kam) -> None:
    _no_approvals(kam)
    co = _signed(kam, "华东电力集团", "1000000")  # down payment due 2026-01-15
    dp = _milestones(kam, co)["down_payment"]
    r = kam("contract", "deliver", co, "--date", "2026-02-01")
    assert r.exit_code == 1
    assert f"down payment {dp['id']} (300000.00 CNY, 300000.00 outstanding) is 17 days " \
           "overdue" in r.stderr
    assert kam.json("contract", "show", co)["contract"]["delivered_on"] is None
    assert kam("contract", "deliver", co, "--force").exit_code == 2  # a reason is required
    r = kam.ok("contract", "deliver", co, "--date", "2026-02-01", "--force", "--reason",
               "客户承诺月底付款，总监同意先发货")
    assert "(forced)" in r.stdout and "warning" in r.stderr
    event = kam.json("history", co)[-1]
    assert event["kind"] == "contract.delivered"
    assert event["payload"]["forced"] is True
    assert event["payload"]["reason"] == "客户承诺月底付款，总监同意先发货"
    # acceptance while the advance is still overdue: a warning, not a refusal
    r = kam.ok("contract", "accept", co, "--stage", "initial", "--date", "2026-02-10")
    assert "warning" in r.stderr and dp["id"] in r.stderr and "26 days overdue" in r.stderr


def test_paid_advance_delivers_without_a_word(kam: Kam) -> None:
    _no_approvals(kam)
    co = _signed(kam, "华东电力集团", "1000000")
    kam.ok("pay", "record", co, "300000", "--date", "2026-01-14")
    r = kam.ok("contract", "deliver", co, "--date", "2026-02-01")
    assert "warning" not in r.stderr
    assert "forced" not in kam.json("history", co)[-1]["payload"]


def test_hold_can_be_switched_off_per_company(kam: Kam) -> None:
    _no_approvals(kam)
    kam.ok("config", "set", "rules.hold_delivery_until_advance", "false")
    co = _signed(kam, "华东电力集团", "1000000")
    r = kam.ok("contract", "deliver", co, "--date", "2026-02-01")
    assert "kam: warning:" in r.stderr and "17 days overdue" in r.stderr
    assert kam.json("contract", "show", co)["contract"]["delivered_on"] == "2026-02-01"


# --- 4. the review's numbers agree with each other --------------------------------------


def _review(kam: Kam, co: str) -> dict[str, str]:
    r = kam("contract", "review", co, "--format", "json")
    assert r.exit_code == 1  # the plan does not add up: blocked
    return {f["code"]: f["message"] for f in r.json()["findings"]}


def _percents(text: str) -> list[Decimal]:
    return [D(x) for x in re.findall(r"(\d+(?:\.\d+)?)%\)", text)]


def test_review_shares_come_from_one_split(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "1000000")
    # adds up to 90 %: the last milestone, the warranty, takes the missing 10 % (split)
    co = kam.id("contract", "create", opp, "--plan",
                "down_payment:30%:+10d,on_delivery:20%:+30d,warranty:40%")
    findings = _review(kam, co)
    assert "90.00%" in findings["plan_sum"]
    # the same split everywhere: the warranty is 500000.00, 50 %, in both findings
    assert "500000.00 (50.00%)" in findings["plan_sum"]
    assert "500000.00 (50.00%)" in findings["retention_cap"]
    shown = {m["kind"]: m["amount"] for m in kam.json("contract", "show", co)["milestones"]}
    assert shown["warranty"] == "500000.00"


def test_review_of_a_mixed_plan_is_coherent(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "1000000")
    # 150000 (15 %) + 30 % + 40 % + 10 % = 95 %: the warranty comes to 15 %
    co = kam.id("contract", "create", opp, "--plan",
                "down_payment:150000,on_delivery:30%,on_acceptance:40%,warranty:10%")
    findings = _review(kam, co)
    assert _percents(findings["low_down_payment"]) == [D("15.00")]
    assert "150000.00" in findings["low_down_payment"]
    assert "950000.00 (95.00%)" in findings["plan_sum"]
    assert "150000.00 (15.00%)" in findings["plan_sum"]
    assert _percents(findings["retention_cap"]) == [D("15.00")]
