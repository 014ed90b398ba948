"""Deliveries (发货): request → review → outbound → customer confirmation; the delivery
date is the customer's; partial deliveries start the on-delivery milestone only when
the contract's lines are all confirmed; the outbound waits for an overdue advance."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Kam

PLAN = "down_payment:30%:+10d,on_delivery:70%:+30d"
REVIEWER = {"KAM_USER": "陈静"}


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-20")


def _signed(kam: Kam, *terms: str) -> str:
    """A signed contract of two subject lines: 10 servers and 6 switches (100,000)."""
    kam.ok("config", "set", "approvals.always", "")
    cu = kam.id("customer", "add", "华东电力集团")
    opp = kam.id("opp", "add", cu, "机房扩容", "--amount", "100000")
    co = kam.id("contract", "create", opp, "--plan", PLAN, "--line", "服务器|R740|10|7000",
                "--line", "交换机|S5700|6|5000", "--acceptance-criteria", "到货验收",
                "--change-cost", "按人天", "--service-end", "2028-12-31",
                *[a for t in terms for a in ("--term", t)])
    kam.ok("contract", "review", co)
    kam.ok("contract", "sign", co, "--date", "2026-03-01", "--force", "--reason", "框架协议")
    return co


def _through(kam: Kam, dl: str, shipped: str, confirmed: str, *extra: str) -> dict:
    kam.ok("delivery", "approve", dl, env=REVIEWER)
    kam.ok("delivery", "ship", dl, "--date", shipped)
    return kam.json("delivery", "confirm", dl, "--date", confirmed, *extra)


def test_partial_deliveries_start_the_milestone_only_when_complete(kam: Kam,
                                                                   tmp_path: Path) -> None:
    co = _signed(kam)
    kam.ok("pay", "record", co, "30000", "--date", "2026-03-05")  # the advance, on time
    first = kam.id("delivery", "request", co, "--line", "服务器=4")
    got = _through(kam, first, "2026-03-06", "2026-03-08")
    assert got["contract_delivered"] is False and got["confirmed_on"] == "2026-03-08"
    rc2 = kam.json("receivable", "list")[1]
    assert rc2["kind"] == "on_delivery" and rc2["due_date"] is None
    assert kam.json("report", "aging")["tables"]["by_currency"]["rows"][0]["total"] == "70000.00"
    rest = kam.json("delivery", "request", co)  # no lines: everything still outstanding
    assert rest["lines"] == [{"item": "服务器", "quantity": "6"},
                             {"item": "交换机", "quantity": "6"}]
    note = tmp_path / "客户确认单.pdf"
    note.write_bytes(b"%PDF signed by the customer")
    got = _through(kam, rest["id"], "2026-03-12", "2026-03-15", "--attachment", str(note))
    assert got["contract_delivered"] is True and len(got["confirmation"]["sha256"]) == 64
    contract = kam.json("contract", "show", co)["contract"]
    assert contract["delivered_on"] == "2026-03-15" and contract["status"] == "executing"
    assert kam.json("receivable", "list")[1]["due_date"] == "2026-04-14"  # +30d from 3-15
    assert [d["status"] for d in kam.json("delivery", "list", "--contract", co)] == [
        "confirmed", "confirmed"]
    r = kam("delivery", "request", co)
    assert r.exit_code == 1 and "delivered in full" in r.stderr


@pytest.mark.parametrize("backend", ["sqlite"])
def test_delivery_rules(kam: Kam) -> None:
    co = _signed(kam)  # the advance is due 2026-03-11 and unpaid: overdue on 03-20
    r = kam("delivery", "request", co, "--line", "路由器=1")
    assert r.exit_code == 2 and "not a subject line" in r.stderr
    r = kam("delivery", "request", co, "--line", "服务器=11")
    assert r.exit_code == 1 and "10 of 服务器" in r.stderr
    dl = kam.id("delivery", "request", co, "--line", "交换机")
    r = kam("delivery", "approve", dl)
    assert r.exit_code == 1 and "separation of duties" in r.stderr
    r = kam("delivery", "ship", dl)
    assert r.exit_code == 1 and "requested" in r.stderr
    kam.ok("delivery", "approve", dl, "--reject", "--comment", "库存不足", env=REVIEWER)
    assert kam.json("delivery", "request", co, "--line", "交换机")["lines"] == [
        {"item": "交换机", "quantity": "6"}], "a rejected request frees its quantities"
    dl = kam.json("delivery", "list", "--status", "requested")[0]["id"]
    kam.ok("delivery", "approve", dl, env=REVIEWER)
    r = kam("delivery", "ship", dl)
    assert r.exit_code == 1 and "款到发货" in r.stderr
    kam.ok("delivery", "ship", dl, "--force", "--reason", "客户承诺三日内付款")
    r = kam("delivery", "confirm", dl, "--date", "2026-03-19")
    assert r.exit_code == 2 and "before the outbound" in r.stderr
    r = kam("delivery", "confirm", dl, "--date", "2026-03-21")
    assert r.exit_code == 2 and "future" in r.stderr


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_plan_may_start_the_delivery_milestone_at_the_first_delivery(kam: Kam) -> None:
    co = _signed(kam, "delivery_milestone=first")
    kam.ok("pay", "record", co, "30000", "--date", "2026-03-05")
    first = kam.id("delivery", "request", co, "--line", "交换机=2")
    got = _through(kam, first, "2026-03-06", "2026-03-07")
    assert got["contract_delivered"] is False
    assert [r["id"] for r in got["due"]] == ["RC2"]
    assert kam.json("receivable", "list")[1]["due_date"] == "2026-04-06"
    assert kam.json("contract", "show", co)["contract"]["delivered_on"] is None
    r = kam("contract", "edit", co, "--term", "delivery_milestone=sometimes")
    assert r.exit_code in (1, 2)
