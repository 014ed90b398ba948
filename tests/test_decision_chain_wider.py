"""The decision chain, wider: the delivery phase's roles (财务、供应链、质量、监理方) and
the relationship tier of a contact (组织/关键/普遍客户关系)."""

from __future__ import annotations

from pathlib import Path

from conftest import Kam


def test_delivery_roles_and_the_relationship_tier_of_a_contact(tmp_path: Path) -> None:
    kam = Kam(tmp_path / "ws")
    kam.ok("init", "--lang", "en")
    cu = kam.id("customer", "add", "华东电力")
    ct = kam.id("contact", "add", cu, "赵会计", "--role", "财务", "--role", "supply_chain",
                "--role", "监理方", "--tier", "关键关系")
    shown = kam.json("contact", "show", ct)
    assert (shown["roles"], shown["tier"]) == (["finance", "supply_chain", "supervisor"], "key")
    edited = kam.json("contact", "edit", ct, "--tier", "organizational")
    assert (edited["tier"], edited["roles"]) == ("organizational", shown["roles"])
    assert kam.json("contact", "show", ct)["tier"] == "organizational"
    assert [c["id"] for c in kam.json("contact", "list", "--role", "quality")] == []
    kam.ok("contact", "edit", ct, "--role", "quality")
    assert [c["id"] for c in kam.json("contact", "list", "--role", "质量")] == [ct]
    bad = kam("contact", "edit", ct, "--tier", "best friends")
    assert bad.exit_code == 2 and "relationship_tier" in bad.stderr
    assert kam.json("contact", "show", ct)["tier"] == "organizational"
    assert "監理方" not in kam.ok("--lang", "zh-Hant", "contact", "show", ct).stdout
    assert "品質" in kam.ok("--lang", "zh-Hant", "contact", "show", ct).stdout


def test_a_call_records_buying_signals_and_the_closing_method(tmp_path: Path) -> None:
    kam = Kam(tmp_path / "ws")
    kam.ok("init", "--lang", "en")
    cu = kam.id("customer", "add", "华东电力")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "1000")
    ac = kam.id("activity", "log", opp, "--type", "negotiation", "--outcome", "advance",
                "--signal", "讨价还价", "--signal", "asks_timing", "--signal", "bargaining",
                "--closing", "选择成交")
    [logged] = kam.json("activity", "list", "--opp", opp)
    assert (logged["id"], logged["signals"], logged["closing"]) == (
        ac, ["bargaining", "asks_timing"], "alternative")
    event = [e for e in kam.json("history", ac) if e["kind"] == "activity.logged"][0]
    assert event["payload"]["closing"] == "alternative"
    bad = kam("activity", "log", opp, "--type", "call", "--signal", "smiles")
    assert bad.exit_code == 2 and "buying_signal" in bad.stderr
    assert len(kam.json("activity", "list", "--opp", opp)) == 1
