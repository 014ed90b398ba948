"""Acme's rules, run through kam's own CLI with kam's pytest fixtures (kam.testing):
``kam_cli`` is a new workspace with the plugins of ``kam_plugins`` registered, whether
or not acme-kam is also pip-installed."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

# not installed: import the plugin from the source tree (installed: the same module)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from acme_kam import plugin  # noqa: E402


@pytest.fixture
def kam_plugins() -> Mapping[str, object]:
    return {"acme": plugin}


def _deal(kam: Any, margin: str = "20") -> tuple[str, str]:
    cu = kam.id("customer", "add", "宁波精密机械", "--grade", "A", "--field", "credit_days=60")
    dm = kam.id("contact", "add", cu, "周总", "--role", "decision_maker")
    kam.id("contact", "add", cu, "钱工", "--role", "selector", "--coach", "advise")
    lead = kam.id("lead", "add", cu, "冲压自动化线")
    opp = kam.id("lead", "qualify", lead, "--budget-confirmed", "--budget-amount", "2400000",
                 "--authority", dm, "--need", "产能提升", "--timeline", "2026-10-01")
    kam.ok("opp", "edit", opp, "--competition", "两家", "--decision-process", "总经理决策",
           "--number", "ACME-1", "--customer-owner", "周总", "--margin", margin,
           "--expense-budget", "50000", "--category", "产线", "--close-date", "2026-10-01",
           "--importance", "N")
    return cu, opp


def test_plugin_is_listed_with_its_hooks(kam_cli: Any) -> None:
    rows = kam_cli.json("plugins", "list")
    acme = next(r for r in rows if r["name"] == "acme")
    assert {"kam_stage_exit", "kam_required_approvals", "kam_contract_event"} <= set(
        acme["hooks"])
    assert acme["status"] == "loaded" and acme["required"] is True  # kam init required it


def test_initiation_needs_the_sap_number(kam_cli: Any, assert_refused: Any) -> None:
    _, opp = _deal(kam_cli)
    kam_cli.ok("opp", "advance", opp)
    assert_refused(kam_cli("opp", "advance", opp), "SAP project number", plugin="acme")
    r = kam_cli("opp", "edit", opp, "--field", "sap_project_no=12345")
    assert r.exit_code == 2 and "P followed by 8 digits" in r.stderr
    kam_cli.ok("opp", "edit", opp, "--field", "sap_project_no=P20260001")
    kam_cli.ok("opp", "advance", opp)


def test_margin_floor_is_stricter_than_the_standard(kam_cli: Any, assert_refused: Any) -> None:
    kam = kam_cli
    _, opp = _deal(kam, margin="12")  # passes the standard 10% floor, not Acme's 15%
    kam.ok("opp", "edit", opp, "--field", "sap_project_no=P20260001")
    kam.ok("opp", "advance", opp, "--to", "proposal")
    kam.ok("activity", "log", opp, "--type", "demo")
    kam.ok("opp", "check", opp, "influence_criteria")
    kam.ok("opp", "advance", opp)
    kam.ok("opp", "bid", opp, "--price", "2300000", "--result", "won")
    assert_refused(kam("opp", "advance", opp), "below 15%", plugin="acme")
    kam.ok("config", "set", "acme.margin_floor", "10")
    kam.ok("opp", "advance", opp)


def test_low_credit_customer_is_not_qualified(kam_cli: Any, assert_refused: Any) -> None:
    kam = kam_cli
    cu = kam.id("customer", "add", "拖欠公司", "--grade", "C")
    dm = kam.id("contact", "add", cu, "老板", "--role", "decision_maker")
    kam.ok("customer", "flag", cu, "--type", "low_credit", "--note", "两次逾期")
    lead = kam.id("lead", "add", cu, "小单")
    assert_refused(kam("lead", "qualify", lead, "--budget-confirmed", "--authority", dm,
                       "--need", "n", "--timeline", "2026-10-01"), "finance must review")


def test_acme_pipeline_requires_its_checklist(kam_cli: Any) -> None:
    kam = kam_cli
    cu = kam.id("customer", "add", "苏州汽配")
    opp = kam.id("opp", "add", cu, "焊装线", "--amount", "800000", "--pipeline", "acme_five")
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1 and "latent need" in r.stderr
    kam.ok("opp", "check", opp, "潜在需求")
    kam.ok("opp", "advance", opp)
    assert kam.json("opp", "show", opp)["stage"] == "samples"


def test_big_deals_report(kam_cli: Any) -> None:
    kam = kam_cli
    cu = kam.id("customer", "add", "苏州汽配")
    kam.ok("opp", "add", cu, "焊装线", "--amount", "800000")
    big = kam.id("opp", "add", cu, "总装线", "--amount", "1000000")
    data = kam.json("report", "acme-big-deals")
    text = json.dumps(data, ensure_ascii=False)
    assert big in text and "焊装线" not in text


def test_big_deals_on_the_sample_data(kam_sample_data: Any) -> None:
    report = kam_sample_data.json("report", "acme-big-deals")
    deals = report["tables"]["big_deals"]["rows"]
    assert deals and all(float(d["amount"]) >= 1_000_000 for d in deals)


def test_a_missing_acme_refuses_every_change(kam_cli: Any, monkeypatch: Any) -> None:
    kam_cli.ok("customer", "add", "苏州汽配")
    monkeypatch.setenv("KAM_DISABLE_PLUGINS", "acme")
    kam_cli.plugins = {}
    r = kam_cli("customer", "add", "宁波精密机械")
    assert r.exit_code == 4 and "required plugin 'acme'" in r.stderr


def test_the_eight_step_process_ends_with_signing(kam_cli: Any, assert_refused: Any) -> None:
    kam = kam_cli
    cu = kam.id("customer", "add", "宁波精密机械")
    opp = kam.id("opp", "add", cu, "冲压线", "--amount", "800000", "--pipeline", "acme_eight")
    required = ["lead.log_lead", "visit.first_visit", "survey.survey_report",
                "solution.solution", "demo.reference_visit", "quote.cost_check",
                "negotiate.terms"]
    for task in required:
        kam.ok("opp", "check", opp, task)
        kam.ok("opp", "advance", opp)
    card = kam.json("opp", "show", opp)
    assert card["stage"] == "sign"
    assert card["start_condition"] == "terms agreed, time and place of signing set"
    assert card["key_node"] == "contract signed, deal won"
    assert [t["task"] for t in card["stage_checklist"]] == [
        "sign.signing_ceremony", "sign.supervise_execution", "sign.early_order",
        "sign.delivery_done"]
    zh = kam.json("--lang", "zh", "opp", "show", opp)
    assert [t["label"] for t in zh["stage_checklist"]] == ["签约仪式", "监督执行",
                                                         "确认是否提前订货", "交货完成"]
    assert_refused(kam("opp", "advance", opp), "signed contract")


def test_acme_settings_are_validated(kam_cli: Any) -> None:
    _, opp = _deal(kam_cli)
    kam_cli.ok("config", "set", "acme.margin_floor", "150")
    r = kam_cli("opp", "advance", opp, "--to", "proposal")
    assert r.exit_code == 2 and "kam.toml [acme] acme.margin_floor" in r.stderr
