"""Numbers a director can trust: small fixes, each checked through the CLI on both
backends (or through the services) with the answer worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from kam.cli import make_app
from kam.plugin_manager import Plugins
from typer.testing import CliRunner

D = Decimal


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")


PLAN = "down_payment:30%:+10d,on_delivery:30%:+30d,on_acceptance:30%:+30d,warranty:10%:+12m"


def signed(kam: Any, amount: str = "1000000", date: str = "2026-02-01") -> str:
    """A contract signed on ``date``, its deal walked through the gates where kam asks."""
    if hasattr(kam, "ready_deal"):
        opp = kam.ready_deal(amount)
    else:
        cu = kam.id("customer", "add", "华东电力集团", "--grade", "A")
        opp = kam.id("opp", "add", cu, "智能变电站监控平台", "--amount", amount, "--owner",
                     "张伟")
    co = kam.id("contract", "create", opp, "--plan", PLAN, "--acceptance-criteria", "终验合格",
                "--change-cost", "按人天计费", "--service-end", "2028-12-31")
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "李经理", env={"KAM_USER": "李经理"})
    kam.ok("contract", "sign", co, "--date", date)
    return co


# --- 1. kam --version ----------------------------------------------------------------------


def test_version_alone_prints_the_version_and_exits_0() -> None:
    from kam import __version__

    r = CliRunner().invoke(make_app(Plugins()), ["--version"])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == f"kam {__version__}"


def test_version_with_a_workspace_option(kam: Any) -> None:
    r = kam.ok("--version")
    assert r.stdout.startswith("kam ")


# --- 2. the invoice list's number column is the invoice number (发票号) ---------------------


def test_invoice_list_heads_the_number_column_invoice_number_in_zh(kam: Any) -> None:
    co = signed(kam)
    kam.ok("invoice", "issue", co, "--amount", "300000", "--number", "No.0001")
    table = kam.ok("--lang", "zh", "invoice", "list").stdout
    header = table.splitlines()[0]
    assert "发票号" in header and "合同号" not in header
    # a contract's number stays 合同号
    assert "合同号" in kam.ok("--lang", "zh", "contract", "list").stdout.splitlines()[0]
    # JSON keeps the key
    assert kam.json("invoice", "list")[0]["number"] == "No.0001"


# --- 3. dragon_six stages read in the language; the pipeline report counts every deal -------


def test_dragon_six_stages_show_chinese_labels_in_tables(kam: Any) -> None:
    cu = kam.id("customer", "add", "深圳智造科技")
    kam.ok("opp", "add", cu, "MES", "--amount", "100", "--pipeline", "dragon_six")
    table = kam.ok("--lang", "zh", "opp", "list").stdout
    assert "客户分析" in table and "customer_analysis" not in table


def test_every_dragon_six_stage_and_task_has_labels_and_en_label_is_english() -> None:
    from kam.pipeline import stage_label
    from kam.plugins.rules_standard.pipelines import DRAGON_SIX, SIX_STAGE

    assert [s.zh for s in DRAGON_SIX.stages] == [
        "客户分析", "建立信任", "挖掘需求", "呈现价值", "赢取承诺", "跟进服务"]
    for s in DRAGON_SIX.stages:
        assert s.tasks and all(t.zh and t.en and t.zh != t.key for t in s.tasks)
    win = DRAGON_SIX.stage("win_commitment")
    assert (win.label("zh"), win.label("en")) == ("赢取承诺", "win commitment")
    models = [SIX_STAGE, DRAGON_SIX]
    assert stage_label(models, "win_commitment", "zh") == "赢取承诺"
    assert stage_label(models, "proposal", "zh") == "提案"
    assert stage_label(models, "nowhere", "zh") == "nowhere"


def test_pipeline_report_counts_deals_of_another_stage_model(kam: Any) -> None:
    cu = kam.id("customer", "add", "深圳智造科技")
    kam.ok("opp", "add", cu, "A", "--amount", "200.00")                           # six_stage 10%
    kam.ok("opp", "add", cu, "B", "--amount", "100.00", "--pipeline", "dragon_six")  # 10%
    kam.ok("opp", "add", cu, "C", "--amount", "50.50", "--pipeline", "dragon_six")
    report = kam.json("report", "pipeline")
    t = report["tables"]["by_stage"]
    assert [(r["pipeline"], r["stage"], r["count"], r["amount"]) for r in t["rows"]] == [
        ("six_stage", "development", 1, "200.00"),
        ("dragon_six", "customer_analysis", 2, "150.50")]
    # the totals reconcile with opp list: 200.00 + 100.00 + 50.50 = 350.50 over 3 deals
    listed = kam.json("opp", "list", "--status", "open")
    assert sum(D(o["amount"]) for o in listed) == D("350.50")
    assert (t["totals"][0]["count"], t["totals"][0]["amount"]) == (3, "350.50")
    # weighted: 20.00 + 10.00 + 5.05
    assert t["totals"][0]["weighted"] == "35.05"
    assert report["meta"]["other_pipelines"] == {"dragon_six": 2}
    assert report["notes"] and "dragon_six" in report["notes"][0]
    zh = kam.ok("--lang", "zh", "report", "pipeline").stdout
    assert "客户分析" in zh and "摧龙六式" in zh
    # --pipeline keeps one stage model only
    only = kam.json("report", "pipeline", "--pipeline", "dragon_six")["tables"]["by_stage"]
    assert only["totals"][0]["amount"] == "150.50"


# --- 4. overlapping targets roll up, never summed twice ------------------------------------


def _won(kam: Any, cu: str, amount: str, owner: str, date: str) -> None:
    """A deal won on ``date`` (its stored closed_at), through the services."""
    import datetime as dt

    op = kam.id("opp", "add", cu, f"deal {amount}", "--amount", amount, "--owner", owner)
    ws = kam.workspace()
    try:
        with ws.mutation("test.seeded", op, {"fields": ["status", "closed_at"]}):
            ws.storage.update("opportunity", op, {"status": "won",
                                                  "closed_at": dt.date.fromisoformat(date)})
    finally:
        ws.close()


def test_month_target_rolls_up_into_its_quarter_and_counts_once(kam: Any) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    kam.ok("target", "set", "张伟", "2026-Q4", "300000")
    kam.ok("target", "set", "张伟", "2026-11", "120000")
    kam.ok("target", "set", "李娜", "2026-11", "50000")
    _won(kam, cu, "100000", "张伟", "2026-11-20")
    _won(kam, cu, "30000", "张伟", "2026-12-05")
    report = kam.json("report", "targets", "--as-of", "2026-12-15")
    t = report["tables"]["targets"]
    rows = {(r["owner"], r["period"]): r for r in t["rows"]}
    # each target against its own period: November 100000 of 120000; Q4 130000 of 300000
    assert (rows[("张伟", "2026-11")]["won"], rows[("张伟", "2026-11")]["part_of"]) == (
        "100000.00", "2026-Q4")
    assert rows[("张伟", "2026-Q4")]["won"] == "130000.00"
    assert rows[("张伟", "2026-Q4")]["attainment"] == "43.33"   # 130000 / 300000
    assert rows[("李娜", "2026-11")]["part_of"] is None
    # the total adds the outermost targets: 300000 (Q4) + 50000, never the November part
    total = t["totals"][0]
    assert (total["target"], total["won"], total["remaining"]) == (
        "350000.00", "130000.00", "220000.00")   # remaining 170000 + 50000
    # the forecast counts 张伟's Q4 once too: 300000 + 50000
    q4 = next(r for r in kam.json("report", "forecast", "--as-of", "2026-12-15")
              ["tables"]["by_period"]["rows"] if r["period"] == "2026-Q4")
    assert q4["target"] == "350000.00"


def test_parts_must_fit_the_target_they_roll_up_into(kam: Any) -> None:
    kam.ok("target", "set", "张伟", "2026-Q4", "300000")
    kam.ok("target", "set", "张伟", "2026-11", "120000")
    r = kam("target", "set", "张伟", "2026-10", "200000")       # 320000 > 300000
    assert r.exit_code == 1 and "2026-Q4" in r.stderr and "320000.00" in r.stderr
    r = kam("target", "set", "张伟", "2026-Q4", "100000")       # below its November part
    assert r.exit_code == 1 and "120000.00" in r.stderr
    kam.ok("target", "set", "张伟", "2026-10", "180000")         # 300000: fits exactly
    kam.ok("target", "set", "张伟", "2026", "1000000")           # the year holds the quarter
    assert len(kam.json("target", "list")) == 4
    # another owner or currency does not roll up into 张伟's CNY quarter
    kam.ok("target", "set", "李娜", "2026-10", "900000")
    kam.ok("target", "set", "张伟", "2026-12", "500000", "--currency", "USD")


def test_same_owner_and_period_replaces_the_target_with_an_event(kam: Any) -> None:
    tg = kam.id("target", "set", "张伟", "2026-Q4", "300000")
    again = kam.json("target", "set", "张伟", "2026q4", "320000")
    assert (again["id"], again["amount"]) == (tg, "320000.00")
    assert len(kam.json("target", "list")) == 1
    event = kam.json("history", tg)[-1]
    assert event["kind"] == "target.changed"
    assert event["payload"]["was"] == "300000.00"
    assert event["payload"]["diff"]["amount"] == {"old": "300000.00", "new": "320000.00"}


# --- 5. a payment's date: not before the signing, not in the future ------------------------


def test_payment_before_the_signing_date_is_refused_naming_both_dates(kam: Any) -> None:
    co = signed(kam, date="2026-02-01")
    r = kam("pay", "record", co, "1000", "--date", "2026-01-31")
    assert r.exit_code == 2, r.stderr
    assert "2026-01-31" in r.stderr and "2026-02-01" in r.stderr and co in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert kam.json("pay", "list") == []                       # nothing was written
    r = kam("pay", "record", co, "1000", "--date", "2026-03-03")  # today is 2026-03-02
    assert r.exit_code == 2 and "future" in r.stderr
    kam.ok("pay", "record", co, "1000", "--date", "2026-02-01")  # the signing day is fine


# --- 6. money with more than two decimal places is refused, not rounded --------------------


def test_money_with_three_decimals_is_refused_through_the_cli(kam: Any) -> None:
    co = signed(kam)
    r = kam("invoice", "issue", co, "--amount", "100.005", "--number", "No.1")
    assert r.exit_code == 2
    assert r.stderr.strip() == "kam: --amount: 100.005 has more than two decimal places"
    r = kam("pay", "record", co, "100.005")
    assert r.exit_code == 2 and "more than two decimal places" in r.stderr
    cu = kam.id("customer", "add", "深圳智造科技")
    r = kam("opp", "add", cu, "MES", "--amount", "100.005")
    assert r.exit_code == 2 and "more than two decimal places" in r.stderr
    assert kam.json("pay", "list") == [] and kam.json("invoice", "list") == []
    assert kam.json("pay", "record", co, "100.500")["amount"] == "100.50"


# --- 7. a negative amount reaches the service and is refused there -------------------------


def test_negative_payment_is_refused_by_the_service_not_the_parser(kam: Any) -> None:
    co = signed(kam)
    for amount in ("-5", "-5.50", "0"):
        r = kam("pay", "record", co, amount)
        assert r.exit_code == 2, (amount, r.stderr)
        assert "amount must be above 0" in r.stderr and "No such option" not in r.stderr
    r = kam("pay", "record", co, "-5", "--date", "2026-02-10")  # options after it still work
    assert r.exit_code == 2 and "amount must be above 0" in r.stderr
    assert kam.json("pay", "list") == []
    # an unknown option is still an error, never taken as the amount
    assert kam("pay", "record", co, "100", "--bogus").exit_code == 2


def test_config_set_pipeline_names_a_stage_model(kam: Any) -> None:
    r = kam("config", "set", "pipeline", "nosuch")
    assert r.exit_code == 2 and "six_stage" in r.stderr
    kam.ok("config", "set", "pipeline", "dragon_six")
