"""拜访计划: plans per owner by month, week or day, against the visits logged — plan vs
done per week in report activity, and the day's plans in kam today."""

from __future__ import annotations

from pathlib import Path

from conftest import Kam


def test_plan_vs_done_matches_a_hand_built_week(kam: Kam) -> None:
    a = kam.id("customer", "add", "华东电力")
    b = kam.id("customer", "add", "深圳智造")
    # week 2026-W10 is Mon 2026-03-02 .. Sun 2026-03-08
    kam.ok("plan", "visit", "张伟", "2026-W10", "--customer", a, "--count", "2")
    kam.ok("plan", "visit", "张伟", "2026-03-04", "--customer", b)        # a day in W10
    kam.ok("plan", "visit", "张伟", "2026-w10", "--customer", a, "--count", "3")  # replaces
    kam.ok("plan", "visit", "李娜", "2026-W10", "--customer", b, "--count", "1")
    kam.ok("plan", "visit", "张伟", "2026-03", "--customer", b, "--count", "5")
    for day, who, cu, kind in (("2026-03-02", "张伟", a, "visit"),
                               ("2026-03-04", "张伟", b, "visit"),
                               ("2026-03-04", "张伟", b, "call"),    # a call is no visit
                               ("2026-03-09", "张伟", a, "visit"),   # next week
                               ("2026-02-27", "张伟", a, "visit")):  # last week, in Feb
        kam.ok("activity", "log", cu, "--type", kind, "--date", day, "--owner", who)
    plans = kam.json("report", "activity", "--as-of", "2026-03-09")["tables"]["plans"]["rows"]
    got = {(r["owner"], r["period"]): (r["planned"], r["done"], r["attainment"])
           for r in plans}
    # by hand: W10 张伟 planned 3 + 1 = 4, visited 03-02 and 03-04 = 2 (50%); 李娜 0 of 1;
    # March 张伟 planned 5, visited 03-02, 03-04, 03-09 = 3 (60%)
    assert got == {("张伟", "2026-W10"): (4, 2, "50.00"), ("李娜", "2026-W10"): (1, 0, "0.00"),
                   ("张伟", "2026-03"): (5, 3, "60.00")}
    mine = kam.json("report", "activity", "--owner", "李娜", "--as-of", "2026-03-09")
    assert [r["owner"] for r in mine["tables"]["plans"]["rows"]] == ["李娜"]
    assert [p["count"] for p in kam.json("plan", "list", "--owner", "张伟",
                                         "--period", "2026-W10")] == [3]
    today = kam.json("today", "--as-of", "2026-03-04")["tables"]["planned_visits"]["rows"]
    assert [(r["owner"], r["customer_id"], r["planned"], r["done"]) for r in today] == [
        ("张伟", b, 1, 1)]
    assert kam.json("today", "--owner", "李娜", "--as-of", "2026-03-04")["tables"][
        "planned_visits"]["rows"] == []


def test_a_plan_period_users_can_get_wrong_is_one_line(tmp_path: Path) -> None:
    kam = Kam(tmp_path / "ws")
    kam.ok("init", "--lang", "en")
    cu = kam.id("customer", "add", "华东电力")
    for period in ("2026-W60", "2026-13", "next week", "2026-02-30"):
        r = kam("plan", "visit", "张伟", period, "--customer", cu)
        assert r.exit_code == 2 and "PERIOD" in r.stderr and "Traceback" not in r.stderr
    assert kam("plan", "visit", "张伟", "2026-03", "--customer", "CU99").exit_code == 3
    assert kam.json("plan", "list") == []
