"""Signing goes through the deal's gates, on the business date (issue: numbers a
director can trust). Each test names the behaviour that was wrong before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

PLAN = "down_payment:30%:+10d,on_delivery:60%:+30d,warranty:10%:+12m"
MANAGER = {"KAM_USER": "李经理"}


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")


def approved_contract(kam: Any, opp: str, amount: str = "100000",
                      env: dict[str, str] | None = None) -> str:
    co = kam.id("contract", "create", opp, "--amount", amount, "--plan", PLAN,
                "--acceptance-criteria", "终验合格", "--change-cost", "按人天计费",
                "--service-end", "2028-12-31", env=env)
    kam.ok("contract", "review", co, env=env)
    kam.ok("contract", "approve", co, "--comment", "同意", env=(env or {}) | MANAGER)
    assert kam.json("contract", "show", co, env=env)["contract"]["status"] == "approved"
    return co


def advanced_events(kam: Any, opp: str) -> list[dict]:
    return [e for e in kam.json("history", opp) if e["kind"] == "opportunity.advanced"]


def test_signing_a_deal_still_in_development_is_refused_and_writes_nothing(kam: Any) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    opp = kam.id("opp", "add", cu, "配网自动化", "--amount", "100000", "--owner", "张伟")
    co = approved_contract(kam, opp)
    r = kam("contract", "sign", co)
    assert r.exit_code == 1
    assert "gates do not pass" in r.stderr and "budget not confirmed" in r.stderr
    assert "not graded" in r.stderr and "no winning bid" in r.stderr
    assert kam.json("contract", "show", co)["contract"]["status"] == "approved"
    assert kam.json("receivable", "list") == []
    o = kam.json("opp", "show", opp)
    assert (o["status"], o["stage"], o["probability"]) == ("open", "development", 10)
    assert advanced_events(kam, opp) == []
    assert not [e for e in kam.json("history", co) if e["kind"] == "contract.signed"]


def test_forced_signing_records_every_stage_passed_with_what_was_overridden(kam: Any) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    opp = kam.id("opp", "add", cu, "配网自动化", "--amount", "100000", "--owner", "张伟")
    co = approved_contract(kam, opp)
    assert kam("contract", "sign", co, "--force").exit_code == 2  # --reason is required
    kam.ok("contract", "sign", co, "--force", "--reason", "框架协议直接签约",
           "--date", "2026-02-20")
    o = kam.json("opp", "show", opp)
    assert (o["status"], o["stage"], o["forced"]) == ("won", "implementation", True)
    assert o["probability"] == 100 and o["closed_at"] == "2026-02-20"
    events = advanced_events(kam, opp)
    assert [(e["payload"]["from"], e["payload"]["to"]) for e in events] == [
        ("development", "initiation"), ("initiation", "proposal"), ("proposal", "bidding"),
        ("bidding", "negotiation"), ("negotiation", "implementation")]
    assert all(e["payload"]["on"] == "2026-02-20" for e in events)
    development = events[0]["payload"]
    assert development["forced"] is True and development["reason"] == "框架协议直接签约"
    assert "bant_budget" in {f["code"] for f in development["overridden"]}
    signing = events[-1]["payload"]  # the signed contract satisfies the last key node
    assert signing["forced"] is False and signing["overridden"] == []
    # the funnel sees the win at every stage
    funnel = kam.json("report", "funnel")["tables"]["conversion"]
    assert all(row["reached"] == 1 for row in funnel["rows"])
    negotiation = next(r for r in funnel["rows"] if r["stage"] == "negotiation")
    assert negotiation["advanced"] == 1


def test_signing_a_ready_deal_wins_it_on_the_signing_date(kam: Any) -> None:
    opp = kam.ready_deal("100000")
    co = approved_contract(kam, opp)
    kam.ok("contract", "sign", co, "--date", "2026-02-20")
    o = kam.json("opp", "show", opp)
    assert (o["status"], o["stage"], o["forced"]) == ("won", "implementation", False)
    assert o["closed_at"] == "2026-02-20" and o["stage_entered_at"] == "2026-02-20"
    last = advanced_events(kam, opp)[-1]["payload"]
    assert (last["from"], last["to"], last["on"], last["forced"]) == (
        "negotiation", "implementation", "2026-02-20", False)
    # the win counts in February, the period of its business date
    forecast = kam.json("report", "forecast", "--by", "month")
    closed = {r["period"]: r for r in forecast["tables"]["by_period"]["rows"]}
    assert closed["2026-02"]["closed"] == "100000.00"


def test_leaving_the_signing_stage_needs_a_signed_contract_in_every_pipeline(
        kam: Any, tmp_path: Any) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "three.py").write_text(
        "from kam import hookimpl\n"
        "from kam.pipeline import Pipeline, Stage\n\n"
        "@hookimpl\n"
        "def kam_register_pipelines(register):\n"
        "    register('three', Pipeline(key='three', zh='三步', en='three', won_after='sign',\n"
        "             stages=(Stage('contact', '接触', 'contact', 5),\n"
        "                     Stage('sign', '签约', 'sign', 90),\n"
        "                     Stage('deliver', '交付', 'deliver', 100))))\n",
        encoding="utf-8")
    env = {"KAM_PLUGINS_DIR": str(folder)}
    cu = kam.id("customer", "add", "华东", env=env)
    opp = kam.id("opp", "add", cu, "x", "--amount", "100000", "--pipeline", "three",
                 "--owner", "张伟", env=env)
    kam.ok("opp", "advance", opp, env=env)
    r = kam("opp", "advance", opp, env=env)
    assert r.exit_code == 1 and "signed contract" in r.stderr
    co = approved_contract(kam, opp, env=env)
    kam.ok("contract", "sign", co, env=env)
    o = kam.json("opp", "show", opp, env=env)
    assert (o["status"], o["stage"], o["forced"]) == ("won", "deliver", False)


def test_events_are_stamped_with_the_wall_clock_never_the_as_of_date(kam: Any) -> None:
    kam.ok("--as-of", "2030-01-01", "customer", "add", "华东")
    kam.ok("--as-of", "2020-01-01", "customer", "add", "华南")
    real = dt.datetime.now(dt.UTC).date()
    stamps = [dt.date.fromisoformat(e["at"][:10]) for e in kam.json("history", "CU1")
              + kam.json("history", "CU2")]
    assert stamps and all(abs((s - real).days) <= 1 for s in stamps)


def test_a_future_check_is_a_preview_that_uses_up_no_dunning_level(kam: Any) -> None:
    opp = kam.ready_deal("100000")
    co = approved_contract(kam, opp)
    kam.ok("contract", "sign", co, "--date", "2026-02-01")  # down payment due 2026-02-11
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    r = kam("check", "--as-of", future, "--format", "json")
    assert r.exit_code == 1
    preview = r.json()
    assert preview["preview"] is True and len(preview["new"]) == 5  # due + 4 levels
    assert all(n["event_id"] is None for n in preview["new"])
    assert "preview" in kam("check", "--as-of", future).stdout
    # the real daily run still fires the levels reached by its own date
    real = kam("check", "--as-of", "2026-03-02", "--format", "json").json()
    assert real["preview"] is False
    assert [(n["action"], n["level"]) for n in real["new"]] == [("due", None),
                                                                 ("overdue", 1)]


def test_bids_come_after_the_margin_check_and_a_lost_bid_closes_the_deal(kam: Any) -> None:
    cu = kam.id("customer", "add", "华东")
    opp = kam.id("opp", "add", cu, "x", "--amount", "100000", "--owner", "张伟",
                 "--margin", "30")
    assert kam("opp", "bid", opp, "--price", "0").exit_code == 2
    r = kam("opp", "bid", opp, "--price", "100000", "--cost", "95000")  # 5 % < 10 %
    assert r.exit_code == 1 and "below the floor" in r.stderr
    assert kam.json("opp", "show", opp)["bids"] in ([], None)
    r = kam("opp", "bid", opp, "--price", "100000", "--cost", "95000",
            "--approved-by", "张伟")
    assert r.exit_code == 1 and "own" in r.stderr
    kam.ok("opp", "bid", opp, "--price", "100000", "--cost", "95000",
           "--approved-by", "刘总监", "--competitor", "友商A=98000")
    bid = kam.json("opp", "show", opp)["bids"][-1]
    assert (bid["margin"], bid["cost"], bid["approved_by"]) == ("5", "95000.00", "刘总监")
    assert bid["competitors"] == [{"name": "友商A", "price": "98000.00"}]
    kam.ok("opp", "bid", opp, "--price", "99000", "--result", "lost", "--reason", "价格高")
    o = kam.json("opp", "show", opp)
    assert (o["status"], o["reason"]) == ("lost", "价格高")


def test_margin_floor_on_a_won_bid_does_not_tell_to_abandon_a_won_deal(kam: Any) -> None:
    cu = kam.id("customer", "add", "华东")
    opp = kam.id("opp", "add", cu, "x", "--amount", "100000", "--margin", "5")
    kam.ok("opp", "bid", opp, "--price", "100000", "--margin", "5", "--approved-by", "刘总监",
           "--result", "won")
    r = kam("opp", "advance", opp, "--to", "negotiation", "--force", "--reason", "测试")
    assert r.exit_code == 0
    bidding = [e for e in advanced_events(kam, opp) if e["payload"]["from"] == "bidding"][0]
    assert "margin" not in {f["code"] for f in bidding["payload"]["overridden"]}
