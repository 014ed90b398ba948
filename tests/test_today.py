"""kam today: the morning list, from a hand-built workspace with known answers."""

from __future__ import annotations

from conftest import Kam


def test_today_lists_next_steps_receivables_and_stalled(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力", "--grade", "A")
    a = kam.id("opp", "add", cu, "监控平台", "--amount", "1000", "--as-of", "2026-01-05")
    b = kam.id("opp", "add", cu, "配网二期", "--amount", "500", "--as-of", "2026-01-05")
    # a: the later call supersedes the earlier next step
    kam.ok("activity", "log", a, "--type", "visit", "--date", "2026-02-20", "--next", "报价",
           "--next-due", "2026-02-25")
    kam.ok("activity", "log", a, "--type", "call", "--date", "2026-02-26", "--next", "演示",
           "--next-due", "2026-03-05")
    # b: a next step far ahead is not listed
    kam.ok("activity", "log", b, "--type", "call", "--date", "2026-02-26", "--next", "回访",
           "--next-due", "2026-04-30")
    co = kam.id("contract", "create", a, "--number", "HT-1", "--plan",
                "down_payment:40%:+5d,on_delivery:60%:+30d", "--acceptance-criteria", "验收",
                "--change-cost", "按人天", "--service-end", "2027-01-31")
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "经理", env={"KAM_USER": "经理"})
    kam.ok("contract", "sign", co, "--date", "2026-02-20", "--force", "--reason", "框架协议")
    # down payment due 2026-02-25

    data = kam.json("today", "--as-of", "2026-03-02")
    tables = data["tables"]
    steps = tables["next_steps"]["rows"]
    assert [(r["record_id"], r["next_step"], r["next_due"], r["days_late"]) for r in steps] == [
        (a, "演示", "2026-03-05", 0)]
    rcv = tables["receivables"]["rows"]
    assert [(r["kind"], r["state"], r["days_overdue"], r["outstanding"]) for r in rcv] == [
        ("down_payment", "overdue", 5, "400.00")]
    stalled = {r["id"] for r in tables["stalled"]["rows"]}
    assert stalled == set()  # both were touched within 30 days
    later = kam.json("today", "--as-of", "2026-04-10")["tables"]
    assert {r["id"] for r in later["stalled"]["rows"]} == {b}  # a is won, b is silent
    assert "今日待办" in kam.ok("--lang", "zh", "today", "--as-of", "2026-03-02").stdout
