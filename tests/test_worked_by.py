"""Whom a deal team's member works for (铁三角): SQLite's ``kam.storage.WorkedBy`` (the
teams read by its JSON functions) is what the reference finds reading every deal's team
and every contract; and ``kam today --owner`` and ``--member`` use it end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.cli import make_app
from kam.models.deal_team import python_contracts_worked_by, python_deals_worked_by
from kam.plugin_manager import Plugins
from kam.storage import WorkedBy
from test_aggregates import opened
from typer.testing import CliRunner

#: names, one the JSON text of a list (a member whose user is that list is not them)
PEOPLE = ["张伟", "lee", "Lee", "王芳 ", '["lee"]']
#: a team member as stored: a user among PEOPLE, or one of another JSON type or none
MEMBER = st.fixed_dictionaries({"role": st.sampled_from(["presales", "delivery"])},
                               optional={"user": st.sampled_from([*PEOPLE, 7, None, ["lee"]])})
DEAL = st.tuples(st.sampled_from([*PEOPLE, None]), st.none() | st.lists(MEMBER, max_size=3))
#: a contract: its owner, and the deal it came from (a number among the deals, or none)
CONTRACT = st.tuples(st.sampled_from([*PEOPLE, None]), st.none() | st.integers(1, 6))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(DEAL, max_size=6), st.lists(CONTRACT, max_size=6),
       st.sampled_from(PEOPLE))
@example([("张伟", None), (None, [{"role": "presales", "user": "lee"}]),
          ("Lee", [{"role": "delivery", "user": 7}, {"role": "presales"}]),
          (None, [{"role": "presales", "user": ["lee"]}]), ("lee", [])],
         [("lee", None), (None, 2), ("张伟", 3), (None, 5), (None, 9)], "lee")
@example([(None, [{"role": "presales", "user": ["lee"]}])], [], '["lee"]')
def test_worked_by_equals_the_reference(deals: list[tuple[Any, ...]],
                                        contracts: list[tuple[Any, ...]], member: str) -> None:
    with opened("sqlite") as s:
        with s.transaction():
            s.insert("customer", {"id": s.next_id("customer"), "name": "客户"})
            for owner, team in deals:
                s.insert("opportunity", {"id": s.next_id("opportunity"), "customer_id": "CU1",
                                         "title": "t", "stage": "lead", "owner": owner})
                if team is not None:  # as stored, whatever the model would say of it
                    s.conn.execute("UPDATE opportunity SET team = json(?) WHERE rowid = "
                                   "(SELECT max(rowid) FROM opportunity)",
                                   (repr(team).replace("'", '"').replace("None", "null"),))
            for owner, deal in contracts:
                s.insert("contract", {"id": s.next_id("contract"), "customer_id": "CU1",
                                      "number": "HT", "status": "signed", "owner": owner,
                                      "opportunity_id": None if deal is None or deal > len(deals)
                                      else f"OP{deal}"})
        assert isinstance(s, WorkedBy)
        deals_ref = python_deals_worked_by(s, member)
        assert sorted(s.deals_worked_by(member)) == sorted(deals_ref)
        assert sorted(s.contracts_worked_by(member)) == sorted(
            python_contracts_worked_by(s, member))


def test_today_and_member_filters_see_the_team(tmp_path: Path) -> None:
    """A presales engineer on a deal's team sees it in ``kam today --owner`` and a
    ``--member`` report, and nobody else's."""
    runner = CliRunner()
    app = make_app(Plugins())
    env = {"KAM_TODAY": "2026-06-30", "KAM_LANG": "en", "KAM_USER": "张伟"}

    def kam(*args: str) -> str:
        result = runner.invoke(app, ["--workspace", str(tmp_path), *args], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    kam("init")
    kam("customer", "add", "华东电网")
    kam("opp", "add", "CU1", "配网自动化", "--amount", "1200000", "--owner", "张伟")
    kam("opp", "add", "CU1", "调度系统", "--amount", "800000", "--owner", "张伟")
    kam("opp", "team", "add", "OP1", "lee", "--role", "presales")
    for deal, step in (("OP1", "方案演示"), ("OP2", "商务谈判")):
        kam("activity", "log", deal, "--type", "call", "--next", step,
            "--next-due", "2026-06-30", "--owner", "张伟")
    today = kam("today", "--owner", "lee")
    assert "方案演示" in today and "商务谈判" not in today
    today = kam("today", "--owner", "张伟")
    assert "方案演示" in today and "商务谈判" in today
    listed = kam("opp", "list", "--member", "lee", "--format", "csv")
    assert "OP1" in listed and "OP2" not in listed
    pipeline = kam("report", "pipeline", "--member", "lee", "--format", "json")
    assert "1200000.00" in pipeline and "2000000.00" not in pipeline
