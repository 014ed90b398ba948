"""The money of a project on a team's postgres database, row-level security included:
expenses follow their deal, deliveries their contract; sales may request a payment
(收款申请单) but only finance confirms it."""

from __future__ import annotations

from conftest import TODAY
from test_postgres_team import Team, _deal, _signed
from test_postgres_team import team as team  # noqa: F401  (the fixture)


def test_sales_request_finance_confirms_and_colleagues_see_nothing(team: Team) -> None:
    li_co = _signed(team, "li", "李氏电力", "LIDEAL", "mgr")
    wang_opp = _deal(team, "wang", "王氏钢铁", "WANGDEAL")
    li_opp = team.json("li", "contract", "show", li_co)["contract"]["opportunity_id"]
    team.ok("li", "opp", "budget", li_opp, "5000")
    team.ok("li", "expense", "add", li_opp, "1200", "--type", "travel", "--date", TODAY)
    team.ok("wang", "opp", "budget", wang_opp, "800")
    team.ok("wang", "expense", "add", wang_opp, "300", "--type", "entertainment")
    assert [e["opportunity_id"] for e in team.json("li", "expense", "list")] == [li_opp]
    assert len(team.json("boss", "expense", "list")) == 2
    dl = team.id("li", "delivery", "request", li_co)
    team.ok("mgr", "delivery", "approve", dl)
    assert [d["id"] for d in team.json("wang", "delivery", "list")] == []
    team.admin.ok("config", "set", "finance.confirm_payments", "true")
    py = team.json("li", "pay", "record", li_co, "30000", "--date", TODAY)
    assert py["status"] == "requested"
    assert sum(float(m["paid"] or 0) for m in team.json("li", "receivable", "list")) == 0
    refused = team.as_("li")("pay", "confirm", py["id"])
    assert refused.exit_code == 1
    team.ok("cash", "pay", "confirm", py["id"])
    assert sum(float(m["paid"] or 0) for m in team.json("li", "receivable", "list")) == 30000
