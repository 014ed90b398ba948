"""The SQLite backend's call-history roll-ups (kam.storage.ActivityRollup) answer exactly
what the Python reference (kam.reports.rollups.PythonRollup) computes, on random data."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.plugins.storage_sqlite.backend import SQLiteStorage
from kam.reports.rollups import PythonRollup, latest_calls_on, next_steps_in_order, rollup
from kam.storage import ActivityRollup, LatestCallsOn, NextStepsDue, NextStepsHead
from test_aggregates import opened, per_store, store  # noqa: F401  (the fixture)

DAY0 = dt.date(2026, 3, 1)
DEAL = st.tuples(st.sampled_from(["open", "won", "lost"]), st.booleans())
CALL = st.tuples(
    st.integers(0, 6),                                          # date: DAY0 + n (ties)
    st.sampled_from([None, "OP1", "OP2", "OP3", "OP4"]),   # deal
    st.sampled_from(["CU1", "CU2"]),                           # customer
    st.sampled_from([None, "张伟", "lee"]),                     # owner
    st.sampled_from([None, "continuance", "advance", "order", "no_sale", "odd"]),
    st.none() | st.integers(0, 9),                              # next due: DAY0 + n
)


def stocked(path: Path, deals: list[tuple[str, bool]],
            calls: list[tuple[Any, ...]]) -> SQLiteStorage:
    s = SQLiteStorage(path)
    stock(s, deals, calls)
    return s


def stock(s: Any, deals: list[tuple[str, bool]], calls: list[tuple[Any, ...]]) -> None:
    with s.transaction():
        for n in (1, 2):
            s.insert("customer", {"id": s.next_id("customer"), "name": f"客户{n}"})
        for n, (status, completed) in enumerate(deals + [("open", False)] * 4, start=1):
            if n > 4:
                break
            s.insert("opportunity", {
                "id": s.next_id("opportunity"), "customer_id": "CU1", "title": f"t{n}",
                "status": status, "stage": "development",
                "completed_at": DAY0 if completed else None})
        for days, opp, customer, owner, outcome, due in calls:
            s.insert("activity", {
                "id": s.next_id("activity"), "opportunity_id": opp, "customer_id": customer,
                "type": "visit", "date": DAY0 + dt.timedelta(days=days), "owner": owner,
                "outcome": outcome, "next_step": f"step {days}",
                "next_due": None if due is None else DAY0 + dt.timedelta(days=due)})


EDIT = st.tuples(
    st.integers(0, 24),                                         # which call
    st.sampled_from(["date", "opportunity_id", "customer_id", "owner", "outcome", "next_due",
                     "delete"]),
    st.integers(0, 9),                                          # the new value's pick
)
PICKS: dict[str, list[Any]] = {
    "date": [DAY0 + dt.timedelta(days=n) for n in range(7)],
    "opportunity_id": [None, "OP1", "OP2", "OP3", "OP4"],
    "customer_id": ["CU1", "CU2"],
    "owner": [None, "张伟", "lee"],
    "outcome": [None, "continuance", "advance", "order"],
    "next_due": [None, *(DAY0 + dt.timedelta(days=n) for n in range(9))],
}


def edited(s: Any, edits: list[tuple[int, str, int]]) -> None:
    """Change calls after the fact (a call moved to another day, deal or owner, its outcome
    corrected) or delete them (a repair in SQL): the summaries must follow."""
    ids = [r["id"] for r in s.find("activity", order_by=("id",))]
    mark = "?" if isinstance(s, SQLiteStorage) else "%s"
    with s.transaction():
        for n, field, pick in edits:
            if not ids:
                return
            call = ids[n % len(ids)]
            if field == "delete":
                s.conn.execute(f"DELETE FROM activity WHERE id = {mark}", (call,))
                ids.remove(call)
            else:
                values = PICKS[field]
                s.update("activity", call, {field: values[pick % len(values)]})


def key(record: dict[str, Any]) -> str:
    return str(record["id"])


@settings(max_examples=60, deadline=None)
@given(st.lists(DEAL, min_size=4, max_size=4), st.lists(CALL, max_size=25),
       st.integers(0, 7), st.sampled_from([None, "张伟"]), st.sampled_from([None, "CU1"]),
       st.lists(EDIT, max_size=4))
@example([("open", False)] * 4,
         [(1, "OP1", "CU1", None, "continuance", None), (1, "OP1", "CU1", None, None, 2),
          (1, "OP1", "CU1", None, "continuance", None)], 3, None, None, [])
@example([("open", False)] * 4,
         [(2, "OP1", "CU1", "张伟", "continuance", 1), (0, "OP1", "CU1", "张伟", "advance", 1),
          (1, "OP1", "CU1", "张伟", "continuance", 2)], 7, "张伟", None,
         [(0, "date", 0), (2, "delete", 0)])
@example([("open", False)] * 4, [(0, "OP1", "CU1", None, None, 1)], 7, None, None,
         [(0, "next_due", 5)])
def test_fast_roll_ups_equal_the_python_reference(
        deals: list[tuple[str, bool]], calls: list[tuple[Any, ...]], cut: int,
        owner: str | None, customer: str | None, edits: list[tuple[int, str, int]]) -> None:
    """Calls inserted in any date order (back-dated ones too), then edited or deleted;
    ``as_of`` before some keys' latest call exercises the history fall-back."""
    with tempfile.TemporaryDirectory() as folder:
        storage = stocked(Path(folder) / "kam.db", deals, calls)
        try:
            edited(storage, edits)
            assert_equal_to_reference(storage, cut, owner, customer)
        finally:
            storage.close()


@settings(max_examples=25, deadline=None)
@given(st.lists(DEAL, min_size=4, max_size=4), st.lists(CALL, max_size=25),
       st.lists(CALL, max_size=5), st.integers(0, 7))
@example([("open", False)] * 4, [(3, "OP1", "CU1", None, "continuance", 4),
                                 (1, "OP1", "CU1", None, "continuance", 2)],
         [(0, "OP1", "CU1", "lee", None, 1)], 7)
def test_a_bulk_load_fills_the_summaries_and_keeps_them_after(
        deals: list[tuple[str, bool]], calls: list[tuple[Any, ...]],
        later: list[tuple[Any, ...]], cut: int) -> None:
    """kam import loads without indexes or triggers (``deferred_indexes``) and fills the
    summaries from the whole history at the end; calls logged after it are kept by the
    triggers again."""
    with tempfile.TemporaryDirectory() as folder:
        storage = SQLiteStorage(Path(folder) / "kam.db")
        try:
            with storage.transaction(), storage.deferred_indexes():
                stock(storage, deals, calls)
            assert_equal_to_reference(storage, cut, None, None)
            with storage.transaction():
                for days, opp, customer, owner, outcome, due in later:
                    storage.insert("activity", {
                        "id": storage.next_id("activity"), "opportunity_id": opp,
                        "customer_id": customer, "type": "call",
                        "date": DAY0 + dt.timedelta(days=days), "owner": owner,
                        "outcome": outcome, "next_step": "later",
                        "next_due": None if due is None else DAY0 + dt.timedelta(days=due)})
            assert_equal_to_reference(storage, cut, "张伟", "CU1")
            assert_equal_to_reference(storage, 7, None, None)
        finally:
            storage.close()


def assert_equal_to_reference(storage: Any, cut: int, owner: str | None,
                              customer: str | None) -> None:
    assert isinstance(storage, ActivityRollup)
    reference = PythonRollup(SimpleNamespace(storage=storage))
    as_of = DAY0 + dt.timedelta(days=cut)
    start = DAY0 + dt.timedelta(days=cut // 2)
    for due_by in (None, DAY0 + dt.timedelta(days=cut)):
        assert (sorted(storage.latest_calls(as_of, owner, due_by), key=key)
                == sorted(reference.latest_calls(as_of, owner, due_by), key=key))
        if isinstance(storage, LatestCallsOn):  # one member's deals (kam today --owner)
            for deals in ([], ["OP1", "OP3"], ["OP1", "OP2", "OP3", "OP4"]):
                assert (sorted(storage.latest_calls_on(as_of, deals, due_by), key=key)
                        == sorted((a for a in reference.latest_calls(as_of, None, due_by)
                                   if a.get("opportunity_id") in deals), key=key))
    if isinstance(storage, NextStepsDue):  # kam today's whole team, in its order
        due_by = DAY0 + dt.timedelta(days=cut)
        fast = storage.next_steps_due(as_of, due_by)
        # it may decline (a call after as_of), never answer differently
        steps = next_steps_in_order(reference.latest_calls(as_of, None, due_by), due_by)
        if fast is not None:
            assert list(fast) == steps
        if isinstance(storage, NextStepsHead):  # kam today's first rows, and the count
            for limit in (0, 1, 3):
                head = storage.next_steps_head(as_of, due_by, limit)
                assert head is None or head == (len(steps), steps[:limit])
    assert (sorted(storage.deal_touches(as_of, customer))
            == sorted(reference.deal_touches(as_of, customer)))
    assert (sorted(storage.call_counts(start, as_of, customer, owner), key=str)
            == sorted(reference.call_counts(start, as_of, customer, owner), key=str))


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(DEAL, min_size=4, max_size=4), st.lists(CALL, max_size=25),
       st.integers(0, 7), st.sampled_from([None, "张伟"]), st.sampled_from([None, "CU1"]),
       st.lists(EDIT, max_size=4))
@example([("open", False)] * 4,
         [(1, "OP1", "CU1", "张伟", "continuance", None), (1, "OP1", "CU1", None, None, 2),
          (0, "OP2", "CU1", "张伟", "continuance", 1)], 3, "张伟", None, [(1, "delete", 0)])
def test_postgres_roll_ups_equal_the_python_reference(
        pg_server: Any, deals: list[tuple[str, bool]], calls: list[tuple[Any, ...]],
        cut: int, owner: str | None, customer: str | None,
        edits: list[tuple[int, str, int]]) -> None:
    """The same on PostgreSQL (DISTINCT ON and window queries over the history)."""
    from kam.plugins.storage_postgres.backend import PostgresStorage

    storage = PostgresStorage(pg_server.fresh())
    try:
        stock(storage, deals, calls)
        edited(storage, edits)
        assert isinstance(storage, NextStepsDue)  # it answers for any as_of
        assert_equal_to_reference(storage, cut, owner, customer)
    finally:
        storage.close()


def test_a_backend_without_the_fast_path_gets_the_reference(tmp_path: Path) -> None:
    storage = stocked(tmp_path / "kam.db", [("open", False)] * 4,
                      [(0, "OP1", "CU1", "lee", "continuance", 3),
                       (2, "OP1", "CU1", "lee", "continuance", 5)])
    plain = SimpleNamespace(find=storage.find)  # the protocol's find only
    picked = rollup(SimpleNamespace(storage=plain))
    assert isinstance(picked, PythonRollup)
    assert list(picked.deal_touches(DAY0 + dt.timedelta(days=9))) == [
        ("OP1", DAY0 + dt.timedelta(days=2), 2)]
    assert rollup(SimpleNamespace(storage=storage)) is storage
    on_plain = list(latest_calls_on(SimpleNamespace(storage=plain), DAY0 + dt.timedelta(days=9),
                                    ["OP1"]))
    assert [a["id"] for a in on_plain] == ["AC2"]
    storage.close()


MILESTONE = st.tuples(
    st.integers(0, 500),                        # amount, yuan
    st.integers(0, 600),                        # paid (overpaid too)
    st.sampled_from([0, 0, 100, 500]),          # written off (partly)
    st.booleans(),                              # written off on a day
    st.none() | st.integers(0, 9),              # due date: DAY0 + n
    st.sampled_from([None, [], [{"reason": "budget", "promised": "2026-03-05"}]]),
    st.sampled_from(["CO1", "CO2"]),
)


@per_store(40)
@given(st.lists(MILESTONE, max_size=12), st.none() | st.integers(0, 9), st.booleans(),
       st.sampled_from([None, "CO1"]))
@example([(100, 100, 0, False, 1, None, "CO1"), (100, 50, 50, False, 1, [], "CO1"),
          (100, 0, 0, True, 1, None, "CO2"), (100, 0, 0, False, None, [], "CO1")],
         5, False, None)
def test_open_receivables_equal_the_python_reference(
        store: str, milestones: list[tuple[Any, ...]],  # noqa: F811
        due: int | None, noted: bool, contract: str | None) -> None:
    """The SQL outstanding test (money in cents, written-off ones out) keeps exactly the
    milestones receivable_view finds money outstanding on, in the same order."""
    from decimal import Decimal

    from kam.reports.rollups import python_open_receivables
    from kam.storage import OpenReceivables

    with opened(store) as s:
        with s.transaction():
            s.insert("customer", {"id": s.next_id("customer"), "name": "客户"})
            for _ in range(2):
                s.insert("contract", {"id": s.next_id("contract"), "customer_id": "CU1",
                                      "number": "HT", "amount": Decimal("1000.00"),
                                      "status": "signed"})
            for amount, paid, off, off_on, day, notes, co in milestones:
                s.insert("receivable", {
                    "id": s.next_id("receivable"), "contract_id": co, "customer_id": "CU1",
                    "seq": 1, "kind": "final", "amount": Decimal(amount),
                    "paid": Decimal(paid), "written_off": Decimal(off),
                    "written_off_on": DAY0 if off_on else None,
                    "due_date": None if day is None else DAY0 + dt.timedelta(days=day),
                    "collection_notes": notes})
        assert isinstance(s, OpenReceivables)
        due_by = None if due is None else DAY0 + dt.timedelta(days=due)
        where = {"contract_id": contract} if contract else None
        order = ("due_date", "id")
        assert (list(s.open_receivables(where, due_by, noted, order))
                == list(python_open_receivables(s, where, due_by, noted, order)))


@per_store(30)
@given(st.lists(st.tuples(
    st.sampled_from(["receivable.due", "receivable.overdue", "contract.renewal_due",
                     "activity.logged"]),
    st.sampled_from(["RC1", "RC2", "CO1"]),
    st.sampled_from([{}, {"level": 30}, {"level": "60"}, {"service_end": "2026-09-30"},
                     {"level": 1, "note": "逾期"}, {"level": None}, {"level": [30, "逾期"]},
                     {"level": {"days": 60}}, {"level": True}, {"level": 1.5}])),
    max_size=10),
       st.sampled_from(["level", "service_end"]))
@example([("receivable.overdue", "RC1", {"level": [30, "逾期"]}),
          ("receivable.overdue", "RC2", {"level": {"days": 60}}),
          ("receivable.due", "RC1", {"level": True})], "level")
def test_event_values_equal_the_python_reference(
        store: str, events: list[tuple[str, str, dict[str, Any]]],  # noqa: F811
        key: str) -> None:
    """What ``kam check`` reads of its earlier reminders, by json_extract (SQLite) or
    ``->`` (PostgreSQL), equals the payload values of the decoded events, in order."""
    from kam.reports.rollups import python_event_values
    from kam.storage import EventValues

    with opened(store) as s:
        appended(s, events)
        assert isinstance(s, EventValues)
        kinds = ["receivable.due", "receivable.overdue", "contract.renewal_due"]
        fast = list(s.event_values(kinds, key))
        assert repr(fast) == repr(list(python_event_values(s, kinds, key)))


def appended(s: Any, events: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Events of these (kind, record id, payload), appended in one transaction."""
    with s.transaction():
        for kind_, record_id, payload in events:
            s.append_event({"at": "2026-03-01T09:00:00", "actor": "bench", "kind": kind_,
                            "record_id": record_id, "payload": payload, "refs": []})


def _summary_rows(s: SQLiteStorage) -> tuple[list[Any], list[Any]]:
    return (s.conn.execute("SELECT * FROM call_last ORDER BY key").fetchall(),
            s.conn.execute("SELECT * FROM call_last_by_owner ORDER BY owner, key").fetchall())


@settings(max_examples=40, deadline=None)
@given(st.lists(CALL, max_size=30), st.lists(EDIT, max_size=3))
@example([(2, "OP1", "CU1", "lee", "continuance", None), (0, "OP1", "CU1", "lee", "advance", 1),
          (2, "OP1", "CU1", None, "continuance", 2), (2, "OP1", "CU1", "张伟", None, None),
          (1, "OP1", "CU1", "张伟", "continuance", None)], [])
def test_the_bulk_refill_equals_the_trigger_kept_summaries(
        calls: list[tuple[Any, ...]], edits: list[tuple[int, str, int]]) -> None:
    """``summaries.refill`` (kam import's end: one upsert pass, no sort) leaves exactly the
    rows the triggers kept call by call (back-dated calls, ties of dates, continuances,
    no owner), and those migration 0012's GROUP BYs make."""
    from kam.plugins.storage_sqlite import summaries

    with tempfile.TemporaryDirectory() as folder:
        storage = stocked(Path(folder) / "kam.db", [("open", False)] * 4, calls)
        try:
            edited(storage, edits)
            kept = _summary_rows(storage)
            with storage.transaction():
                summaries.refill(storage.conn)
                assert _summary_rows(storage) == kept
                for table in summaries.TABLES:
                    storage.conn.execute(f"DELETE FROM {table}")
                for sql in summaries._FILL_0012:
                    storage.conn.execute(sql)
                assert _summary_rows(storage) == kept
        finally:
            storage.close()
