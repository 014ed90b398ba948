"""Acme's rules, run through kam's own CLI with the plugin registered in-process."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from acme_kam import plugin  # noqa: E402
from kam.api import cli_app  # noqa: E402


class Kam:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.runner = CliRunner()

    def __call__(self, *args: str) -> tuple[int, str, str]:
        r = self.runner.invoke(cli_app(("acme", plugin)), ["--workspace", str(self.path), *args])
        return r.exit_code, r.stdout, r.stderr

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, (args, out, err)
        return out

    def id(self, *args: str) -> str:
        return self.ok(*args, "-q").strip()


@pytest.fixture
def kam(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Kam:
    monkeypatch.setenv("KAM_USER", "acme-ops")
    for var in ("KAM_HOME", "KAM_TODAY", "KAM_PLUGINS_DIR", "KAM_DISABLE_PLUGINS"):
        monkeypatch.delenv(var, raising=False)
    k = Kam(tmp_path / "ws")
    k.ok("init", "--lang", "en")
    return k


def _deal(kam: Kam, margin: str = "20") -> tuple[str, str]:
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


def test_plugin_is_listed_with_its_hooks(kam: Kam) -> None:
    rows = json.loads(kam.ok("plugins", "list", "--format", "json"))
    acme = next(r for r in rows if r["name"] == "acme")
    assert {"kam_stage_exit", "kam_required_approvals", "kam_contract_event"} <= set(
        acme["hooks"])


def test_initiation_needs_the_sap_number(kam: Kam) -> None:
    _, opp = _deal(kam)
    kam.ok("opp", "advance", opp)
    code, _, err = kam("opp", "advance", opp)
    assert code == 1 and "SAP project number" in err and "[acme]" in err
    code, _, err = kam("opp", "edit", opp, "--field", "sap_project_no=12345")
    assert code == 2 and "P followed by 8 digits" in err
    kam.ok("opp", "edit", opp, "--field", "sap_project_no=P20260001")
    kam.ok("opp", "advance", opp)


def test_margin_floor_is_stricter_than_the_standard(kam: Kam) -> None:
    _, opp = _deal(kam, margin="12")  # passes the standard 10% floor, not Acme's 15%
    kam.ok("opp", "edit", opp, "--field", "sap_project_no=P20260001")
    kam.ok("opp", "advance", opp, "--to", "proposal")
    kam.ok("activity", "log", opp, "--type", "demo")
    kam.ok("opp", "check", opp, "influence_criteria")
    kam.ok("opp", "advance", opp)
    kam.ok("opp", "bid", opp, "--price", "2300000", "--result", "won")
    code, _, err = kam("opp", "advance", opp)
    assert code == 1 and "below 15%" in err
    kam.ok("config", "set", "acme.margin_floor", "10")
    kam.ok("opp", "advance", opp)


def test_low_credit_customer_is_not_qualified(kam: Kam) -> None:
    cu = kam.id("customer", "add", "拖欠公司", "--grade", "C")
    dm = kam.id("contact", "add", cu, "老板", "--role", "decision_maker")
    kam.ok("customer", "flag", cu, "--type", "low_credit", "--note", "两次逾期")
    lead = kam.id("lead", "add", cu, "小单")
    code, _, err = kam("lead", "qualify", lead, "--budget-confirmed", "--authority", dm,
                       "--need", "n", "--timeline", "2026-10-01")
    assert code == 1 and "finance must review" in err


def test_acme_pipeline_requires_its_checklist(kam: Kam) -> None:
    cu = kam.id("customer", "add", "苏州汽配")
    opp = kam.id("opp", "add", cu, "焊装线", "--amount", "800000", "--pipeline", "acme_five")
    code, _, err = kam("opp", "advance", opp)
    assert code == 1 and "latent need" in err
    kam.ok("opp", "check", opp, "潜在需求")
    kam.ok("opp", "advance", opp)
    assert json.loads(kam.ok("opp", "show", opp, "--format", "json"))["stage"] == "samples"


def test_big_deals_report(kam: Kam) -> None:
    cu = kam.id("customer", "add", "苏州汽配")
    kam.ok("opp", "add", cu, "焊装线", "--amount", "800000")
    big = kam.id("opp", "add", cu, "总装线", "--amount", "1000000")
    data = json.loads(kam.ok("report", "acme-big-deals", "--format", "json"))
    text = json.dumps(data, ensure_ascii=False)
    assert big in text and "焊装线" not in text
