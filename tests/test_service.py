"""After-sales service (客户服务): the service register, satisfaction surveys and
complaints — through the CLI on every backend, and through the services on SQLite."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import Kam
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.api import hookimpl
from kam.errors import InputError, RefusedError
from kam.plugin_manager import Plugins
from kam.workspace import Workspace

AS_OF = dt.date(2026, 6, 30)


def test_a_serious_complaint_is_escalated_once_listed_today_and_closes_only_after_a_reply(
        kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力", "--owner", "张伟")
    cp = kam.json("complaint", "add", cu, "--severity", "严重", "--note", "平台宕机",
                  "--date", "2026-06-01", "--as-of", "2026-06-01")
    assert (cp["severity"], cp["status"], cp["owner"], cp["escalated_to"]) == (
        "serious", "escalated", "张伟", "vp")
    minor = kam.id("complaint", "add", cu, "--severity", "minor", "--note", "手册不全")
    assert kam.json("complaint", "list", "--open", "--owner", "张伟")[1]["escalated_to"] is None

    check = kam("check", "--format", "json", "--as-of", "2026-06-02")
    assert check.json()["escalated"] == []  # escalated when added: never twice
    again = kam("complaint", "escalate", cp["id"])
    assert again.exit_code == 1 and "escalated already" in again.stderr
    events = kam.json("history", cp["id"])
    assert [e["kind"] for e in events] == ["complaint.added"]

    today = kam.json("today", "--owner", "张伟", "--as-of", "2026-06-10")["tables"]
    rows = today["complaints"]["rows"]
    assert [(r["id"], r["days_open"]) for r in rows] == [(cp["id"], 9), (minor, 0)]
    vp = kam.json("today", "--owner", "vp", "--as-of", "2026-06-10")["tables"]
    assert [r["id"] for r in vp["complaints"]["rows"]] == [cp["id"]]

    refused = kam("complaint", "close", cp["id"])
    assert refused.exit_code == 1
    assert refused.stderr.strip().count("\n") == 0 and "no reply yet" in refused.stderr
    assert kam.json("complaint", "list")[0]["status"] == "escalated"  # nothing written
    no_text = kam("complaint", "reply", cp["id"])
    assert no_text.exit_code == 2 and "--note" in no_text.stderr
    kam.ok("complaint", "reply", cp["id"], "--note", "已致歉，当日恢复", "--date", "2026-06-02")
    early = kam("complaint", "close", cp["id"], "--date", "2026-06-01")
    assert early.exit_code == 2 and "before the reply" in early.stderr
    closed = kam.json("complaint", "close", cp["id"], "--note", "客户确认")
    assert (closed["status"], closed["reply"]) == ("closed", "已致歉，当日恢复")
    assert kam("complaint", "reply", cp["id"], "--note", "x").exit_code == 1
    assert [r["id"] for r in kam.json("complaint", "list", "--open")] == [minor]
    later = kam.json("today", "--owner", "张伟")["tables"]["complaints"]["rows"]
    assert [r["id"] for r in later] == [minor]
    kinds = [e["kind"] for e in kam.json("history", cp["id"])]
    assert kinds == ["complaint.added", "complaint.replied", "complaint.closed"]


def test_service_types_and_survey_levels_take_keys_chinese_words_and_letters(
        kam: Kam) -> None:
    cu = kam.id("customer", "add", "深圳智造")
    typed = [kam.json("service", "log", cu, "--type", t, "--engineer", e, "--hours", "1.5",
                      "--cost", "100")["type"]
             for t, e in (("A", "赵工"), ("合同", "赵工"), ("免费", "钱工"), ("internal", "钱工"),
                          ("d", "钱工"), ("有偿服务", "赵工"))]
    assert typed == ["paid", "contract", "free", "internal", "internal", "paid"]
    bad = kam("service", "log", cu, "--type", "E")
    assert bad.exit_code == 2 and "paid, contract, free, internal" in bad.stderr
    sv = kam.json("service", "survey", "SV1", "--attitude", "非常满意", "--skill", "满意",
                  "--arrival", "一般", "--promises", "較差")
    assert [sv[d] for d in ("attitude", "skill", "arrival", "promises")] == [
        "very_satisfied", "satisfied", "average", "poor"]
    twice = kam("service", "survey", "SV1", "--attitude", "poor", "--skill", "poor",
                "--arrival", "poor", "--promises", "poor")
    assert twice.exit_code == 1 and "one survey per service" in twice.stderr
    assert kam("service", "survey", "SV2", "--attitude", "great", "--skill", "poor",
               "--arrival", "poor", "--promises", "poor").exit_code == 2
    assert [r["id"] for r in kam.json("service", "list", "--engineer", "钱工",
                                      "--type", "D")] == ["SV4", "SV5"]
    report = kam.json("report", "service")["tables"]
    assert report["by_engineer"]["rows"] == [
        {"engineer": "赵工", "surveys": 1, "attitude": "4.00", "skill": "3.00",
         "arrival": "2.00", "promises": "1.00", "overall": "2.50"}]
    assert report["cost_by_type"]["totals"] == [
        {"type": "total", "currency": "CNY", "services": 6, "hours": "9.0",
         "cost": "600.00"}]


# --- through the services, on SQLite ------------------------------------------------


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Workspace]:
    from kam.services import admin

    admin.init(tmp_path / "ws", Plugins(), backend="sqlite", lang="en")
    ws = Workspace.open(tmp_path / "ws", as_of=AS_OF)
    yield ws
    ws.close()


def test_kam_check_escalates_once_to_the_vice_president_of_kam_toml(
        world: Workspace) -> None:
    from kam.services import check, complaints, customers

    cu = customers.add(world, "华东电力", owner="张伟")["id"]
    world.config["service"] = {"vice_president": "孙立"}
    normal = complaints.add(world, cu, severity="normal", note="到场晚")
    assert normal["escalated_to"] is None and normal["status"] == "open"
    # a complaint filed while the rules said nothing (then raised to serious by an import)
    with world.storage.transaction():
        world.storage.update("complaint", normal["id"], {"severity": "serious"})
    first = check.run(world)
    assert [(e["complaint_id"], e["escalated_to"]) for e in first["escalated"]] == [
        (normal["id"], "孙立")]
    assert check.run(world)["escalated"] == []
    record = world.get("complaint", normal["id"])
    assert (record["status"], record["escalated_to"], record["escalated_on"]) == (
        "escalated", "孙立", AS_OF)
    events = [e for e in world.storage.events(kinds=["complaint.escalated"])]
    assert [e["payload"] for e in events] == [{"to": "孙立", "by_rule": True}]
    with pytest.raises(RefusedError, match="escalated already"):
        complaints.escalate(world, normal["id"], to="王总")
    minor = complaints.add(world, cu, severity="minor", note="x")
    with pytest.raises(InputError, match="--to"):
        complaints.escalate(world, minor["id"])
    assert complaints.escalate(world, minor["id"], to="王总")["escalated_to"] == "王总"


def test_a_survey_and_a_contract_must_belong_to_the_service_and_customer(
        world: Workspace) -> None:
    from kam.services import contracts, customers, opportunities, service

    a = customers.add(world, "A")["id"]
    b = customers.add(world, "B")["id"]
    opp = opportunities.add(world, b, "deal", amount="1000")["id"]
    co = contracts.create(world, opp, acceptance_criteria="ok", change_cost="none")["id"]
    with pytest.raises(InputError, match="not of"):
        service.log(world, a, type="paid", contract=co)
    logged = service.log(world, b, type="B", contract=co, date="2026-06-01")
    assert (logged["contract_id"], logged["engineer"]) == (co, world.actor)
    with pytest.raises(InputError, match="before the service"):
        service.survey(world, logged["id"], attitude="poor", skill="poor", arrival="poor",
                       promises="poor", date="2026-05-31")
    assert world.storage.count("survey") == 0


# --- the report's numbers reconcile with the register ---------------------------------

LEVELS = ("very_satisfied", "satisfied", "average", "poor")
SCORE = {"very_satisfied": 4, "satisfied": 3, "average": 2, "poor": 1}
call = st.tuples(
    st.integers(0, 2),  # customer
    st.sampled_from(("paid", "contract", "free", "internal")),
    st.integers(0, 2),  # contract of that customer (0: none)
    st.integers(0, 5_000_000),  # cost in cents
    st.integers(0, 40),  # half hours
    st.sampled_from(("赵工", "钱工", "Kevin")),
    st.none() | st.tuples(*[st.sampled_from(LEVELS)] * 4),
)


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(call, max_size=12))
@example([(0, "paid", 1, 1, 1, "赵工", ("poor", "average", "average", "very_satisfied")),
          (0, "free", 0, 3, 0, "赵工", ("very_satisfied", "poor", "poor", "poor")),
          (1, "internal", 2, 0, 3, "钱工", None)])
def test_report_service_totals_reconcile_with_the_records(calls: list[Any]) -> None:
    from kam.reports import cards
    from kam.reports import service as report
    from kam.services import admin, contracts, customers, opportunities, service

    with tempfile.TemporaryDirectory() as tmp:
        admin.init(Path(tmp), Plugins(), backend="sqlite", lang="en")
        ws = Workspace.open(Path(tmp), as_of=AS_OF)
        try:
            cus, cos = [], []
            for i, cur in enumerate(("CNY", "USD", "CNY")):
                cu = customers.add(ws, f"C{i}", currency=cur)["id"]
                opp = opportunities.add(ws, cu, "deal", amount="1000", currency=cur)["id"]
                cus.append(cu)
                cos.append([None] + [contracts.create(ws, opp, acceptance_criteria="ok",
                                                      change_cost="none")["id"]
                                     for _ in range(2)])
            for ci, kind, k, cents, half_hours, engineer, answers in calls:
                sv = service.log(ws, cus[ci], type=kind, contract=cos[ci][k],
                                 engineer=engineer, cost=str(Decimal(cents) / 100),
                                 hours=str(Decimal(half_hours) / 2))
                if answers:
                    service.survey(ws, sv["id"], attitude=answers[0], skill=answers[1],
                                   arrival=answers[2], promises=answers[3])
            built = report.build(ws)
            records = list(service.list_(ws))
            surveys = list(service.surveys(ws))
            _reconcile(built, records, surveys)
            # the account plans' service cost adds up to the report's, per currency
            cards_total: dict[str, Decimal] = defaultdict(Decimal)
            for cu in cus:
                for t in cards.account(ws, record_id=cu).tables:
                    if t.name == "service_cost":
                        for row in t.totals:
                            cards_total[row["currency"]] += row["cost"]
            assert cards_total == {r["currency"]: r["cost"]
                                   for r in built.table("cost_by_type").totals}
        finally:
            ws.close()


def _reconcile(built: Any, records: list[dict[str, Any]],
               surveys: list[dict[str, Any]]) -> None:
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    hours: dict[str, Decimal] = defaultdict(Decimal)
    count: dict[str, int] = defaultdict(int)
    for r in records:
        by_currency[r["currency"]] += r["cost"]
        hours[r["currency"]] += r["hours"]
        count[r["currency"]] += 1
    for name in ("cost_by_contract", "cost_by_type"):
        table = built.table(name)
        assert {t["currency"]: (t["cost"], t["hours"], t["services"]) for t in table.totals} \
            == {c: (by_currency[c], hours[c], count[c]) for c in by_currency}, name
        for t in table.totals:  # the rows add up to their total
            mine = [r for r in table.rows if r["currency"] == t["currency"]]
            assert sum(r["cost"] for r in mine) == t["cost"]
            assert sum(r["services"] for r in mine) == t["services"]
    scores = [SCORE[s[d]] for s in surveys for d in ("attitude", "skill", "arrival",
                                                      "promises")]
    for name in ("by_customer", "by_engineer"):
        table = built.table(name)
        assert sum(r["surveys"] for r in table.rows) == len(surveys)
        if surveys:
            expected = (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"))
            assert abs(table.totals[0]["overall"] - expected) <= Decimal("0.01")
            assert table.totals[0]["surveys"] == len(surveys)
        else:
            assert table.totals == []


class ServiceDesk:
    """A company plugin: a complaint a week without a reply goes to the service manager
    (before the standard rules), and it records the service and complaint events."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    @hookimpl
    def kam_escalate_complaint(self, ws: Any, complaint: dict) -> list[str]:
        late = (ws.today - complaint["date"]).days >= 7 and not complaint.get("reply")
        return ["客服经理"] if late else []

    @hookimpl
    def kam_service_event(self, ws: Any, record: dict, action: str, event: dict) -> None:
        self.calls.append((record["id"], action, event["kind"]))

    @hookimpl
    def kam_complaint_event(self, ws: Any, complaint: dict, action: str,
                            event: dict) -> None:
        self.calls.append((complaint["id"], action, event["kind"]))


def test_a_company_rule_escalates_by_kam_check_and_plugins_get_the_events(
        tmp_path: Path) -> None:
    from kam.services import admin, check, complaints, customers, service

    admin.init(tmp_path / "ws", Plugins(), backend="sqlite", lang="en")
    plugins = Plugins()
    desk = ServiceDesk()
    plugins.register(desk, "service_desk")
    ws = Workspace.open(tmp_path / "ws", plugins=plugins, as_of="2026-06-01")
    try:
        cu = customers.add(ws, "华东电力")["id"]
        sv = service.log(ws, cu, type="C")["id"]
        sy = service.survey(ws, sv, attitude="满意", skill="满意", arrival="满意",
                            promises="满意")["id"]
        late = complaints.add(ws, cu, severity="minor", note="回复慢")["id"]
        serious = complaints.add(ws, cu, severity="serious", note="宕机")
        assert serious["escalated_to"] == "vp"  # the standard rule, nothing from the desk
        ws.today = dt.date(2026, 6, 5)
        assert check.run(ws)["escalated"] == []
        ws.today = dt.date(2026, 6, 8)
        assert [e["escalated_to"] for e in check.run(ws)["escalated"]] == ["客服经理"]
        assert check.run(ws)["escalated"] == []
        assert desk.calls == [
            (sv, "logged", "service.logged"), (sy, "surveyed", "survey.recorded"),
            (late, "added", "complaint.added"), (serious["id"], "added", "complaint.added"),
            (late, "escalated", "complaint.escalated")]
    finally:
        ws.close()
