"""kam today: the morning list, from a hand-built workspace with known answers."""

from __future__ import annotations

from conftest import Kam
from kam.acquisition import ADVICE


def test_today_lists_next_steps_receivables_and_stalled(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力", "--grade", "A", "--purchase-type", "持续购买")
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
    # the acquisition advice for the deals listed, by the customer's purchase scenario
    continuous = ADVICE["continuous"]
    assert [(r["id"], r["purchase_type"], r["advice"]) for r in tables["advice"]["rows"]] == [
        (a, "continuous", continuous[1])]
    later = kam.json("today", "--as-of", "2026-04-10")["tables"]
    assert {r["id"] for r in later["stalled"]["rows"]} == {b}  # a is won, b is silent
    # a's next step (演示, now late) is still listed, then b as stalled: each gets advice
    assert [r["record_id"] for r in later["next_steps"]["rows"]] == [a]
    assert [r["id"] for r in later["advice"]["rows"]] == [a, b]
    zh = kam.ok("--lang", "zh", "today", "--as-of", "2026-03-02").stdout
    assert "今日待办" in zh and continuous[0] in zh and "持续购买" in zh
    kam.ok("customer", "edit", cu, "--purchase-type", "occasional")
    assert [r["advice"] for r in kam.json("today", "--as-of", "2026-03-02")["tables"][
        "advice"]["rows"]] == [ADVICE["occasional"][1]]


def test_today_gives_no_advice_without_a_purchase_scenario(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "1000")
    kam.ok("activity", "log", opp, "--type", "call", "--next", "报价", "--next-due",
           "2026-03-03", "--date", "2026-03-01")
    tables = kam.json("today", "--as-of", "2026-03-02")["tables"]
    assert [r["record_id"] for r in tables["next_steps"]["rows"]] == [opp]
    assert tables["advice"]["rows"] == []


def test_today_lists_the_first_rows_of_each_table_and_counts_the_rest(kam: Kam) -> None:
    """Tables and md list ``--limit`` rows per table (50 by default) and say how many more;
    json and csv list all unless ``--limit`` is given (then ``meta.more`` names the tables
    cut short); ``--limit 0`` lists all. The rows listed are the first of the whole list
    in its order, on every backend (SQLite counts from indexes, the others by reading)."""
    cu = kam.id("customer", "add", "华东电力", "--purchase-type", "持续购买")
    deals = []
    for n in range(4):
        opp = kam.id("opp", "add", cu, f"项目{n}", "--amount", "1000", "--importance", "I",
                     "--as-of", "2026-01-05")
        deals.append(opp)
        kam.ok("activity", "log", opp, "--type", "call", "--date", f"2026-01-1{n}",
               "--next", f"步骤{n}", "--next-due", f"2026-01-2{n}")
    for opp in deals[2:]:
        kam.ok("opp", "lose", opp, "--reason", "价格", "--as-of", "2026-01-30")
    co = kam.id("contract", "create", deals[0], "--number", "HT-1", "--plan",
                "down_payment:30%:+1d,down_payment:30%:+2d,down_payment:40%:+3d",
                "--acceptance-criteria", "验收", "--change-cost", "按人天",
                "--service-end", "2026-04-30")
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "经理", env={"KAM_USER": "经理"})
    kam.ok("contract", "sign", co, "--date", "2026-02-02", "--force", "--reason", "框架")
    as_of = ("--as-of", "2026-03-20")

    full = kam.json("today", *as_of)
    assert "more" not in full["meta"]
    assert kam.json("today", *as_of, "--limit", "0") == full
    counts = {name: len(t["rows"]) for name, t in full["tables"].items()}
    assert {k: counts[k] for k in ("next_steps", "receivables", "stalled", "case_analysis",
                                   "ending")} == {"next_steps": 2, "receivables": 3,
                                                  "stalled": 1, "case_analysis": 3,
                                                  "ending": 1}
    for limit in (1, 2):
        cut = kam.json("today", *as_of, "--limit", str(limit))
        for name, table in full["tables"].items():
            if name != "advice":  # the advice is for the deals listed
                assert cut["tables"][name]["rows"] == table["rows"][:limit], name
        assert cut["meta"]["more"] == {name: n - limit for name, n in counts.items()
                                       if n > limit and name != "advice"}
    first = kam.json("today", *as_of, "--limit", "1")["tables"]
    listed = [first["next_steps"]["rows"][0]["record_id"], first["stalled"]["rows"][0]["id"]]
    assert [r["id"] for r in first["advice"]["rows"]] == listed  # the deals listed only
    assert [r["id"] for r in full["tables"]["advice"]["rows"]] == deals[:2]
    table = kam.ok("today", *as_of).stdout
    assert "more not listed" not in table  # fewer than 50 rows each
    one = kam.ok("today", *as_of, "--limit", "1").stdout
    assert one.count("more not listed (--limit 0 lists all)") == 3
    assert "… 2 more not listed" in one and "… 1 more not listed" in one
    md = kam.ok("--lang", "zh", "today", *as_of, "--limit", "1", "--format", "md").stdout
    assert "…… 另有 2 行未列出（--limit 0 列出全部）" in md
    csv = kam.ok("today", *as_of, "--format", "csv").stdout
    assert csv.count(co) >= 3  # every milestone of the contract
    assert kam("today", "--limit", "-1").exit_code == 2
