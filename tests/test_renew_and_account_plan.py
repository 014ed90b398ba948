"""续单 and the account plan's inputs: a renewal deal linked to the contract it renews,
anomaly flags reviewed by someone else, SPIN notes on a lead, potential drivers."""

from __future__ import annotations

from conftest import Kam

BOSS = {"KAM_USER": "刘洋"}


def _signed_contract(kam: Kam) -> tuple[str, str]:
    opp = kam.ready_deal()
    cu = kam.json("opp", "show", opp)["customer_id"]
    co = kam.id("contract", "create", opp, "--number", "HT-R-1", "--service-end", "2027-01-15")
    kam.ok("contract", "review", co)
    for role in kam.json("contract", "show", co)["approvals_needed"]:
        kam.ok("contract", "approve", co, "--role", role, env=BOSS)
    kam.ok("contract", "sign", co)
    return cu, co


def test_a_renewal_deal_links_to_the_contract_it_renews(kam: Kam) -> None:
    cu, co = _signed_contract(kam)
    renewal = kam.json("opp", "add", cu, "运维续约", "--amount", "300000", "--renews", co)
    assert renewal["renews_contract_id"] == co
    report = kam.json("report", "renewals", "--days", "400", "--as-of", "2026-12-01")
    ending = report["tables"]["ending"]["rows"]
    assert [r["renewal"] for r in ending if r["contract_id"] == co] == [[renewal["id"]]]
    assert [r["id"] for r in report["tables"]["renewal_deals"]["rows"]] == [renewal["id"]]
    other = kam.id("customer", "add", "别家")
    r = kam("opp", "add", other, "X", "--amount", "1", "--renews", co)
    assert r.exit_code == 2 and "not of" in r.stderr
    plain = kam.id("opp", "add", cu, "新需求", "--amount", "1")
    kam.ok("opp", "edit", plain, "--renews", co)
    assert kam.json("opp", "show", plain)["renews_contract_id"] == co


def test_a_flag_is_reviewed_by_someone_else_and_a_cleared_one_leaves_the_plan(
        kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力")
    kam.ok("customer", "flag", cu, "--type", "low_credit", "--note", "两次延期付款")
    r = kam("customer", "review-flag", cu, "--type", "low_credit", "--decision", "cleared")
    assert r.exit_code == 1 and "someone else" in r.stderr
    kam.ok("customer", "flag-review", cu, "--type", "信用度很低", "--decision", "解除",
           env=BOSS)
    flag = kam.json("customer", "show", cu)["flags"][0]
    assert (flag["decision"], flag["reviewed_by"]) == ("cleared", "刘洋")
    plan = kam.json("report", "account", cu)["tables"]["account"]["rows"]
    assert {r["field"]: r["value"] for r in plan}["flags"] is None
    r = kam("customer", "review-flag", cu, "--type", "low_credit", "--decision", "cleared",
            env=BOSS)
    assert r.exit_code == 1 and "no unreviewed" in r.stderr


def test_flag_review_is_the_issues_name_and_needs_a_type_only_when_several_wait(
        kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力")
    kam.ok("customer", "flag", cu, "--type", "low_credit")
    kam.ok("customer", "flag", cu, "--type", "churn_risk")
    r = kam("customer", "flag-review", cu, "--decision", "confirmed", env=BOSS)
    assert r.exit_code == 2 and "churn_risk, low_credit" in r.stderr
    assert not r.stdout and "Traceback" not in r.stderr
    kam.ok("customer", "review-flag", cu, "--type", "churn_risk", "--decision", "cleared",
           env=BOSS)
    kam.ok("customer", "flag-review", cu, "--decision", "confirmed", env=BOSS)  # the one left
    flags = {f["type"]: f["decision"] for f in kam.json("customer", "show", cu)["flags"]}
    assert flags == {"churn_risk": "cleared", "low_credit": "confirmed"}
    assert [c["id"] for c in kam.json("customer", "list", "--flagged")] == [cu]
    r = kam("customer", "flag-review", cu, "--decision", "cleared", env=BOSS)
    assert r.exit_code == 1 and "no unreviewed flag" in r.stderr


def test_spin_notes_and_potential_drivers_are_set_and_cleared(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力")
    lead = kam.id("lead", "add", cu, "智能电表")
    kam.ok("lead", "spin", lead, "--situation", "12 座变电站", "--problem", "人工巡检")
    assert kam.json("lead", "show", lead)["spin"] == {"situation": "12 座变电站",
                                                      "problem": "人工巡检"}
    kam.ok("lead", "spin", lead, "--problem", "")
    assert kam.json("lead", "show", lead)["spin"] == {"situation": "12 座变电站"}
    kam.ok("customer", "driver", cu, "新建变电站", "--volume", "12座/年")
    kam.ok("customer", "driver", cu, "电表更换", "--volume", "20万只/年")
    kam.ok("customer", "driver", cu, "电表更换")
    drivers = kam.json("customer", "show", cu)["potential_drivers"]
    assert [(d["driver"], d["volume"]) for d in drivers] == [("新建变电站", "12座/年")]
    plan = kam.ok("--lang", "zh", "report", "account", cu).stdout
    assert "新建变电站 12座/年" in plan and "驱动因素" in plan
