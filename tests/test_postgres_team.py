"""A team on one PostgreSQL database: users and roles from the database, access enforced
by row-level security and triggers (plugins/storage_postgres/team_schema.py), not only by
kam's own checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, Kam, Result
from kam.errors import RefusedError
from psycopg.conninfo import conninfo_to_dict, make_conninfo

PLAN = "down_payment:30%:+10d,on_delivery:70%:+30d"


@dataclass
class Team:
    admin: Kam
    dsn: str
    names: dict[str, str]  # short name → database user

    def dsn_of(self, who: str) -> str:
        return str(make_conninfo("", **{**conninfo_to_dict(self.dsn),
                                        "user": self.names[who]}))

    def as_(self, who: str) -> Callable[..., Result]:
        """Run kam as ``who`` (connected as their database user; KAM_USER is ignored)."""
        def run(*args: str, **kw: Any) -> Result:
            env = {"KAM_DSN": self.dsn_of(who), "KAM_USER": "somebody-else"}
            return self.admin(*args, env=env, **kw)
        return run

    def ok(self, who: str, *args: str) -> Result:
        r = self.as_(who)(*args)
        assert r.exit_code == 0, f"{who}: kam {' '.join(args)} → {r.exit_code}\n{r.stderr}"
        return r

    def id(self, who: str, *args: str) -> str:
        return self.ok(who, *args, "-q").stdout.strip()

    def json(self, who: str, *args: str) -> Any:
        return json.loads(self.ok(who, *args, "--format", "json").stdout)


def _deal(team: Team, who: str, customer: str, title: str) -> str:
    cu = team.id(who, "customer", "add", customer, "--grade", "A")
    return team.id(who, "opp", "add", cu, title, "--amount", "100000", "--close-date",
                   "2026-12-31")


def _signed(team: Team, who: str, customer: str, title: str, approver: str) -> str:
    opp = _deal(team, who, customer, title)
    co = team.id(who, "contract", "create", opp, "--plan", PLAN, "--acceptance-criteria",
                 "验收", "--change-cost", "按人天", "--service-end", "2027-12-31",
                 "--number", f"HT-{title}")
    team.ok(who, "contract", "review", co)
    team.ok(approver, "contract", "approve", co)
    team.ok(who, "contract", "sign", co, "--date", "2026-01-05", "--force", "--reason", "框架")
    return co


@pytest.fixture
def team(tmp_path: Path, pg_dsn: str) -> Team:
    admin = Kam(tmp_path / "ws", "postgres")
    admin.ok("init", "--backend", "postgres", "--dsn", pg_dsn, "--lang", "en")
    tag = conninfo_to_dict(pg_dsn)["dbname"]
    names = {short: f"{short}_{tag}" for short in ("mgr", "li", "wang", "boss", "cash", "ops")}
    admin.ok("team", "add", names["mgr"], "--role", "manager")
    admin.ok("team", "add", names["li"], "--role", "sales", "--manager", names["mgr"])
    admin.ok("team", "add", names["wang"], "--role", "sales")
    admin.ok("team", "add", names["boss"], "--role", "director")
    admin.ok("team", "add", names["cash"], "--role", "finance")
    admin.ok("team", "add", names["ops"], "--role", "admin")
    return Team(admin, pg_dsn, names)


@pytest.fixture
def two_accounts(team: Team) -> dict[str, str]:
    """li's and wang's contracts, each signed after a manager's (director's) approval."""
    return {"li": _signed(team, "li", "李氏电力", "LIDEAL", "mgr"),
            "wang": _signed(team, "wang", "王氏钢铁", "WANGDEAL", "boss")}


def test_team_add_is_for_admins_and_lists_the_team(team: Team) -> None:
    rows = team.json("ops", "team", "list")
    assert {r["name"]: r["role"] for r in rows}[team.names["li"]] == "sales"
    assert {r["name"]: r["manager"] for r in rows}[team.names["li"]] == team.names["mgr"]
    team.ok("ops", "team", "add", f"new_{team.names['li']}", "--role", "sales")
    refused = team.as_("boss")("team", "add", f"x_{team.names['li']}", "--role", "admin")
    assert refused.exit_code == 1 and "refused by the database" in refused.stderr
    assert team.admin("team", "add", "x", "--role", "king").exit_code == 2


def test_an_account_manager_sees_none_of_a_colleagues_records(
        team: Team, two_accounts: dict[str, str]) -> None:
    for who, mine, theirs in (("li", "LIDEAL", "WANGDEAL"), ("wang", "WANGDEAL", "LIDEAL")):
        opps = team.json(who, "opp", "list")
        assert [o["title"] for o in opps] == [mine]
        for report in ("pipeline", "aging"):
            out = team.ok(who, "report", report, "--format", "json", "--as-of", TODAY).stdout
            assert theirs not in out and two_accounts["wang" if who == "li" else "li"] not in out
            assert "王氏" not in out if who == "li" else "李氏" not in out
        receivables = team.json(who, "receivable", "list")
        assert {r["contract_id"] for r in receivables} == {two_accounts[who]}
    # li's manager sees li's deal, not wang's; the director sees both
    assert [o["title"] for o in team.json("mgr", "opp", "list")] == ["LIDEAL"]
    assert sorted(o["title"] for o in team.json("boss", "opp", "list")) == ["LIDEAL",
                                                                            "WANGDEAL"]


def test_only_finance_records_payments(team: Team, two_accounts: dict[str, str]) -> None:
    co = two_accounts["li"]
    refused = team.as_("li")("pay", "record", co, "1000", "--date", TODAY)
    assert refused.exit_code == 1, refused.stderr
    assert "refused by the database" in refused.stderr
    paid = team.json("cash", "pay", "record", co, "30000", "--date", TODAY)
    assert paid["amount"] == "30000.00"
    milestones = team.json("li", "receivable", "list")
    assert sum(float(m["paid"] or 0) for m in milestones) == 30000.0
    refused = team.as_("li")("receivable", "write-off", milestones[1]["id"], "--by",
                             team.names["li"], "--reason", "bad debt")
    assert refused.exit_code == 1 and "only finance" in refused.stderr


def test_the_event_actor_is_the_database_user(team: Team, two_accounts: dict[str, str]) -> None:
    history = team.json("li", "history", two_accounts["li"])
    actors = {e["kind"]: e["actor"] for e in history}
    assert actors["contract.approved"] == team.names["mgr"]
    assert actors["contract.signed"] == team.names["li"]
    assert "somebody-else" not in json.dumps(history)


def _storage(team: Team, who: str) -> Any:
    from kam.plugins.storage_postgres.backend import PostgresStorage

    return PostgresStorage(team.dsn_of(who))


def _approve_directly(team: Team, who: str, contract_id: str, role: str) -> None:
    """What ``kam contract approve`` writes, bypassing kam's own checks."""
    storage = _storage(team, who)
    try:
        contract = storage.get("contract", contract_id)
        assert contract is not None, f"{who} cannot see {contract_id}"
        entry = {"role": role, "by": team.names[who], "at": "2026-03-02T09:00:00+00:00",
                 "on": TODAY, "decision": "approved", "comment": "", "version": 1}
        with storage.transaction():
            storage.update("contract", contract_id,
                           {"approvals": [*contract["approvals"], entry]})
    finally:
        storage.close()


def test_approvals_by_someone_without_the_role_are_refused_by_the_database(
        team: Team, two_accounts: dict[str, str]) -> None:
    co = two_accounts["li"]
    with pytest.raises(RefusedError, match="does not hold the approval role"):
        _approve_directly(team, "mgr", co, "general_manager")  # a manager is not the GM
    with pytest.raises(RefusedError, match="does not hold the approval role"):
        _approve_directly(team, "cash", co, "sales_director")
    with pytest.raises(RefusedError, match="nobody approves their own"):
        _approve_directly(team, "li", co, "sales_manager")
    # and one cannot record an approval in someone else's name
    storage = _storage(team, "boss")
    try:
        contract = storage.get("contract", co)
        assert contract is not None
        forged = {"role": "sales_director", "by": team.names["mgr"], "decision": "approved"}
        with pytest.raises(RefusedError, match="cannot be recorded by"), storage.transaction():
            storage.update("contract", co, {"approvals": [*contract["approvals"], forged]})
    finally:
        storage.close()
    _approve_directly(team, "boss", co, "sales_director")  # the director holds it


def test_the_audit_trail_cannot_be_rewritten_by_a_team_member(
        team: Team, two_accounts: dict[str, str]) -> None:
    storage = _storage(team, "boss")
    try:
        first = next(storage.events(record_id=two_accounts["li"]))
        with pytest.raises(RefusedError), storage.transaction():
            storage.update("event", first["id"], {"actor": "nobody"})
        with storage.transaction():  # an event appended in someone else's name is stamped
            stored = storage.append_event({"at": "2026-03-02T09:00:00+00:00",
                                           "actor": team.names["li"], "kind": "note.added",
                                           "record_id": two_accounts["li"], "payload": {},
                                           "refs": []})
        assert stored["actor"] == team.names["boss"]
    finally:
        storage.close()


def test_kams_own_checks_pass_but_the_database_refuses_a_role_not_held(
        team: Team, two_accounts: dict[str, str]) -> None:
    """Without a [roles] table kam lets anyone but the owner approve; the database still
    wants the role: finance cannot give the sales manager's approval, nor a manager the
    management approval of an important deal; the director can."""
    opp = _deal(team, "li", "李氏二期", "BIGDEAL")
    team.ok("li", "opp", "edit", opp, "--importance", "I")
    co = team.id("li", "contract", "create", opp, "--plan", PLAN, "--acceptance-criteria",
                 "验收", "--change-cost", "按人天", "--service-end", "2027-12-31")
    team.ok("li", "contract", "review", co)
    refused = team.as_("cash")("contract", "approve", co)
    assert refused.exit_code == 1 and "does not hold the approval role" in refused.stderr
    refused = team.as_("mgr")("opp", "approve", opp)
    assert refused.exit_code == 1 and "does not hold the approval role" in refused.stderr
    team.ok("boss", "opp", "approve", opp)
    team.ok("mgr", "contract", "approve", co)
    assert team.json("li", "contract", "show", co)["contract"]["status"] == "approved"


def test_service_records_surveys_and_complaints_follow_their_customer(team: Team) -> None:
    li_cu = team.id("li", "customer", "add", "李氏电力")
    team.id("wang", "customer", "add", "王氏钢铁")
    sv = team.id("li", "service", "log", li_cu, "--type", "A", "--cost", "100")
    team.ok("li", "service", "survey", sv, "--attitude", "poor", "--skill", "poor",
            "--arrival", "poor", "--promises", "poor")
    cp = team.id("li", "complaint", "add", li_cu, "--severity", "serious", "--note", "宕机")
    for listing in (("service", "list"), ("service", "surveys"), ("complaint", "list")):
        assert team.json("wang", *listing) == [], listing
    assert team.as_("wang")("service", "log", li_cu, "--type", "A").exit_code == 3
    assert [s["id"] for s in team.json("boss", "service", "list")] == [sv]
    assert [c["id"] for c in team.json("mgr", "complaint", "list", "--open")] == [cp]
    team.ok("li", "complaint", "reply", cp, "--note", "已致歉")
    assert team.json("li", "complaint", "close", cp)["status"] == "closed"
def test_a_deal_team_member_sees_the_deal_its_contract_and_customer(
        team: Team, two_accounts: dict[str, str]) -> None:
    """铁三角: wang, put on li's deal, sees it, its contract and milestones, its customer
    and its activities; off the team, none of it. Other deals of li's stay hidden."""
    li_deal = team.json("li", "opp", "list")[0]["id"]
    hidden = _deal(team, "li", "李氏二厂", "LIOTHER")
    team.ok("li", "activity", "log", li_deal, "--type", "call", "--outcome", "advance")
    assert [o["title"] for o in team.json("wang", "opp", "list")] == ["WANGDEAL"]
    unseen = team.as_("wang")("opp", "team", "add", li_deal, team.names["wang"], "--role",
                              "presales")
    assert unseen.exit_code == 3, unseen.stderr  # not theirs: not even found

    team.ok("li", "opp", "team", "add", li_deal, team.names["wang"], "--role", "presales")
    assert sorted(o["title"] for o in team.json("wang", "opp", "list")) == ["LIDEAL",
                                                                           "WANGDEAL"]
    assert [o["id"] for o in team.json("wang", "opp", "list", "--member",
                                       team.names["wang"])] == [li_deal, *[
        o["id"] for o in team.json("wang", "opp", "list") if o["title"] == "WANGDEAL"]]
    shown = team.json("wang", "opp", "show", li_deal)
    assert [m["user"] for m in shown["team"]] == [team.names["wang"]]
    assert {r["contract_id"] for r in team.json("wang", "receivable", "list")} == set(
        two_accounts.values())
    assert "李氏电力" in team.ok("wang", "customer", "list").stdout
    assert "李氏二厂" not in team.ok("wang", "customer", "list").stdout
    assert [a["opportunity_id"] for a in team.json("wang", "activity", "list",
                                                   "--opp", li_deal)] == [li_deal]
    assert hidden not in team.ok("wang", "opp", "list").stdout

    team.ok("li", "opp", "team", "remove", li_deal, team.names["wang"])
    assert [o["title"] for o in team.json("wang", "opp", "list")] == ["WANGDEAL"]
    assert {r["contract_id"] for r in team.json("wang", "receivable", "list")} == {
        two_accounts["wang"]}


def test_visit_plans_are_seen_like_targets(team: Team) -> None:
    """拜访计划 on PostgreSQL: an owned record — the owner and their manager see it."""
    cu = team.id("li", "customer", "add", "李氏电力")
    team.ok("li", "plan", "visit", team.names["li"], "2026-W10", "--customer", cu)
    assert [p["customer_id"] for p in team.json("li", "plan", "list")] == [cu]
    assert [p["customer_id"] for p in team.json("mgr", "plan", "list")] == [cu]
    assert team.json("wang", "plan", "list") == []
    refused = team.as_("wang")("plan", "visit", team.names["li"], "2026-W11", "--customer",
                               cu)
    assert refused.exit_code != 0  # neither li's customer nor li's plan is wang's
