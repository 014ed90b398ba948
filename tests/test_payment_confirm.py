"""Two-step collection (收款申请单 → 财务确认, kam.toml finance.confirm_payments): a
payment recorded by sales changes no milestone, aging bucket or battle-map number until
finance confirms it; off (the default) a payment counts at once."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Kam

PLAN = "down_payment:30%:+10d,on_delivery:70%:+30d"
FINANCE = {"KAM_USER": "周敏"}


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-04-01")


def _signed(kam: Kam) -> str:
    kam.ok("config", "set", "approvals.always", "")
    cu = kam.id("customer", "add", "华东电力集团")
    opp = kam.id("opp", "add", cu, "机房扩容", "--amount", "100000")
    co = kam.id("contract", "create", opp, "--plan", PLAN, "--acceptance-criteria", "到货验收",
                "--change-cost", "按人天", "--service-end", "2028-12-31")
    kam.ok("contract", "review", co)
    kam.ok("contract", "sign", co, "--date", "2026-03-01", "--force", "--reason", "框架协议")
    return co


def _numbers(kam: Kam) -> Any:
    aging = kam.json("report", "aging")["tables"]["by_currency"]["rows"]
    battle = kam.json("report", "battle-map")["tables"]
    return kam.json("receivable", "list"), aging, battle


def test_an_unconfirmed_payment_counts_nowhere(kam: Kam) -> None:
    co = _signed(kam)  # the 30,000 advance was due 2026-03-11: 21 days overdue
    with (kam.path / "kam.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[finance]\nconfirm_payments = true\n")
    before = _numbers(kam)
    py = kam.json("pay", "record", co, "30000", "--date", "2026-03-30", "--ref", "招行 0001")
    assert py["status"] == "requested"
    assert _numbers(kam) == before, "a request moves no milestone, bucket or battle-map row"
    assert [p["id"] for p in kam.json("pay", "list", "--status", "requested")] == [py["id"]]
    r = kam("pay", "confirm", py["id"])
    assert r.exit_code == 1 and "separation of duties" in r.stderr
    got = kam.json("pay", "confirm", py["id"], env=FINANCE)
    assert got["status"] == "confirmed" and got["confirmed_by"] == "周敏"
    assert got["allocations"] == [{"receivable_id": "RC1", "amount": "30000.00"}]
    rc1 = kam.json("receivable", "list")[0]
    assert (rc1["paid"], rc1["state"], rc1["paid_on"]) == ("30000.00", "paid", "2026-03-30")
    assert _numbers(kam) != before
    r = kam("pay", "confirm", py["id"], env=FINANCE)
    assert r.exit_code == 1 and "already confirmed" in r.stderr
    ws = kam.workspace()
    try:
        kinds = [e["kind"] for e in ws.storage.events()]
    finally:
        ws.close()
    assert kinds.count("payment.requested") == 1 and kinds.count("payment.confirmed") == 1


@pytest.mark.parametrize("backend", ["sqlite"])
def test_off_by_default_and_finance_role_with_roles(kam: Kam) -> None:
    co = _signed(kam)
    assert kam.json("pay", "record", co, "1000").get("status") is None  # counts at once
    assert kam.json("receivable", "list")[0]["paid"] == "1000.00"
    kam.ok("config", "set", "finance.confirm_payments", "true")
    with (kam.path / "kam.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[roles]\n"周敏" = ["finance"]\n"刘洋" = ["sales_director"]\n')
    py = kam.id("pay", "record", co, "2000", "--milestone", "RC2")
    r = kam("pay", "confirm", py, env={"KAM_USER": "刘洋"})
    assert r.exit_code == 1 and "finance" in r.stderr
    got = kam.json("pay", "confirm", py, env=FINANCE)
    assert got["allocations"] == [{"receivable_id": "RC2", "amount": "2000.00"}]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_invoices_are_requested_then_issued_by_finance(kam: Kam) -> None:
    """开票申请单 → 审批开票: a request holds its amount, is no invoice until issued."""
    co = _signed(kam)
    kam.ok("config", "set", "finance.approve_invoices", "true")
    r = kam("invoice", "issue", co, "--amount", "1000", "--number", "FP-1")
    assert r.exit_code == 1 and "kam invoice request" in r.stderr
    iv = kam.json("invoice", "request", co, "--amount", "30000", "--milestone", "RC1")
    assert (iv["status"], iv["number"]) == ("requested", None)
    r = kam("invoice", "request", co, "--amount", "1", "--milestone", "RC1")
    assert r.exit_code == 1 and "30000.00 is invoiced already" in r.stderr
    r = kam("invoice", "approve", iv["id"], "--number", "FP-1")
    assert r.exit_code == 1 and "separation of duties" in r.stderr
    r = kam("invoice", "approve", iv["id"], env=FINANCE)
    assert r.exit_code == 2 and "--number" in r.stderr
    got = kam.json("invoice", "approve", iv["id"], "--number", "FP-1", env=FINANCE)
    assert (got["status"], got["number"], got["date"]) == ("issued", "FP-1", "2026-04-01")
    second = kam.id("invoice", "request", co, "--amount", "70000")
    kam.ok("invoice", "approve", second, "--reject", "--comment", "金额待核", env=FINANCE)
    kam.ok("invoice", "request", co, "--amount", "70000")  # the rejection freed it
    assert kam("doctor").exit_code == 0
