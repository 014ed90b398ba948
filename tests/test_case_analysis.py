"""The case-analysis report (案例分析报告): an I/VI deal owes one after its win or loss;
it is recorded with who, when and an attachment kept by hash, shown on opp show and the
war-room report, and the deals still missing one are named by win-loss, kam today and
the standard rules."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from conftest import Kam
from kam.api import Finding, hookimpl, warn
from kam.errors import InputError, NotFoundError
from kam.plugin_manager import Plugins
from kam.services import case_analysis
from kam.workspace import Workspace

OWNER = {"KAM_USER": "张伟"}


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")


def _deals(kam: Kam) -> tuple[str, str, str]:
    cu = kam.id("customer", "add", "华东电力集团", "--grade", "A")
    vi = kam.id("opp", "add", cu, "智能变电站", "--amount", "3200000", "--owner", "张伟",
                "--importance", "VI", env=OWNER)
    normal = kam.id("opp", "add", cu, "备品备件", "--amount", "20000", "--owner", "张伟",
                    "--importance", "N", env=OWNER)
    other = kam.id("opp", "add", cu, "运维平台", "--amount", "500000", "--owner", "李娜",
                   "--importance", "I", env=OWNER)
    for opp in (vi, normal, other):
        kam.ok("opp", "lose", opp, "--reason", "价格", env=OWNER)
    return vi, normal, other


def test_an_important_lost_deal_owes_its_case_analysis(kam: Kam, tmp_path: Path) -> None:
    vi, normal, other = _deals(kam)
    missing = kam.json("report", "win-loss")["tables"]["missing_case_analysis"]["rows"]
    assert [r["id"] for r in missing] == [vi, other], "I/VI only, never N"
    today = kam.json("today", "--owner", "张伟")["tables"]["case_analysis"]["rows"]
    assert [r["id"] for r in today] == [vi], "the owner's own"
    review = kam.json("opp", "show", vi)["review"]
    assert [f["code"] for f in review] == ["case_analysis_missing"]
    assert kam.json("opp", "show", normal)["review"] == []
    gate = kam.json("report", "war-room", vi)["tables"]["gate"]["rows"]
    assert any(vi in g["message"] and "case-analysis" in g["message"] for g in gate)

    report = tmp_path / "案例分析.docx"
    report.write_bytes(b"PK case analysis")
    done = kam.json("opp", "case-analysis", vi, "--summary", "报价高出对手 20%",
                    "--lessons", "立项前做成本测算", "--file", str(report), env=OWNER)
    assert (done["summary"], done["lessons"], done["by"], done["on"]) == (
        "报价高出对手 20%", "立项前做成本测算", "张伟", "2026-03-02")
    assert done["attachment"]["sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    assert done["attachment"]["size"] == report.stat().st_size
    shown = kam.json("opp", "show", vi)
    assert shown["case_analysis"]["summary"] == "报价高出对手 20%" and shown["review"] == []
    assert "经验教训：立项前做成本测算" in kam.ok("--lang", "zh", "opp", "show", vi).stdout
    war = kam.json("report", "war-room", vi)["tables"]["case_analysis"]["rows"]
    assert {r["field"]: r["value"] for r in war}["summary"] == "报价高出对手 20%"
    missing = kam.json("report", "win-loss")["tables"]["missing_case_analysis"]["rows"]
    assert [r["id"] for r in missing] == [other]
    assert kam.json("today", "--owner", "张伟")["tables"]["case_analysis"]["rows"] == []


@pytest.mark.parametrize("backend", ["sqlite"])
def test_case_analysis_input_and_refusals(kam: Kam, tmp_path: Path) -> None:
    cu = kam.id("customer", "add", "华东电力集团", "--grade", "A")
    opp = kam.id("opp", "add", cu, "智能变电站", "--amount", "9", "--owner", "张伟",
                 "--importance", "I", env=OWNER)
    r = kam("opp", "case-analysis", opp, "--summary", "太早")
    assert r.exit_code == 1 and "after a win or a loss" in r.stderr
    kam.ok("opp", "lose", opp, "--reason", "价格", env=OWNER)
    r = kam("opp", "case-analysis", opp, "--summary", "x", "--file", str(tmp_path / "none"))
    assert r.exit_code == 2 and "--file" in r.stderr and "Traceback" not in r.stderr
    ws = kam.workspace()
    try:
        with pytest.raises(InputError, match="--summary"):
            case_analysis.record(ws, opp, "  ")
        with pytest.raises(NotFoundError):
            case_analysis.record(ws, "OP999", "x")
        case_analysis.record(ws, opp, "第一稿")
        case_analysis.record(ws, opp, "定稿")
        events = [e for e in ws.storage.events() if e["kind"] == "opportunity.case_analysis"]
        assert [e["payload"]["summary"] for e in events] == ["第一稿", "定稿"]
        assert events[1]["payload"]["replaced"]["summary"] == "第一稿"
    finally:
        ws.close()


class PostMortem:
    """A company plugin: any lost deal over 1,000,000 is reviewed by the sales director,
    beside the standard case-analysis finding."""

    @hookimpl
    def kam_review_closed_deal(self, ws: Any, opportunity: dict) -> list[Finding]:
        if opportunity["status"] == "lost" and opportunity["amount"] > 1_000_000:
            return [warn("director_review", "销售总监复盘")]
        return []


def test_a_company_rule_reviews_closed_deals(tmp_path: Path) -> None:
    from kam.services import admin, customers, opportunities

    admin.init(tmp_path / "ws", Plugins(), backend="sqlite", lang="en")
    plugins = Plugins()
    plugins.register(PostMortem(), "post_mortem")
    ws = Workspace.open(tmp_path / "ws", plugins=plugins, as_of="2026-03-02")
    try:
        cu = customers.add(ws, "华东电力")["id"]
        big = opportunities.add(ws, cu, "智能变电站", amount="3200000", importance="VI")["id"]
        opportunities.close(ws, big, "lost", "价格")
        assert [f["code"] for f in opportunities.card(ws, big)["review"]] == [
            "director_review", "case_analysis_missing"]
        case_analysis.record(ws, big, "报价过高")
        assert [f["code"] for f in opportunities.card(ws, big)["review"]] == [
            "director_review"]
    finally:
        ws.close()
