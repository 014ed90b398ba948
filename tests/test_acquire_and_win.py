"""The acquire-and-win half end to end through the CLI: customer → contacts → lead →
qualify → six stage gates, each refused until its key node holds."""

from __future__ import annotations

from conftest import Kam


def _setup(kam: Kam) -> dict[str, str]:
    cu = kam.id("customer", "add", "华东电力集团", "--industry", "电力")
    dm = kam.id("contact", "add", cu, "王建国", "--role", "决策者", "--level", "executive")
    sel = kam.id("contact", "add", cu, "李静", "--role", "selector", "--coach", "intervene",
                 "--stance", "supporter")
    lead = kam.id("lead", "add", cu, "智能变电站监控平台", "--source", "展会")
    return {"cu": cu, "dm": dm, "sel": sel, "lead": lead}


def _events(kam: Kam) -> int:
    ws = kam.workspace()
    try:
        return sum(1 for _ in ws.storage.events())
    finally:
        ws.close()


def test_three_of_four_bant_is_refused_with_what_is_missing(kam: Kam) -> None:
    ids = _setup(kam)
    before = _events(kam)
    r = kam("lead", "qualify", ids["lead"], "--budget-confirmed", "--authority", ids["dm"],
            "--need", "监控平台升级")
    assert r.exit_code == 1
    assert "timeline" in r.stderr
    assert "Traceback" not in r.stderr
    assert _events(kam) == before  # nothing written
    assert kam.json("lead", "show", ids["lead"])["status"] == "open"


def test_full_pipeline_gates(kam: Kam) -> None:
    ids = _setup(kam)
    opp = kam.id("lead", "qualify", ids["lead"], "--budget-confirmed", "--budget-amount",
                 "3,200,000", "--authority", ids["dm"], "--need", "监控平台升级",
                 "--timeline", "2026-09-30")
    assert opp.startswith("OP")
    data = kam.json("opp", "show", opp)
    assert data["stage"] == "development"
    assert data["probability"] == 10
    assert data["amount"] == "3200000.00"
    assert kam.json("lead", "show", ids["lead"])["opportunity_id"] == opp

    # development: the customer is not graded, competition and decision process missing
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1
    assert "not graded" in r.stderr and "competition" in r.stderr
    kam.ok("customer", "edit", ids["cu"], "--grade", "A")
    kam.ok("opp", "edit", opp, "--competition", "两家同行", "--decision-process", "总经理办公会")
    kam.ok("opp", "advance", opp)
    assert kam.json("opp", "show", opp)["stage"] == "initiation"

    # initiation: the initiation report and VI approval
    kam.ok("opp", "edit", opp, "--importance", "VI")
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1
    for missing in ("project number", "customer-side owner", "gross-margin", "expense budget",
                    "category", "management approval"):
        assert missing in r.stderr
    kam.ok("opp", "edit", opp, "--number", "PRJ-001", "--customer-owner", "李静",
           "--margin", "32", "--expense-budget", "90000", "--category", "解决方案",
           "--close-date", "2026-10-15")
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1 and "management approval" in r.stderr
    kam.ok("opp", "approve", opp, "--by", "销售总监", "--comment", "战略客户",
           env={"KAM_USER": "销售总监"})  # management, not the owner
    kam.ok("opp", "advance", opp, "--to", "提案")  # Chinese stage label accepted
    assert kam.json("opp", "show", opp)["probability"] == 40

    # proposal: decision maker + coach exist; proposal delivered and criteria influenced missing
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1
    assert "proposal or demo" in r.stderr and "purchase criteria" in r.stderr
    assert "decision maker" not in r.stderr
    kam.ok("activity", "log", opp, "--type", "demo", "--outcome", "advance",
           "--contact", ids["sel"])
    kam.ok("opp", "check", opp, "proposal.influence_criteria")
    kam.ok("opp", "advance", opp)

    # bidding: needs a won bid and a margin above the floor
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1 and "winning bid" in r.stderr
    kam.ok("opp", "bid", opp, "--price", "3100000", "--result", "won")
    kam.ok("opp", "advance", opp)
    data = kam.json("opp", "show", opp)
    assert (data["stage"], data["probability"]) == ("negotiation", 80)

    # negotiation: waits for a signed contract; only --force --reason passes without one
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1 and "signed contract" in r.stderr
    r = kam("opp", "advance", opp, "--force")
    assert r.exit_code == 2 and "--reason" in r.stderr
    kam.ok("opp", "advance", opp, "--force", "--reason", "合同线下已签")
    data = kam.json("opp", "show", opp)
    assert data["stage"] == "implementation"
    assert data["status"] == "won"
    assert data["forced"] is True
    assert data["probability"] == 100  # won is won: forcing lowers the odds of open deals
    hist = kam.json("history", opp)
    forced = [e for e in hist if e["kind"] == "opportunity.advanced" and e["payload"]["forced"]]
    assert forced and forced[0]["payload"]["reason"] == "合同线下已签"
    assert forced[0]["payload"]["overridden"][0]["code"] == "contract_signed"


def test_gate_that_holds_passes_and_show_lists_needs(kam: Kam) -> None:
    ids = _setup(kam)
    opp = kam.id("opp", "add", ids["cu"], "配网自动化", "--amount", "1800000")
    card = kam.json("opp", "show", opp)
    codes = {g["code"] for g in card["gate"]}
    assert {"bant_budget", "bant_authority", "customer_grade"} <= codes
    text = kam.ok("opp", "show", opp).stdout
    assert "gate still needs" in text


def test_lose_and_abandon_need_reason_and_stop_changes(kam: Kam) -> None:
    ids = _setup(kam)
    opp = kam.id("opp", "add", ids["cu"], "配网自动化", "--amount", "1800000")
    assert kam("opp", "lose", opp, "--reason", " ").exit_code == 2
    kam.ok("opp", "lose", opp, "--reason", "价格高", "--summary", "决策链覆盖不足")
    data = kam.json("opp", "show", opp)
    assert (data["status"], data["forecast_category"]) == ("lost", "omitted")
    r = kam("opp", "advance", opp, "--force", "--reason", "x")
    assert r.exit_code == 1
    assert kam("opp", "abandon", opp, "--reason", "x").exit_code == 1


def test_dragon_six_pipeline(kam: Kam) -> None:
    ids = _setup(kam)
    opp = kam.id("opp", "add", ids["cu"], "咨询项目", "--amount", "100000",
                 "--pipeline", "dragon_six")
    assert kam.json("opp", "show", opp)["stage"] == "customer_analysis"
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1 and "need" in r.stderr
    kam.ok("opp", "edit", opp, "--need", "流程诊断")
    kam.ok("opp", "advance", opp)
    assert kam.json("opp", "show", opp)["stage"] == "build_trust"
    kam.ok("opp", "advance", opp)  # the selector is a supporter
    assert kam.json("opp", "show", opp)["probability"] == 40


def test_continuance_run_warns(kam: Kam) -> None:
    ids = _setup(kam)
    opp = kam.id("opp", "add", ids["cu"], "配网自动化", "--amount", "1800000")
    for day in ("2026-02-01", "2026-02-08"):
        r = kam.ok("activity", "log", opp, "--type", "call", "--outcome", "continuance",
                   "--date", day)
        assert "continuance" not in r.stderr
    r = kam.ok("activity", "log", opp, "--type", "visit", "--outcome", "暂时中断",
               "--date", "2026-02-15")
    assert "3 calls in a row" in r.stderr
    rows = kam.json("activity", "list", "--opp", opp)
    assert [a["outcome"] for a in rows] == ["continuance"] * 3


def test_lead_drop_and_checklist_uncheck(kam: Kam) -> None:
    ids = _setup(kam)
    kam.ok("lead", "drop", ids["lead"], "--reason", "无预算")
    assert kam.json("lead", "list", "--status", "dropped")[0]["id"] == ids["lead"]
    r = kam("lead", "qualify", ids["lead"], "--need", "x")
    assert r.exit_code == 1 and "dropped" in r.stderr
    opp = kam.id("opp", "add", ids["cu"], "配网自动化", "--amount", "1800000")
    kam.ok("opp", "check", opp, "find_leads", "评估销售机会")
    assert kam.json("opp", "show", opp)["checklist"] == ["development.find_leads",
                                                        "development.evaluate"]
    kam.ok("opp", "uncheck", opp, "development.find_leads")
    assert kam.json("opp", "show", opp)["checklist"] == ["development.evaluate"]
    assert kam("opp", "check", opp, "no_such_task").exit_code == 2


def test_company_can_require_checklist_items(kam: Kam) -> None:
    ids = _setup(kam)
    kam.ok("config", "set", "rules.required_tasks", '["development.grade_customer"]')
    kam.ok("customer", "edit", ids["cu"], "--grade", "B")
    opp = kam.id("lead", "qualify", ids["lead"], "--budget-confirmed", "--authority", ids["dm"],
                 "--need", "n", "--timeline", "2026-09-30")
    kam.ok("opp", "edit", opp, "--competition", "c", "--decision-process", "d")
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1 and "development.grade_customer" in r.stderr
    kam.ok("opp", "check", opp, "grade_customer")
    kam.ok("opp", "advance", opp)
    assert kam("config", "set", "rules.required_tasks", "[oops").exit_code == 2
