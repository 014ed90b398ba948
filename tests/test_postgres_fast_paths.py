"""PostgreSQL's fast paths (plugins/storage_postgres/: aggregates, summaries, roll-ups,
column reads, report and check reads, stored text) under row-level
security: a team member gets from each what the Python reference computes over the rows
the member may see, and nothing of a colleague's deals, contracts or milestones — the
deal team (铁三角) sees its deal, a manager their people's, the director everything."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from kam.reports.aggregates import PythonAggregates
from kam.reports.aging_sums import reference as aging_reference
from kam.reports.battle_map import PythonBattleMapReads
from kam.reports.pipeline import FIELDS, pipeline_sums_reference
from kam.reports.rollups import (
    PythonRollup,
    next_steps_in_order,
    python_event_values,
    python_open_receivables,
)
from kam.reports.targets_sums import PythonDealMonthSums
from kam.reports.today import python_due_receivables
from kam.services.check import (
    python_fired_reminders,
    python_open_balances,
    python_overdue_texts,
)
from kam.services.check_anomalies import python_unflagged_late
from kam.services.receivable_pages import csv_text, csv_text_reference
from kam.storage import stored_text_pages

pytest.importorskip("psycopg")  # the postgres extra (conftest fails CI without it)
from kam.plugins.storage_postgres.backend import PostgresStorage  # noqa: E402
from psycopg.conninfo import conninfo_to_dict, make_conninfo  # noqa: E402

AS_OF = dt.date(2026, 6, 30)
ENDS = (30, 60, 90, 180)
STAGE_KINDS = ("opportunity.advanced", "opportunity.lost")
REMINDERS = ["receivable.due", "receivable.overdue"]
ORDER = {"six_stage": ["lead", "proposal", "bid", "won"]}
#: who owns what: (customer, deal, contract) per account manager
ACCOUNTS = {"li": ("CU1", "OP1", "CO1"), "wang": ("CU2", "OP2", "CO2"),
            "zhou": ("CU3", "OP3", "CO3")}


@pytest.fixture
def team_db(pg_dsn: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Three accounts (li's, wang's, zhou's), each a customer, a deal with stage history
    and stage events, a contract and four milestones (paid, part paid, overdue, not due)
    with reminder events; zhao is on li's deal team; mgr manages li; boss directs."""
    tag = conninfo_to_dict(pg_dsn)["dbname"]
    names = {who: f"{who}_{tag}" for who in ("li", "wang", "zhou", "zhao", "mgr", "boss")}
    owner = PostgresStorage(pg_dsn)
    try:
        with owner.transaction():
            owner.team_add(names["mgr"], "manager", None)
            owner.team_add(names["boss"], "director", None)
            for who in ("li", "wang", "zhou", "zhao"):
                owner.team_add(names[who], "sales", names["mgr"] if who == "li" else None)
            for n, (who, (cu, op, co)) in enumerate(ACCOUNTS.items(), start=1):
                user = names[who]
                team = [{"user": names["zhao"], "role": "presales"}] if who == "li" else []
                owner.insert("customer", {"id": cu, "name": f"客户{n}", "owner": user})
                owner.insert("opportunity", {
                    "id": op, "customer_id": cu, "title": f"deal {who}", "owner": user,
                    "status": "open", "stage": "proposal", "currency": "CNY", "team": team,
                    "pipeline": "six_stage",
                    "amount": Decimal(100_000 * n) + Decimal("0.05"), "probability": 30 + n,
                    "stage_history": [{"stage": "lead", "on": f"2026-0{n}-01"}],
                    "close_date": AS_OF + dt.timedelta(days=30 * n),
                    "created_at": f"2026-0{n}-01T08:00:00"})
                owner.insert("contract", {"id": co, "opportunity_id": op, "customer_id": cu,
                                          "owner": user, "amount": Decimal(90_000 * n),
                                          "currency": "CNY", "status": "executing"})
                for seq, (paid, due) in enumerate(((1, -200), (Decimal("0.5"), -45),
                                                   (0, -3), (0, 20)), start=1):
                    rc = f"RC{n * 10 + seq}"
                    owner.insert("receivable", {
                        "id": rc, "contract_id": co, "customer_id": cu, "seq": seq,
                        "kind": "fixed_date", "amount": Decimal(10_000 * n),
                        "paid": Decimal(10_000 * n) * paid, "currency": "CNY",
                        "due_date": AS_OF + dt.timedelta(days=due),
                        "collection_notes": [{"reason": "budget"}] if seq == 3 else []})
                    owner.append_event({"kind": "receivable.overdue", "record_id": rc,
                                        "actor": user, "at": "2026-06-30T08:00:00",
                                        "payload": {"level": 30 * seq}})
                owner.insert("payment", {"id": f"PM{n}", "contract_id": co, "customer_id": cu,
                                         "amount": Decimal(5_000 * n), "currency": "CNY",
                                         "date": AS_OF - dt.timedelta(days=40 * n)})
                owner.insert("activity", {"id": f"AC{n}", "opportunity_id": op,
                                          "customer_id": cu, "owner": user, "type": "visit",
                                          "date": AS_OF - dt.timedelta(days=n),
                                          "next_due": AS_OF})
                owner.append_event({"kind": "opportunity.advanced", "record_id": op,
                                    "actor": user, "at": "2026-05-01T09:00:00",
                                    "payload": {"from": "lead", "to": "proposal"}})
    finally:
        owner.close()
    yield pg_dsn, names


def _as(dsn: str, user: str | None) -> PostgresStorage:
    return PostgresStorage(dsn if user is None else str(
        make_conninfo("", **{**conninfo_to_dict(dsn), "user": user})))


#: the accounts each one sees (None: the workspace owner, whom RLS does not filter)
SEES = {"li": {"li"}, "wang": {"wang"}, "zhao": {"li"}, "mgr": {"li"},
        "boss": {"li", "wang", "zhou"}, None: {"li", "wang", "zhou"}}


@pytest.mark.parametrize("who", list(SEES))
def test_a_member_gets_from_each_fast_path_only_what_they_may_see(
        team_db: tuple[str, dict[str, str]], who: str | None) -> None:
    dsn, names = team_db
    s = _as(dsn, None if who is None else names[who])
    try:
        assert s.team_role == (None if who is None else
                               {"mgr": "manager", "boss": "director"}.get(who, "sales"))
        reference = PythonAggregates(SimpleNamespace(storage=s))
        seen = SEES[who]
        contracts = {ACCOUNTS[a][2] for a in seen}
        deals = {ACCOUNTS[a][1] for a in seen}
        milestones = {f"RC{n * 10 + seq}" for n, a in enumerate(ACCOUNTS, start=1)
                      if a in seen for seq in range(1, 5)}

        sums = sorted(s.receivable_sums(AS_OF, ENDS))
        assert repr(sums) == repr(sorted(reference.receivable_sums(AS_OF, ENDS)))
        assert {cu for cu, *_rest in sums} == {ACCOUNTS[a][0] for a in seen}
        assert sum(n for *_k, n, _t in sums) == len(milestones)
        by_contract = sorted(s.contract_sums(AS_OF))
        assert repr(by_contract) == repr(sorted(reference.contract_sums(AS_OF)))
        assert {row[0] for row in by_contract} == contracts

        keys = ("stage", "owner")
        deal_sums = sorted(s.deal_sums(keys), key=repr)
        assert repr(deal_sums) == repr(sorted(reference.deal_sums(keys), key=repr))
        assert {names[a] for a in seen} == {key[1] for key, *_rest in deal_sums}

        starts = list(s.stage_starts())
        assert starts == list(reference.stage_starts())
        assert {row[0] for row in starts} == deals
        moves = list(s.stage_moves(STAGE_KINDS))
        assert moves == list(reference.stage_moves(STAGE_KINDS))
        assert {row[0] for row in moves} == deals

        order = ("due_date", "id")
        owed = [r["id"] for r in s.open_receivables(None, AS_OF, False, order)]
        assert owed == [r["id"] for r in python_open_receivables(s, None, AS_OF, False,
                                                                 order)]
        assert set(owed) == {rc for rc in milestones if int(rc[-1]) in (2, 3)}
        noted = [r["id"] for r in s.open_receivables(noted=True)]
        assert set(noted) == {rc for rc in milestones if rc.endswith("3")}

        reach = sorted(s.stage_reach(ORDER))
        assert reach == sorted(reference.stage_reach(ORDER))
        assert sum(n for *_k, n in reach) == len(deals)
        paid = sorted(s.payment_sums("quarter"), key=repr)
        assert repr(paid) == repr(sorted(reference.payment_sums("quarter"), key=repr))
        assert {cu for cu, *_rest in paid} == {ACCOUNTS[a][0] for a in seen}
        views = list(s.milestone_views(AS_OF))
        assert repr(views) == repr(list(reference.milestone_views(AS_OF)))
        assert {v[0] for v in views} == contracts and len(views) == len(milestones)
        listed = [i for _n, (ids,) in s.column_pages("opportunity", ["id"], size=1)
                  for i in ids]
        assert listed == [r["id"] for r in s.find("opportunity")] and set(listed) == deals
        all_deals = [op for _cu, op, _co in ACCOUNTS.values()]
        calls = sorted(r["id"] for r in s.latest_calls_on(AS_OF, all_deals, AS_OF))
        assert calls == sorted(r["id"] for r in reference_calls(s, all_deals))
        assert calls == sorted(f"AC{n}" for n, a in enumerate(ACCOUNTS, start=1) if a in seen)

        values = list(s.event_values(REMINDERS, "level"))
        assert values == list(python_event_values(s, REMINDERS, "level"))
        # a reminder is seen through its actor (the deal team does not see li's)
        assert {rc for _kind, rc, _level in values} == (set() if who == "zhao"
                                                        else milestones)
        this_rounds(s, who, seen)
    finally:
        s.close()


def this_rounds(s: PostgresStorage, who: str | None, seen: set[str]) -> None:
    """Aging, battle map, pipeline, targets, ``kam today`` and ``kam check``'s fast paths
    and the csv lists' stored text, each against its reference over what ``s`` sees."""
    ws: Any = SimpleNamespace(storage=s)
    customers = {ACCOUNTS[a][0] for a in seen}
    deals = {ACCOUNTS[a][1] for a in seen}
    contracts = {ACCOUNTS[a][2] for a in seen}
    milestones = {f"RC{n * 10 + seq}" for n, a in enumerate(ACCOUNTS, start=1)
                  if a in seen for seq in range(1, 5)}
    plain = PythonAggregates(ws)

    aging = sorted(s.aging_sums(AS_OF, ENDS))
    assert repr(aging) == repr(sorted(aging_reference(plain, AS_OF, ENDS)))
    assert {cu for cu, *_rest in aging} == customers
    battle = PythonBattleMapReads(ws)
    order = list(s.collection_order(AS_OF))
    assert order == list(battle.collection_order(AS_OF))
    assert {cid for cid, _cur in order} == contracts
    every = [co for _cu, _op, co in ACCOUNTS.values()]
    cards = sorted(s.contract_cards(every), key=repr)
    assert repr(cards) == repr(sorted(battle.contract_cards(every), key=repr))
    assert {c[0] for c in cards} == contracts

    sums, forced = s.pipeline_sums({"status": "open"}, FIELDS)
    ref_sums, ref_forced = pipeline_sums_reference(ws, {"status": "open"}, FIELDS)
    assert repr(sorted(sums, key=repr)) == repr(sorted(ref_sums, key=repr))
    assert list(forced) == list(ref_forced)
    assert sum(n for _key, n, _a, _w in sums) == len(deals)
    months = sorted(s.deal_month_sums(False, {"status": "open"}, ["CU1"]), key=repr)
    assert repr(months) == repr(sorted(PythonDealMonthSums(ws).deal_month_sums(
        False, {"status": "open"}, ["CU1"]), key=repr))
    assert len(months) == len(deals)

    steps = list(s.next_steps_due(AS_OF, AS_OF))
    assert steps == next_steps_in_order(PythonRollup(ws).latest_calls(AS_OF, None, AS_OF),
                                        AS_OF)
    assert {step[2] for step in steps} == deals
    balances = list(s.open_balances(AS_OF))
    assert repr(balances) == repr(list(python_open_balances(ws, AS_OF)))
    assert {b[0] for b in balances} == {rc for rc in milestones if int(rc[-1]) in (2, 3)}
    late = list(s.unflagged_late(AS_OF, "low_credit"))
    assert late == list(python_unflagged_late(ws, AS_OF, "low_credit")) == sorted(customers)
    fired = sorted(map(repr, s.fired_reminders()))
    assert fired == sorted(map(repr, python_fired_reminders(ws)))
    assert len(fired) == (0 if who == "zhao" else len(milestones))

    fields = ["id", "stage_history", "close_date"]
    texts = [(n, list(map(list, cols)))
             for n, cols in s.stored_text_pages("opportunity", fields, size=2)]
    assert texts == [(n, list(map(list, cols)))
                     for n, cols in stored_text_pages(s, "opportunity", fields, size=2)]
    assert {i for _n, (ids, _h, _d) in texts for i in ids} == deals
    fifth_rounds(s, milestones)


def fifth_rounds(s: PostgresStorage, milestones: set[str]) -> None:
    """``receivable list -f csv``'s rows, ``kam today``'s milestones due and ``kam
    check``'s overdue texts, each against its reference over what ``s`` sees."""
    reads = [({}, ("due_date", "contract_id", "seq"))]
    csv = "".join(csv_text(s, s, reads, AS_OF))
    assert csv == "".join(csv_text_reference(s, reads, AS_OF))
    rows = [r for page in s.receivable_csv_rows(None, ("id",), AS_OF) for r in page]
    assert {r[0] for r in rows} == milestones and None not in {r[9] for r in rows}
    assert {line.split(",")[0] for line in csv.splitlines()[1:]} == milestones

    where = {"written_off_on__isnull": True}
    due = list(s.due_receivables(AS_OF, AS_OF + dt.timedelta(days=30), where))
    assert due == python_due_receivables(
        python_open_receivables(s, where, AS_OF + dt.timedelta(days=30)), AS_OF,
        AS_OF + dt.timedelta(days=30))
    assert {r[0] for r in due} == {rc for rc in milestones if int(rc[-1]) > 1}

    overdue = [list(row.items()) for row in s.overdue_texts(AS_OF)]
    assert overdue == [list(row.items()) for row in python_overdue_texts(
        SimpleNamespace(storage=s, today=AS_OF))]
    assert {dict(row)["id"] for row in overdue} == {rc for rc in milestones
                                                    if int(rc[-1]) in (2, 3)}


def reference_calls(s: PostgresStorage, deals: list[str]) -> list[dict[str, object]]:
    """kam.storage.LatestCallsOn's reference: the whole team's latest calls, those deals'."""
    return [a for a in PythonRollup(SimpleNamespace(storage=s)).latest_calls(AS_OF, None, AS_OF)
            if a.get("opportunity_id") in deals]
