"""谈判让步: concessions given and received on the deal's card; a discount beyond the
approval thresholds needs the approval a contract with that discount would need."""

from __future__ import annotations

from conftest import Kam


def test_concessions_are_logged_and_a_large_discount_needs_its_approver(kam: Kam) -> None:
    kam.ok("config", "set", "roles.周敏", '["finance"]')  # [roles]: finance approves discounts
    cu = kam.id("customer", "add", "华东电力", "--grade", "A")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "1000000", "--owner", "李娜")
    rows = kam.json("opp", "concession", opp, "--what", "免费培训", "--direction", "given",
                    "--value", "30000", "--exchange", "首付款提前到签约当周")
    assert [(r["direction"], r["value"], r["discount"]) for r in rows] == [
        ("given", "30000.00", "3.00")]
    # 3% + 8% = 11%: above approvals.finance_discount_above (10), as a contract would be
    over = ("opp", "concession", opp, "--what", "折扣", "--direction", "我方让步",
            "--value", "80000")
    refused = kam(*over)
    assert refused.exit_code == 1 and "finance" in refused.stderr
    assert "--approved-by" in refused.stderr
    assert kam(*over, "--approved-by", "李娜").exit_code == 1     # the owner
    assert kam(*over, "--approved-by", "王磊").exit_code == 1     # holds no finance role
    kam.ok(*over, "--approved-by", "周敏")
    kam.ok("opp", "concession", opp, "--what", "增购 50 套", "--direction", "received")
    shown = kam.json("opp", "show", opp)["concessions"]
    assert [(c["what"], c["discount"], c["approved_by"], c["approval_role"])
            for c in shown] == [("免费培训", "3.00", None, None),
                                ("折扣", "11.00", "周敏", "finance"),
                                ("增购 50 套", None, None, None)]
    card = kam.json("report", "opportunity", opp)["tables"]["concessions"]["rows"]
    assert [c["what"] for c in card] == ["免费培训", "折扣", "增购 50 套"]
    events = [e["kind"] for e in kam.json("history", opp)]
    assert events.count("opportunity.concession") == 3


def test_a_concession_on_a_closed_deal_or_without_what_is_refused(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "1000")
    bad = kam("opp", "concession", opp, "--what", " ", "--direction", "given")
    assert bad.exit_code == 2
    assert kam("opp", "concession", opp, "--what", "x", "--direction", "sideways"
               ).exit_code == 2
    kam.ok("opp", "lose", opp, "--reason", "价格")
    closed = kam("opp", "concession", opp, "--what", "折扣", "--direction", "given")
    assert closed.exit_code == 1 and "lost" in closed.stderr
    assert kam.json("opp", "show", opp)["concessions"] == []
