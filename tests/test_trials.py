"""试用/POC: trials with scope, dates, criteria and result; rules.trial_before_bidding
makes entering 招投标 need a passed one."""

from __future__ import annotations

from conftest import Kam


def _at_proposal(kam: Kam) -> str:
    """A deal in 提案 whose gate into 招投标 holds but for any trial rule."""
    cu = kam.id("customer", "add", "华东电力", "--grade", "A")
    dm = kam.id("contact", "add", cu, "王建国", "--role", "decision_maker", "--coach",
                "intervene")
    opp = kam.id("opp", "add", cu, "MES 升级", "--amount", "500000", "--margin", "30",
                 "--expense-budget", "1000", "--category", "方案", "--close-date",
                 "2026-12-31", "--importance", "N", "--number", "PRJ-1")
    kam.ok("opp", "edit", opp, "--budget-confirmed", "--authority", dm, "--need", "升级",
           "--timeline", "2026-12-31", "--competition", "两家", "--decision-process", "办公会",
           "--customer-owner", "信息中心")
    kam.ok("activity", "log", opp, "--type", "demo", "--outcome", "advance")
    kam.ok("opp", "check", opp, "proposal.influence_criteria")
    kam.ok("opp", "advance", opp, "--to", "proposal")
    return opp


def test_a_gate_requires_a_passed_trial_before_bidding(kam: Kam) -> None:
    opp = _at_proposal(kam)
    kam.ok("config", "set", "rules.trial_before_bidding", "true")
    refused = kam("opp", "advance", opp)
    assert refused.exit_code == 1 and "no passed trial before bidding" in refused.stderr
    rows = kam.json("opp", "trial", opp, "--scope", "一条产线试用", "--start", "2026-02-01",
                    "--end", "2026-02-20", "--criteria", "报工及时率≥98%")
    assert [(t["seq"], t["result"]) for t in rows] == [(1, "pending")]
    assert kam("opp", "advance", opp).exit_code == 1          # pending is not passed
    kam.ok("opp", "trial", opp, "--trial", "1", "--result", "未通过")
    assert kam("opp", "advance", opp).exit_code == 1          # failed neither
    again = kam("opp", "trial", opp, "--trial", "1", "--result", "passed")
    assert again.exit_code == 1 and "already failed" in again.stderr
    kam.ok("opp", "trial", opp, "--scope", "两条产线", "--start", "2026-02-21", "--end",
           "2026-02-28", "--criteria", "报工及时率≥98%", "--result", "passed")
    kam.ok("opp", "advance", opp)
    shown = kam.json("opp", "show", opp)
    assert shown["stage"] == "bidding"
    assert [(t["seq"], t["result"]) for t in shown["trials"]] == [(1, "failed"), (2, "passed")]
    card = kam.json("report", "opportunity", opp)["tables"]["trials"]["rows"]
    assert [t["scope"] for t in card] == ["一条产线试用", "两条产线"]


def test_a_trial_needs_its_dates_in_order_and_its_criteria(kam: Kam) -> None:
    opp = kam.id("opp", "add", kam.id("customer", "add", "华东电力"), "平台", "--amount", "1")
    r = kam("opp", "trial", opp, "--scope", "x", "--start", "2026-02-20", "--end",
            "2026-02-01", "--criteria", "y")
    assert r.exit_code == 2 and "before --start" in r.stderr
    assert kam("opp", "trial", opp, "--scope", "x", "--start", "2026-02-01", "--end",
               "2026-02-02").exit_code == 2
    assert kam("opp", "trial", opp, "--trial", "1", "--result", "passed").exit_code == 2
    assert kam.json("opp", "show", opp)["trials"] == []
