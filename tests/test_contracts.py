"""Contracts end to end through the CLI: review, approval, signing, delivery,
acceptance, payments and the states of every milestone on chosen dates."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from kam.plugin_manager import Plugins
from kam.services import (
    contract_amendments,
    contract_costs,
    contract_lifecycle,
    contracts,
    payments,
)
from kam.workspace import Workspace


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")


LI = {"KAM_USER": "李经理"}  # the approver acts as themselves, not as the deal's owner
PLAN = "down_payment:30%:+10d,on_delivery:30%:+30d,on_acceptance:30%:+30d,warranty:10%:+12m"


def deal(kam: Any, amount: str = "1000000") -> str:
    return kam.ready_deal(amount)


def contract(kam: Any, opp: str, *extra: str) -> str:
    return kam.id("contract", "create", opp, "--plan", PLAN, "--acceptance-criteria",
                  "按技术协议逐项验收", "--change-cost", "按人天 2000 元计", "--service-end",
                  "2028-12-31", *extra)


def rc(kam: Any, as_of: str, **filters: str) -> dict[str, dict]:
    args = ["receivable", "list", "--as-of", as_of]
    for k, v in filters.items():
        args += [f"--{k}", v]
    return {r["kind"]: r for r in kam.json(*args)}


def test_full_scenario(kam: Any) -> None:
    opp = deal(kam)
    co = contract(kam, opp)
    c = kam.json("contract", "show", co)["contract"]
    assert {k: c[k] for k in ("id", "opportunity_id", "number", "amount", "currency",
                              "status")} == {
        "id": co, "opportunity_id": opp, "number": "HT-2026-0001", "amount": "1000000.00",
        "currency": "CNY", "status": "draft"}
    assert c["customer_id"].startswith("CU")

    # review: standard findings, nothing blocks, waits for the sales manager
    r = kam("contract", "review", co)
    assert r.exit_code == 0, r.stderr
    assert "passed" in r.stdout and "in_review" in r.stdout
    # sign without approval: refused, nothing changed
    r = kam("contract", "sign", co)
    assert r.exit_code == 1
    assert "approval missing from sales_manager" in r.stderr
    assert kam.json("contract", "show", co)["contract"]["status"] == "in_review"
    assert kam.json("receivable", "list") == []
    assert kam.json("opp", "show", opp)["status"] == "open"

    kam.ok("contract", "approve", co, "--by", "李经理", "--comment", "条款已核", env=LI)
    r = kam.ok("contract", "sign", co, "--as-of", "2026-03-02")
    assert "signed on 2026-03-02" in r.stdout
    assert "[x] negotiation.sign" in r.stdout and "[ ] negotiation.collect_advance" in r.stdout
    o = kam.json("opp", "show", opp)
    assert (o["status"], o["stage"], o["forecast_category"]) == ("won", "implementation",
                                                                 "closed")
    assert o["stage_history"][-1]["reason"] == f"contract {co} signed"
    assert {"negotiation.contract_review", "negotiation.contract_approval",
            "negotiation.sign"} <= set(o["checklist"])

    # down payment due on signing + 10 days
    ms = rc(kam, "2026-03-12")
    assert ms["down_payment"]["due_date"] == "2026-03-12"
    assert (ms["down_payment"]["state"], ms["down_payment"]["days_overdue"]) == ("due", 0)
    assert ms["on_delivery"]["due_date"] is None and ms["on_delivery"]["state"] == "scheduled"
    assert [ms[k]["amount"] for k in ("down_payment", "on_delivery", "on_acceptance",
                                      "warranty")] == ["300000.00", "300000.00", "300000.00",
                                                       "100000.00"]
    ms = rc(kam, "2026-03-13")
    assert (ms["down_payment"]["state"], ms["down_payment"]["days_overdue"]) == ("overdue", 1)

    # a part of the down payment on 20 March
    kam.ok("pay", "record", co, "100000", "--as-of", "2026-03-20", "--ref", "BANK-1")
    ms = rc(kam, "2026-03-20")
    dp = ms["down_payment"]
    assert (dp["paid"], dp["outstanding"], dp["state"], dp["days_overdue"]) == (
        "100000.00", "200000.00", "partially_paid", 8)

    # the down payment is overdue (款到发货): delivering anyway needs a recorded reason
    assert kam("contract", "deliver", co, "--date", "2026-04-01", "--as-of", "2026-04-02"
               ).exit_code == 1
    kam.ok("contract", "deliver", co, "--date", "2026-04-01", "--as-of", "2026-04-02",
           "--force", "--reason", "客户书面承诺付款")
    kam.ok("contract", "accept", co, "--stage", "initial", "--date", "2026-04-15",
           "--as-of", "2026-04-15")
    ms = rc(kam, "2026-04-15")
    assert ms["on_delivery"]["due_date"] == "2026-05-01"
    assert ms["on_acceptance"]["due_date"] is None  # initial acceptance starts nothing
    kam.ok("contract", "accept", co, "--stage", "final", "--date", "2026-05-10",
           "--as-of", "2026-05-10")
    c = kam.json("contract", "show", co, "--as-of", "2026-05-10")["contract"]
    assert (c["status"], c["final_accepted_on"]) == ("executing", "2026-05-10")

    # 500000 on 5 May: oldest due first — the rest of the down payment, then on-delivery
    p = kam.json("pay", "record", co, "500000", "--as-of", "2026-05-10", "--date",
                 "2026-05-05")
    assert p["allocations"] == [
        {"receivable_id": dp["id"], "amount": "200000.00"},
        {"receivable_id": ms["on_delivery"]["id"], "amount": "300000.00"}]
    ms = rc(kam, "2026-06-10")
    assert ms["down_payment"]["state"] == ms["on_delivery"]["state"] == "paid"
    assert ms["on_acceptance"]["due_date"] == "2026-06-09"
    assert (ms["on_acceptance"]["state"], ms["on_acceptance"]["days_overdue"]) == (
        "overdue", 1)
    # warranty retention due after the 12 warranty months
    assert (ms["warranty"]["due_date"], ms["warranty"]["state"]) == ("2027-05-10", "due")
    ms = rc(kam, "2027-05-11")
    assert (ms["warranty"]["state"], ms["warranty"]["days_overdue"]) == ("overdue", 1)
    assert (ms["on_acceptance"]["days_overdue"]) == 336  # 2026-06-09 → 2027-05-11
    overdue = kam.json("receivable", "list", "--overdue", "--as-of", "2027-05-11")
    assert [r["kind"] for r in overdue] == ["on_acceptance", "warranty"]

    # the down payment in full ticks 催收预付款
    assert "negotiation.collect_advance" in kam.json("opp", "show", opp)[
        "checklist"]

    # over-payment refused: 400000.00 is outstanding
    before = kam.json("receivable", "list", "--as-of", "2026-06-10")
    r = kam("pay", "record", co, "400000.01", "--as-of", "2026-06-10")
    assert r.exit_code == 1 and "over-payment" in r.stderr
    assert kam.json("receivable", "list", "--as-of", "2026-06-10") == before
    assert len(kam.json("pay", "list")) == 2
    kam.ok("pay", "record", co, "400000", "--as-of", "2026-06-10")
    assert {r["state"] for r in kam.json("receivable", "list")} == {"paid"}

    # close after final acceptance and with final accounts (决算); a closed contract
    # cannot be amended
    r = kam("contract", "close", co, "--as-of", "2026-06-10")
    assert r.exit_code == 1 and "final accounts" in r.stderr
    kam.ok("contract", "cost", co, "--stage", "final", "--category", "hardware", "250000",
           "--as-of", "2026-06-10")
    kam.ok("contract", "close", co, "--as-of", "2026-06-10")
    r = kam("contract", "amend", co, "--delta", "5000", "--reason", "追加培训")
    assert r.exit_code == 1 and "closed" in r.stderr
    c = kam.json("contract", "show", co)["contract"]
    assert (c["status"], c["amount"], c["amendments"]) == ("closed", "1000000.00", [])


def test_receivable_json_keys(kam: Any) -> None:
    opp = deal(kam)
    co = contract(kam, opp)
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "李经理", env=LI)
    kam.ok("contract", "sign", co)
    row = kam.json("receivable", "list")[0]
    assert {"id", "contract_id", "customer_id", "kind", "amount", "due_date", "paid",
            "outstanding", "state", "days_overdue"} <= set(row)
    assert row["contract_id"] == co


def test_sign_refused_with_blocking_findings(kam: Any) -> None:
    opp = deal(kam)
    co = kam.id("contract", "create", opp, "--plan",
                "down_payment:30%:+10d,on_delivery:30%:+30d,on_acceptance:30%:+30d")
    r = kam("contract", "review", co)
    assert r.exit_code == 1
    assert "payment plan adds up to 900000.00 (90.00%), not the contract amount" in r.stdout
    assert kam.json("contract", "show", co)["contract"]["status"] == "draft"
    r = kam("contract", "approve", co, "--by", "李经理", env=LI)
    assert r.exit_code == 1 and "review it first" in r.stderr
    r = kam("contract", "sign", co)
    assert r.exit_code == 1 and "blocking review findings" in r.stderr
    assert kam.json("receivable", "list") == []
    # fixing the plan (edit) makes it pass
    kam.ok("contract", "edit", co, "--plan", PLAN)
    assert kam("contract", "review", co).exit_code == 0


def test_review_warnings(kam: Any) -> None:
    opp = deal(kam)
    co = kam.id("contract", "create", opp, "--plan",
                "down_payment:10%:+10d,on_acceptance:70%:+30d,warranty:20%")
    findings = kam.json("contract", "review", co)["findings"]
    codes = {f["code"]: f["severity"] for f in findings}
    assert codes == {"low_down_payment": "warn", "no_acceptance_criteria": "warn",
                     "no_change_cost": "warn", "unlimited_service": "warn",
                     "retention_cap": "warn"}
    co2 = kam.id("contract", "create", opp, "--plan", "on_acceptance:100%:+30d",
                 "--amount", "500000")
    codes = {f["code"] for f in kam.json("contract", "review", co2)["findings"]}
    assert "no_down_payment" in codes


def test_approval_thresholds_from_config(kam: Any) -> None:
    with (kam.path / "kam.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[approvals]\nalways = \"\"\nsales_director_above = 500000\n"
                 "general_manager_above = 2000000\nfinance_discount_above = 5\n")
    opp = deal(kam, "3000000")
    co = contract(kam, opp, "--discount", "8")
    kam.ok("contract", "review", co)
    assert kam.json("contract", "show", co)["approvals_needed"] == [
        "sales_director", "general_manager", "finance"]
    kam.ok("contract", "approve", co, "--by", "刘洋", "--role", "sales_director",
           env={"KAM_USER": "刘洋"})
    kam.ok("contract", "approve", co, "--by", "王总", "--role", "general_manager",
           "--reject", "--comment", "价格太低", env={"KAM_USER": "王总"})
    c = kam.json("contract", "show", co)["contract"]
    assert c["status"] == "draft"
    last = c["approvals"][-1]
    assert {k: last[k] for k in ("role", "by", "decision", "comment", "version")} == {
        "role": "general_manager", "by": "王总", "decision": "rejected",
        "comment": "价格太低", "version": 0}
    assert last["on"] == "2026-03-02"  # the business date; "at" is the wall clock
    kam.ok("contract", "review", co)
    for by, role in (("王总", "general_manager"), ("钱会计", "finance")):
        kam.ok("contract", "approve", co, "--by", by, "--role", role, env={"KAM_USER": by})
    assert kam.json("contract", "show", co)["contract"]["status"] == "approved"
    # small contract with no rule: approved by review alone, signable
    opp2 = deal(kam, "100000")
    co2 = contract(kam, opp2)
    kam.ok("contract", "review", co2)
    assert kam.json("contract", "show", co2)["contract"]["status"] == "approved"
    kam.ok("contract", "sign", co2)


def signed(kam: Any, amount: str = "1000000") -> tuple[str, str]:
    opp = deal(kam, amount)
    co = contract(kam, opp)
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "李经理", env=LI)
    kam.ok("contract", "sign", co)
    return opp, co


def test_amendment_rebalances_unpaid_with_approval(kam: Any) -> None:
    _, co = signed(kam)
    kam.ok("pay", "record", co, "300000")  # the down payment, in full
    r = kam.ok("contract", "amend", co, "--delta", "70000", "--reason", "增加两个变电站")
    # 1070000 is above the 1000000 threshold: the sales director must approve too
    assert "waits for approval by sales_manager, sales_director" in r.stdout
    amounts = [m["amount"] for m in kam.json("receivable", "list")]
    assert amounts == ["300000.00", "300000.00", "300000.00", "100000.00"]  # not yet
    kam.ok("contract", "approve", co, "--by", "李经理", "--role", "sales_manager", env=LI)
    assert kam.json("contract", "show", co)["contract"]["amount"] == "1000000.00"
    kam.ok("contract", "approve", co, "--by", "刘洋", env={"KAM_USER": "刘洋"})
    c = kam.json("contract", "show", co)
    assert c["contract"]["amount"] == "1070000.00" and c["contract"]["version"] == 1
    # +70000 over 300000:300000:100000 → 30000, 30000, 10000
    assert [m["amount"] for m in c["milestones"]] == ["300000.00", "330000.00", "330000.00",
                                                       "110000.00"]
    assert c["contract"]["amendments"][0]["reason"] == "增加两个变电站"
    # a decrease that the open milestones cannot carry is refused, nothing changes
    r = kam("contract", "amend", co, "--delta", "-770000.01", "--reason", "x")
    assert r.exit_code == 2
    assert kam.json("contract", "show", co)["contract"]["amount"] == "1070000.00"


def test_amendment_sum_invariant_through_services(kam: Any) -> None:
    with (kam.path / "kam.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[approvals]\nalways = \"\"\n")
    opp = deal(kam, "999999.99")
    ws = kam.workspace()
    try:
        co = contracts.create(ws, opp, plan=PLAN)["id"]
        assert contracts.review(ws, co)["contract"]["status"] == "approved"  # no approver
        contracts.sign(ws, co)
        payments.record(ws, co, "123.45")
        for delta in ("0.01", "-333333.33", "1000.07", "-0.05", "77777.77"):
            contract_amendments.amend(ws, co, delta, "price change")
            c = ws.get("contract", co)
            rows = list(ws.storage.find("receivable", {"contract_id": co}))
            assert sum(r["amount"] for r in rows) == c["amount"]
            # 30% of 999999.99 rounded down; partly paid, so locked through every change
            assert rows[0]["amount"] == Decimal("299999.99")
        assert c["amount"] == Decimal("999999.99") + Decimal("0.01") - Decimal("333333.33") \
            + Decimal("1000.07") - Decimal("0.05") + Decimal("77777.77")
    finally:
        ws.close()


def test_attachment_verify(kam: Any, tmp_path: Path) -> None:
    _, co = signed(kam)
    doc = tmp_path / "合同.pdf"
    doc.write_bytes(b"signed contract v1")
    at = kam.json("contract", "attach", co, str(doc), "--kind", "contract")
    assert at["sha256"] == hashlib.sha256(b"signed contract v1").hexdigest()
    r = kam("contract", "verify", co)
    assert r.exit_code == 0 and "ok" in r.stdout
    doc.write_bytes(b"signed contract v2")
    r = kam("contract", "verify", co)
    assert r.exit_code == 1 and "changed" in r.stdout and at["id"] in r.stderr
    doc.unlink()
    r = kam("contract", "verify", co)
    assert r.exit_code == 1 and "missing" in r.stdout


def test_handover_invoice_write_off(kam: Any) -> None:
    opp, co = signed(kam)
    h = kam.json("contract", "handover", co, "--pm", "赵工", "--engineer", "钱工",
                 "--sales-manager", "张伟", "--start", "2026-03-10", "--end", "2026-06-30",
                 "--scope", "全站监控", "--training", "两天", "--implementation-fee", "80000")
    assert {k: h[k] for k in ("pm", "engineer", "start", "end", "implementation_fee",
                              "contract_number", "date")} == {
        "pm": "赵工", "engineer": "钱工", "start": "2026-03-10", "end": "2026-06-30",
        "implementation_fee": "80000.00", "contract_number": "HT-2026-0001",
        "date": "2026-03-02"}
    assert "implementation.handover" in kam.json("opp", "show", opp)["checklist"]
    down = kam.json("receivable", "list")[0]
    iv = kam.json("invoice", "issue", co, "--amount", "300000", "--number", "No.0001",
                  "--milestone", down["id"])
    assert (iv["receivable_id"], iv["amount"]) == (down["id"], "300000.00")
    r = kam("invoice", "issue", co, "--amount", "0.01", "--number", "No.0002",
            "--milestone", down["id"])
    assert r.exit_code == 1
    r = kam("invoice", "issue", co, "--amount", "1", "--number", "No.0001")
    assert r.exit_code == 2
    # write-off needs --by and --reason, is recorded, refuses twice
    assert kam("receivable", "write-off", down["id"], "--reason", "x").exit_code == 2
    kam.ok("pay", "record", co, "100000")
    w = kam.json("receivable", "write-off", down["id"], "--by", "财务总监", "--reason",
                 "客户破产清算")
    assert (w["state"], w["outstanding"], w["written_off"]) == ("written_off", "0.00",
                                                                "200000.00")
    history = kam.json("history", down["id"])
    assert history[-1]["kind"] == "receivable.written_off"
    assert history[-1]["payload"]["by"] == "财务总监"
    assert kam("receivable", "write-off", down["id"], "--by", "a", "--reason", "b"
               ).exit_code == 1


def test_terminate_and_lifecycle_refusals(kam: Any) -> None:
    _, co = signed(kam)
    assert kam("contract", "accept", co).exit_code == 1  # not delivered
    assert kam("contract", "close", co).exit_code == 1  # no final acceptance
    kam.ok("contract", "terminate", co, "--reason", "客户撤销项目")
    assert kam("contract", "deliver", co).exit_code == 1
    assert kam("contract", "amend", co, "--delta", "1", "--reason", "x").exit_code == 1
    assert kam.json("contract", "list", "--status", "terminated")[0]["id"] == co


class Recorder:
    """A company plugin that records contract and receivable events and adds rules."""

    def __init__(self) -> None:
        self.contract_events: list[tuple[str, str]] = []
        self.receivable_events: list[tuple[str, str, int | None]] = []

    from kam import hookimpl

    @hookimpl
    def kam_contract_event(self, ws: Any, contract: dict, action: str, event: dict) -> None:
        self.contract_events.append((contract["id"], action))

    @hookimpl
    def kam_receivable_event(self, ws: Any, receivable: dict, action: str, level: int | None,
                             event: dict) -> None:
        self.receivable_events.append((receivable["id"], action, level))

    @hookimpl
    def kam_review_contract(self, ws: Any, contract: dict, milestones: list) -> list:
        from kam.findings import block

        if contract["amount"] > Decimal("5000000"):
            return [block("acme_cap", "ACME signs nothing above 5M without the board")]
        return []

    @hookimpl
    def kam_required_approvals(self, ws: Any, contract: dict) -> list:
        return ["legal"] if contract["currency"] == "USD" else []


@pytest.fixture
def rec_ws(kam: Any) -> Any:
    plugins = Plugins()
    recorder = Recorder()
    plugins.register(recorder, "acme")
    ws = Workspace.open(kam.path, plugins=plugins, as_of="2026-03-02")
    ws.recorder = recorder  # type: ignore[attr-defined]
    yield ws
    ws.close()


def test_contract_events_and_company_rules(kam: Any, rec_ws: Any) -> None:
    ws = rec_ws
    from kam.errors import RefusedError
    from kam.services import customers, opportunities

    cu = customers.add(ws, "Contoso", grade="A")
    opp = opportunities.add(ws, cu["id"], "Suite", amount="6000000", currency="USD")
    c = contracts.create(ws, opp["id"], plan=PLAN)
    r = contracts.review(ws, c["id"])
    assert r["blocked"] and "board" in r["findings"][0].message
    assert r["findings"][0].plugin == "acme"
    with pytest.raises(RefusedError, match="board"):
        contracts.sign(ws, c["id"], force=True, reason="框架协议")
    c = contracts.edit(ws, c["id"], amount="400000")
    contracts.review(ws, c["id"])
    assert contracts.card(ws, c["id"])["approvals_needed"] == ["legal", "sales_manager"]
    ws.actor = "李经理"  # approvers are the acting users, never the owner (tester)
    contracts.approve(ws, c["id"], "李经理", role="sales_manager")
    ws.actor = "Mr Law"
    contracts.approve(ws, c["id"], "Mr Law", role="legal")
    ws.actor = "tester"
    contracts.sign(ws, c["id"], force=True, reason="框架协议")
    contract_lifecycle.deliver(ws, c["id"])
    contract_lifecycle.accept(ws, c["id"], stage="final")
    contract_costs.record(ws, c["id"], "final", [("labour", "100000")])
    contract_lifecycle.close(ws, c["id"])
    assert ws.recorder.contract_events == [(c["id"], a) for a in
                                           ("signed", "delivered", "accepted", "closed")]
    payments.record(ws, c["id"], "120000")  # the down payment, 30% of 400000
    rows = list(ws.storage.find("receivable", {"contract_id": c["id"]}, order_by=("seq",)))
    assert ws.recorder.receivable_events == [(rows[0]["id"], "paid", None)]


def test_receivable_list_orders_by_due_date_with_undated_milestones_last(kam: Any) -> None:
    """Milestones stream in due-date order, then contract and plan order; those with no
    due date yet (delivery and acceptance not happened) come last."""
    for _ in range(2):
        co = contract(kam, deal(kam))
        kam.ok("contract", "review", co)
        kam.ok("contract", "approve", co, "--by", "李经理", env=LI)
        kam.ok("contract", "sign", co)
    rows = kam.json("receivable", "list")
    assert len(rows) == 8
    key = [(r["due_date"] is None, r["due_date"] or "", r["contract_id"], r["id"])
           for r in rows]
    assert key == sorted(key)
    assert any(r["due_date"] is None for r in rows) and rows[-1]["due_date"] is None
