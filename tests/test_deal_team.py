"""铁三角: the deal team of an opportunity — members with roles, found by ``--member``,
in ``kam today --owner``, and (tests/test_postgres_team.py) seen by the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import Kam


def test_team_members_show_on_the_deal_and_opp_list_member_finds_it(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力", "--grade", "A")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "1000", "--owner", "李娜")
    other = kam.id("opp", "add", cu, "配网二期", "--amount", "500", "--owner", "王磊")
    kam.ok("opp", "team", "add", opp, "张工", "--role", "售前")  # a zh label is a role too
    rows = kam.json("opp", "team", "add", opp, "赵敏", "--role", "delivery")
    assert [(r["user"], r["role"], r["line"]) for r in rows] == [
        ("李娜", "owner", "customer"), ("张工", "presales", "product"),
        ("赵敏", "delivery", "delivery")]
    shown = kam.json("opp", "show", opp)
    assert [(m["user"], m["role"], m["line"]) for m in shown["team"]] == [
        ("张工", "presales", "product"), ("赵敏", "delivery", "delivery")]
    assert "张工" in kam.ok("opp", "show", opp).stdout
    assert [o["id"] for o in kam.json("opp", "list", "--member", "张工")] == [opp]
    assert [o["id"] for o in kam.json("opp", "list", "--member", "王磊")] == [other]  # owner
    assert kam.json("opp", "list", "--member", "nobody") == []
    # a member changes role in place; removing takes them off
    kam.ok("opp", "team", "add", opp, "张工", "--role", "product")
    kam.ok("opp", "team", "remove", opp, "赵敏")
    assert [(m["user"], m["role"]) for m in kam.json("opp", "show", opp)["team"]] == [
        ("张工", "product")]
    assert kam.json("opp", "list", "--member", "赵敏") == []
    kinds = [e["kind"] for e in kam.json("history", opp)]
    assert kinds.count("opportunity.team_added") == 3
    assert kinds.count("opportunity.team_removed") == 1


@pytest.mark.parametrize(("args", "code", "says"), [
    (("add", "{opp}", "张工", "--role", "boss"), 2, "unknown deal_role"),
    (("add", "{opp}", "张工", "--role", "owner"), 2, "opp edit --owner"),
    (("add", "{opp}", "张工", "--role", "presales"), 1, "already on the team"),
    (("remove", "{opp}", "nobody"), 1, "not on the team"),
    (("add", "OP999", "张工", "--role", "presales"), 3, "OP999"),
])
def test_team_changes_users_can_get_wrong_are_one_line(
        tmp_path: object, args: tuple[str, ...], code: int, says: str) -> None:
    from pathlib import Path

    kam = Kam(Path(str(tmp_path)) / "ws")
    kam.ok("init", "--lang", "en")
    cu = kam.id("customer", "add", "华东电力")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "1000")
    kam.ok("opp", "team", "add", opp, "张工", "--role", "presales")
    r = kam("opp", "team", *(a.format(opp=opp) for a in args))
    assert r.exit_code == code and says in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_today_and_reports_of_a_member_include_the_deals_they_are_on(tmp_path: object) -> None:
    from pathlib import Path

    kam = Kam(Path(str(tmp_path)) / "ws")
    kam.ok("init", "--lang", "en")
    cu = kam.id("customer", "add", "华东电力", "--grade", "A")
    mine = kam.id("opp", "add", cu, "监控平台", "--amount", "1000", "--owner", "李娜",
                  "--as-of", "2026-01-05")
    theirs = kam.id("opp", "add", cu, "配网二期", "--amount", "500", "--owner", "王磊",
                    "--as-of", "2026-01-05")
    kam.id("opp", "add", cu, "其他", "--amount", "70", "--owner", "王磊")
    kam.ok("opp", "team", "add", theirs, "李娜", "--role", "finance")
    kam.ok("activity", "log", theirs, "--type", "call", "--date", "2026-02-26",
           "--owner", "王磊", "--next", "演示", "--next-due", "2026-03-04")
    co = kam.id("contract", "create", theirs, "--number", "HT-1", "--plan",
                "down_payment:40%:+5d,on_delivery:60%:+30d", "--acceptance-criteria", "验收",
                "--change-cost", "按人天", "--service-end", "2027-01-31")
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "经理", env={"KAM_USER": "经理"})
    kam.ok("contract", "sign", co, "--date", "2026-02-20", "--force", "--reason", "框架协议")

    tables = kam.json("today", "--owner", "李娜", "--as-of", "2026-03-02")["tables"]
    assert [r["record_id"] for r in tables["next_steps"]["rows"]] == [theirs]
    assert [(r["contract_id"], r["outstanding"]) for r in tables["receivables"]["rows"]] == [
        (co, "200.00")]
    # 王磊's own list is unchanged; someone on no team sees nothing
    assert [r["record_id"] for r in kam.json("today", "--owner", "王磊", "--as-of",
                                              "2026-03-02")["tables"]["next_steps"]["rows"]
            ] == [theirs]
    empty = kam.json("today", "--owner", "nobody", "--as-of", "2026-03-02")["tables"]
    assert all(not t["rows"] for t in empty.values())

    # the reports' --member: the same deals as opp list --member, and their money agrees
    listed = kam.json("opp", "list", "--member", "李娜", "--status", "open")
    assert {o["id"] for o in listed} == {mine}  # theirs was won by signing
    pipeline = kam.json("report", "pipeline", "--member", "李娜", "--as-of", "2026-03-02")
    total = sum(Decimal(r["amount"]) for r in pipeline["tables"]["by_stage"]["rows"])
    assert total == sum(Decimal(o["amount"]) for o in listed) == Decimal("1000")
    aging = kam.json("report", "aging", "--member", "李娜", "--as-of", "2026-03-02")
    owed = sum(Decimal(r["total"]) for r in aging["tables"]["by_currency"]["rows"])
    assert owed == Decimal("500.00")  # the whole contract of the deal she is on
    refused = kam("report", "targets", "--member", "李娜")
    assert refused.exit_code == 2 and "--owner" in refused.stderr


def test_member_lists_milestones_and_calls_of_the_deals_and_contract_show_its_team(
        kam: Kam) -> None:
    """receivable list / activity list --member: what a member's deals and their contracts
    hold, whoever owns or logged it; a contract shows its deal's team."""
    cu = kam.id("customer", "add", "华东电力", "--grade", "A")
    theirs = kam.id("opp", "add", cu, "配网二期", "--amount", "500", "--owner", "王磊")
    mine = kam.id("opp", "add", cu, "监控平台", "--amount", "1000", "--owner", "李娜")
    kam.ok("opp", "team", "add", theirs, "李娜", "--role", "finance")
    on_theirs = kam.id("activity", "log", theirs, "--type", "call", "--owner", "王磊")
    on_mine = kam.id("activity", "log", mine, "--type", "visit", "--owner", "赵工")
    kam.ok("activity", "log", cu, "--type", "call", "--owner", "李娜")  # on no deal
    co = kam.id("contract", "create", theirs, "--number", "HT-1", "--plan",
                "down_payment:40%:+5d,on_delivery:60%:+30d", "--acceptance-criteria", "验收",
                "--change-cost", "按人天", "--service-end", "2027-01-31")
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "经理", env={"KAM_USER": "经理"})
    kam.ok("contract", "sign", co, "--date", "2026-02-20", "--force", "--reason", "框架协议")
    assert {a["id"] for a in kam.json("activity", "list", "--member", "李娜")} == {
        on_theirs, on_mine}
    assert [a["id"] for a in kam.json("activity", "list", "--member", "王磊")] == [on_theirs]
    assert kam.json("activity", "list", "--member", "nobody") == []
    owed = kam.json("receivable", "list", "--member", "李娜")
    assert {r["contract_id"] for r in owed} == {co} and len(owed) == 2
    assert sum(Decimal(r["amount"]) for r in owed) == Decimal("500.00")
    assert kam.json("receivable", "list", "--member", "赵工") == []
    assert kam.json("receivable", "list", "--member", "李娜", "--owner", "李娜") == []
    team = kam.json("contract", "show", co)["team"]
    assert [(m["user"], m["role"], m["line"]) for m in team] == [("李娜", "finance", "delivery")]
    assert "李娜" in kam.ok("contract", "show", co).stdout.split("milestones:")[0]
