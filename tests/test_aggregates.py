"""The SQLite and PostgreSQL backends' receivable sums (kam.storage.ReceivableSums) answer
exactly what the Python reference (kam.reports.aggregates.PythonAggregates, built on
receivable_view) computes, on random milestones: partial payments, overpayments,
write-offs, missing due dates, due dates either side of today, filters on either side;
likewise their deal sums and stage moves. Sums are compared by ``repr``: the same
``Decimal`` digits, not only the same value."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.output import LazyList, to_json
from kam.plugins.storage_sqlite.backend import SQLiteStorage
from kam.reports import battle_map
from kam.reports.aggregates import (
    PythonAggregates,
    aggregates,
    bucket_index,
    columns_of_views,
    milestone_columns,
)
from kam.services import reports, targets
from kam.storage import (
    MilestoneColumns,
    MilestoneViews,
    PaymentSums,
    ReceivableSums,
    StageReach,
)
from kam.workspace import Workspace
from test_reports_collect import collect_ws  # noqa: F401  (the fixture)

TODAY = dt.date(2026, 6, 30)
CENTS = st.integers(0, 50_000).map(lambda c: Decimal(c).scaleb(-2))
MILESTONE = st.tuples(
    st.integers(0, 3),                                        # contract
    st.sampled_from(["CU1", "CU2"]),                          # customer
    st.none() | CENTS,                                        # amount
    st.none() | CENTS,                                        # paid (may exceed the amount)
    st.none() | CENTS,                                        # written off
    st.booleans(),                                            # written off on a day
    st.none() | st.integers(-400, 40),                        # due: TODAY + n
    st.sampled_from([None, "CNY", "USD"]),                    # currency
)
OWNERS = st.lists(st.sampled_from([None, "张伟", "lee"]), min_size=4, max_size=4)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest) -> str:
    """The backend a fast-path property test runs on (postgres: the session's server)."""
    if request.param == "postgres":
        request.getfixturevalue("pg_server")
    return str(request.param)


#: a property test of a fast path the CSV backend offers too runs on it as well
WITH_CSV = pytest.mark.parametrize("store", ["sqlite", "csv", "postgres"], indirect=True)


def per_store(max_examples: int) -> settings:
    """Settings of a property test that takes ``store`` (a plain string: one value for
    all examples)."""
    return settings(max_examples=max_examples, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@contextmanager
def opened(store: str) -> Iterator[Any]:
    """A new, empty storage of the backend: SQLite or CSV in a temp folder, or a database
    of the session's PostgreSQL server (emptied and reused by the next example)."""
    if store == "postgres":
        import conftest
        from kam.plugins.storage_postgres.backend import PostgresStorage

        pg = PostgresStorage(conftest.PG.fresh())
        try:
            yield pg
        finally:
            pg.close()
            conftest.PG.release()
        return
    from kam.plugins.storage_csv.backend import CSVStorage

    with tempfile.TemporaryDirectory() as folder:
        local = (CSVStorage(Path(folder) / "data") if store == "csv"
                 else SQLiteStorage(Path(folder) / "kam.db"))
        try:
            yield local
        finally:
            local.close()


def readers(s: Any) -> list[Any]:
    """The storage, and for the CSV backend also a second handle on the same folder,
    whose reads stream the files (the handle that wrote them holds its tables)."""
    if s.name != "csv":
        return [s]
    from kam.plugins.storage_csv.backend import CSVStorage

    return [s, CSVStorage(s.folder)]


def stocked(s: Any, owners: list[str | None], milestones: list[tuple[Any, ...]]) -> Any:
    with s.transaction():
        for n in (1, 2):
            s.insert("customer", {"id": s.next_id("customer"), "name": f"客户{n}"})
        for owner in owners:
            s.insert("contract", {"id": s.next_id("contract"), "customer_id": "CU1",
                                  "owner": owner, "status": "executing"})
        for seq, (co, cu, amount, paid, off, off_on, due, cur) in enumerate(milestones):
            s.insert("receivable", {
                "id": s.next_id("receivable"), "contract_id": f"CO{co + 1}",
                "customer_id": cu, "seq": seq, "kind": "on_delivery", "amount": amount,
                "paid": paid, "written_off": off,
                "written_off_on": TODAY if off_on else None, "currency": cur,
                "due_date": None if due is None else TODAY + dt.timedelta(days=due)})
    return s


@per_store(40)
@given(OWNERS, st.lists(MILESTONE, max_size=25),
       st.sampled_from([(30, 60, 90, 180), (1,), (7, 400)]),
       st.sampled_from([{}, {"written_off_on__isnull": True}, {"currency": "USD"},
                        {"customer_id": "CU2"}]),
       st.sampled_from([{}, {"owner": "张伟"}, {"id__in": ["CO1", "CO3"]}]))
@example(["lee"] * 4,
         [(0, "CU1", Decimal("10.00"), Decimal("3.00"), None, False, -31, "CNY"),
          (0, "CU1", Decimal("10.00"), Decimal("12.00"), None, False, -1, None),
          (1, "CU2", Decimal("5.00"), None, Decimal("5.00"), True, None, "USD"),
          (2, "CU1", None, None, None, False, 0, "CNY")],
         (30, 60, 90, 180), {}, {})
@example(["lee"] * 4,  # a cent paid; a day overdue at a bucket's end
         [(0, "CU1", Decimal("10.00"), Decimal("0.01"), None, False, -1, "CNY"),
          (1, "CU1", Decimal("10.00"), None, None, False, -2, "CNY")],
         (1,), {}, {})
def test_receivable_sums_equal_the_python_reference(
        store: str, owners: list[str | None], milestones: list[tuple[Any, ...]],
        ends: tuple[int, ...], where: dict[str, Any], contract_where: dict[str, Any]) -> None:
    with opened(store) as storage:
        stocked(storage, owners, milestones)
        assert isinstance(storage, ReceivableSums)
        assert aggregates(SimpleNamespace(storage=storage)) is storage
        reference = PythonAggregates(SimpleNamespace(storage=storage))
        fast = sorted(storage.receivable_sums(TODAY, ends, where, contract_where))
        slow = sorted(reference.receivable_sums(TODAY, ends, where, contract_where))
        assert repr(fast) == repr(slow)
        assert (repr(sorted(storage.contract_sums(TODAY, contract_where)))
                == repr(sorted(reference.contract_sums(TODAY, contract_where))))
        # every milestone the filters select is counted once
        assert sum(n for *_k, n, _t in fast) == sum(
            1 for m in milestones if _selected(m, owners, where, contract_where))


def _selected(m: tuple[Any, ...], owners: list[str | None], where: dict[str, Any],
              contract_where: dict[str, Any]) -> bool:
    co, cu, _amount, _paid, _off, off_on, _due, cur = m
    contract = f"CO{co + 1}"
    return ((not where.get("written_off_on__isnull") or not off_on)
            and where.get("currency", cur) == cur and where.get("customer_id", cu) == cu
            and contract_where.get("owner", owners[co]) == owners[co]
            and contract in contract_where.get("id__in", [contract]))


def test_bucket_index_follows_the_aging_buckets() -> None:
    ends = (30, 60, 90, 180)
    assert [bucket_index(d, ends) for d in (-5, 0, 1, 30, 31, 180, 181)] == [
        0, 0, 1, 1, 2, 4, 5]


DEAL = st.tuples(
    st.sampled_from(["open", "won", "lost"]),
    st.sampled_from([None, "six_stage", "dragon_six"]),      # pipeline
    st.sampled_from(["lead", "proposal"]),                    # stage
    st.sampled_from(["CNY", "USD"]),
    st.none() | st.integers(-5_000, 5_000_000).map(lambda c: Decimal(c).scaleb(-2)),
    st.none() | st.integers(0, 100),                          # probability
    st.sampled_from([None, False, True]),                     # forced
    st.none() | st.integers(-100, 100),                       # close date: TODAY + n
    st.sampled_from([None, "commit", "omitted"]),
)


@per_store(40)
@given(st.lists(DEAL, max_size=25),
       st.sampled_from([(), ("stage",), ("pipeline", "stage", "currency", "forced"),
                        ("status", "currency", "forecast_category", "close_date")]),
       st.sampled_from([{}, {"status": "open", "completed_at__isnull": True},
                        {"status__in": ["open", "won"], "currency": "USD"}]))
@example([("open", None, "lead", "CNY", Decimal("0.05"), 50, None, None, None),
          ("open", None, "lead", "CNY", Decimal("-0.05"), 50, None, None, None),
          ("open", None, "lead", "CNY", Decimal("0.01"), 50, True, None, None)],
         ("stage",), {})
def test_deal_sums_equal_the_python_reference(store: str, deals: list[tuple[Any, ...]],
                                              keys: tuple[str, ...],
                                              where: dict[str, Any]) -> None:
    with opened(store) as s:
        insert_deals(s, deals)
        reference = PythonAggregates(SimpleNamespace(storage=s))
        fast = sorted(s.deal_sums(keys, where), key=repr)
        assert repr(fast) == repr(sorted(reference.deal_sums(keys, where), key=repr))
        assert sum(n for _k, n, _a, _w in fast) == s.count("opportunity", where)


def insert_deals(s: Any, deals: list[tuple[Any, ...]]) -> None:
    """One customer and the random ``deals`` (tuples as :data:`DEAL` draws them)."""
    with s.transaction():
        s.insert("customer", {"id": s.next_id("customer"), "name": "客户"})
        for status, pipe, stage, cur, amount, prob, forced, close, cat in deals:
            s.insert("opportunity", {
                "id": s.next_id("opportunity"), "customer_id": "CU1", "title": "t",
                "status": status, "pipeline": pipe, "stage": stage, "currency": cur,
                "amount": amount, "probability": prob, "forced": forced,
                "forecast_category": cat,
                "close_date": None if close is None else TODAY + dt.timedelta(close)})


def with_deals(s: Any, deals: list[dict[str, Any]], events: list[tuple[Any, ...]]) -> Any:
    """One customer's deals (each with ``deals``' fields) and events (deal number, kind,
    payload) about them, in that order, in the storage ``s``."""
    with s.transaction():
        s.insert("customer", {"id": s.next_id("customer"), "name": "客户"})
        for fields in deals:
            s.insert("opportunity", {"id": s.next_id("opportunity"), "customer_id": "CU1",
                                     "title": "t", "stage": "lead", **fields})
        for n, (opp, kind_, payload) in enumerate(events):
            s.append_event({"kind": kind_, "record_id": f"OP{opp}", "actor": "t",
                            "at": f"2026-05-{n + 1:02d}T09:00:00", "payload": payload})
    return s


TEXT = st.none() | st.sampled_from(["", "lead", "proposal", "2026-06-01", "报价", 7])
HISTORY = st.none() | st.lists(st.fixed_dictionaries({}, optional={"stage": TEXT, "on": TEXT}),
                               max_size=2)
PAYLOAD = st.none() | st.fixed_dictionaries({}, optional={
    k: TEXT for k in ("from", "to", "stage", "on", "reason")})


@WITH_CSV
@per_store(40)
@given(st.lists(HISTORY, min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(1, 5), st.sampled_from(
           ["opportunity.advanced", "opportunity.lost", "opportunity.added"]), PAYLOAD),
           max_size=12),
       st.sampled_from([{}, {"status": "open"}, {"created_at__ge": "2026-03-01"}]))
@example([[{"stage": "lead", "on": "2026-01-02"}], []],
         [(1, "opportunity.advanced", {"from": "lead", "to": "proposal", "on": None})], {})
@example([[{"stage": 7}], None], [(2, "opportunity.lost", {"reason": 7, "on": "报价"})], {})
def test_stage_moves_equal_the_python_reference(store: str, histories: list[Any],
                                                events: list[tuple[Any, ...]],
                                                where: dict[str, Any]) -> None:
    with opened(store) as s:
        with s.transaction():
            s.insert("customer", {"id": s.next_id("customer"), "name": "客户"})
            for n, history in enumerate(histories):
                s.insert("opportunity", {
                    "id": s.next_id("opportunity"), "customer_id": "CU1", "title": "t",
                    "status": "open" if n % 2 else "won", "stage": "lead",
                    "stage_history": history, "created_at": f"2026-0{n + 1}-01T08:00:00"})
            for n, (opp, kind_, payload) in enumerate(events):
                s.append_event({"kind": kind_, "record_id": f"OP{opp}", "actor": "t",
                                "at": f"2026-05-{n + 1:02d}T09:00:00", "payload": payload})
        kinds = ("opportunity.advanced", "opportunity.lost")
        for reader in readers(s):
            reference = PythonAggregates(SimpleNamespace(storage=reader))
            assert list(reader.stage_starts(where)) == list(reference.stage_starts(where))
            assert list(reader.stage_moves(kinds)) == list(reference.stage_moves(kinds))


class PlainStorage:
    """The workspace's storage without the aggregation fast path (what the CSV backend or
    a third-party backend gives the reports)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name

    def get(self, kind: str, record_id: str) -> Any:
        return self.inner.get(kind, record_id)

    def find(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.find(*args, **kwargs)

    def select(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.select(*args, **kwargs)

    def count(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.count(*args, **kwargs)

    def events(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.events(*args, **kwargs)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)  # fast paths
@pytest.mark.parametrize("options", [{}, {"owner": "张伟"}, {"currency": "USD"}])
def test_fast_and_plain_reports_print_the_same(collect_ws: Workspace,  # noqa: F811
                                               monkeypatch: pytest.MonkeyPatch,
                                               options: dict[str, Any]) -> None:
    monkeypatch.setattr(battle_map, "BATTLE_PAGE", 1)  # one contract a page: paging is used
    ws = collect_ws
    targets.set_target(ws, "张伟", "2026", "600000")
    targets.set_target(ws, "Emily Chen", "2026-Q1", "9000", currency="USD")
    ws.today = dt.date(2026, 3, 2)
    names = ("aging", "battle-map", "pipeline", "forecast", "funnel", "targets", "renewals")
    fast = {name: reports.build(ws, name, **options) for name in names}
    assert isinstance(fast["battle-map"].table("contracts").rows, LazyList)
    fast_text = {name: to_json(reports.as_dict(r)) for name, r in fast.items()}
    table_text = {name: reports.render_table(r) for name, r in fast.items()}
    real = ws.storage
    ws._storage = PlainStorage(real)  # type: ignore[assignment]
    try:
        for name in fast:
            plain = reports.build(ws, name, **options)
            assert isinstance(plain.table(plain.tables[0].name).rows, list)
            assert to_json(reports.as_dict(plain)) == fast_text[name]
            assert reports.render_table(plain) == table_text[name]
    finally:
        ws._storage = real
    battle = fast["battle-map"].table("contracts")
    for total in battle.totals:  # a total is the sum of its currency's rows
        mine = [r for r in battle.rows if r["currency"] == total["currency"]]
        assert total["outstanding"] == sum((r["outstanding"] for r in mine), Decimal(0))
        assert total["collected"] == sum((r["collected"] for r in mine), Decimal(0))
    assert options or len(battle.rows) == 2


ORDER = {"six": ["lead", "proposal", "bid", "won_stage"], "short": ["proposal", "done"]}
TO = st.none() | st.fixed_dictionaries({}, optional={"to": st.sampled_from(
    ["lead", "proposal", "bid", "won_stage", "done", "", "报价"]), "from": TEXT})


@WITH_CSV
@per_store(40)
@given(st.lists(st.tuples(st.sampled_from(["won", "lost", "abandoned", "open"]),
                          st.sampled_from(["six", "short", "other"]), HISTORY), max_size=8),
       st.lists(st.tuples(st.integers(1, 9), st.sampled_from(
           ["opportunity.advanced", "opportunity.lost"]), TO), max_size=14),
       st.sampled_from([{}, {"status__in": ["won", "lost", "abandoned"]}]))
@example([("lost", "six", [{"stage": "proposal"}]), ("won", "short", None)],
         [(1, "opportunity.advanced", {"to": "bid"}), (1, "opportunity.lost", {"to": "won_stage"}),
          (2, "opportunity.advanced", {"to": "lead"})], {})
def test_stage_reach_equals_the_python_reference(store: str, deals: list[tuple[Any, ...]],
                                                 events: list[tuple[Any, ...]],
                                                 where: dict[str, Any]) -> None:
    """The targets report's stage conversion: how far each deal got, counted in SQL."""
    with opened(store) as s:
        with_deals(s, [{"status": status, "pipeline": pipe, "stage_history": history}
                       for status, pipe, history in deals], events)
        assert isinstance(s, StageReach)
        for reader in readers(s):
            reference = PythonAggregates(SimpleNamespace(storage=reader))
            fast = sorted(reader.stage_reach(ORDER, where))
            assert fast == sorted(reference.stage_reach(ORDER, where))
            counted = {**where, "pipeline__in": sorted(ORDER)}
            assert sum(n for *_k, n in fast) == reader.count("opportunity", counted)


PAYMENT = st.tuples(st.integers(0, 3),                                 # contract
                    st.sampled_from(["CU1", "CU2"]),                   # customer
                    st.integers(-20_000, 50_000).map(lambda c: Decimal(c).scaleb(-2)),
                    st.sampled_from(["CNY", "USD"]),
                    st.integers(-800, 40))                             # date: TODAY + n


def paying(s: Any, owners: list[str | None], payments: list[tuple[Any, ...]]) -> Any:
    """:func:`stocked` contracts with ``payments`` (contract, customer, amount, currency,
    day) on them, in the storage ``s``."""
    stocked(s, owners, [])
    with s.transaction():
        for co, cu, amount, cur, day in payments:
            s.insert("payment", {"id": s.next_id("payment"), "contract_id": f"CO{co + 1}",
                                 "customer_id": cu, "amount": amount, "currency": cur,
                                 "date": TODAY + dt.timedelta(days=day)})
    return s


@per_store(40)
@given(OWNERS, st.lists(PAYMENT, max_size=25), st.sampled_from(["month", "quarter", "year"]),
       st.sampled_from([({}, {}), ({"date__le": TODAY}, {}),
                        ({"customer_id": "CU2", "currency": "USD"}, {"customer_id": "CU2"})]))
@example([None, "张伟", "lee", None], [(0, "CU1", Decimal("5.00"), "CNY", -1),
                                       (0, "CU1", Decimal("-5.00"), "CNY", -2),
                                       (3, "CU2", Decimal("1.00"), "USD", -400)],
         "quarter", ({}, {}))
def test_payment_sums_equal_the_python_reference(
        store: str, owners: list[str | None], payments: list[tuple[Any, ...]], by: str,
        filters: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """The renewals report's revenue classes sum payments per customer, contract owner,
    currency and period in SQL; the reference sums them one by one."""
    with opened(store) as s:
        paying(s, owners, payments)
        assert isinstance(s, PaymentSums)
        where, contract_where = filters
        reference = PythonAggregates(SimpleNamespace(storage=s))
        fast = sorted(s.payment_sums(by, where, contract_where), key=repr)
        assert repr(fast) == repr(sorted(reference.payment_sums(by, where, contract_where),
                                         key=repr))


@settings(max_examples=25, deadline=None)
@given(OWNERS, st.lists(PAYMENT, max_size=20), st.sampled_from(["month", "quarter", "year"]),
       st.sampled_from([None, "张伟"]))
def test_renewals_revenue_totals_are_the_sums_of_their_rows(
        owners: list[str | None], payments: list[tuple[Any, ...]], by: str,
        owner: str | None) -> None:
    """The revenue table's rows are made as they are written and its totals summed
    without holding them: each total is still its period's and currency's rows added up,
    and the rows are those the plain list gives."""
    from kam.reports import revenue

    with tempfile.TemporaryDirectory() as folder:
        s = paying(SQLiteStorage(Path(folder) / "kam.db"), owners, payments)
        try:
            ws = SimpleNamespace(storage=s, today=TODAY, lang="en")
            table = revenue.revenue_section(ws, by=by, owner=owner)
            assert isinstance(table.rows, LazyList)
            rows = list(table.rows)
            assert len(rows) == len(table.rows)
            assert rows == revenue.revenue_rows(ws, by=by, owner=owner)
            assert table.totals == revenue.revenue_table(ws, rows).totals
            for total in table.totals:
                mine = [r for r in rows if (r["period"], r["currency"]) == (
                    total["period"], total["currency"])]
                for key in ("revenue", "recurring", "new", "churned", "cumulative"):
                    assert total[key] == sum((r[key] for r in mine), Decimal(0))
                assert total["revenue"] == total["recurring"] + total["new"]
            for r in rows:  # cumulative: every payment of the row's key to the period's end
                assert r["cumulative"] == sum((
                    amount for co, cu, amount, cur, day in payments
                    if day <= 0 and (cu, owners[co] or "", cur) == (
                        r["customer_id"], r["owner"], r["currency"])
                    and revenue.period_of(by, TODAY + dt.timedelta(days=day)) <= r["period"]),
                    Decimal(0))
            # and the plain (reference) path gives the same rows
            plain = SimpleNamespace(storage=PlainStorage(s), today=TODAY, lang="en")
            assert list(revenue.revenue_section(plain, by=by, owner=owner).rows) == rows
        finally:
            s.close()


NOTE = st.fixed_dictionaries({"reason": st.sampled_from(["no_budget", "disputed", "其他"]),
                              "promised": st.none() | st.just("2026-07-15"),
                              "on": st.just("2026-06-01")})


@WITH_CSV
@per_store(40)
@given(st.lists(MILESTONE, max_size=20),
       st.lists(st.tuples(st.integers(0, 19), st.lists(NOTE, max_size=3),
                          st.none() | st.sampled_from(["30%", "", "尾款"])), max_size=8),
       st.sampled_from([{}, {"contract_id__in": ["CO1", "CO3"]}, {"customer_id": "CU2"}]))
@example([(0, "CU1", Decimal("10.00"), Decimal("3.00"), None, False, -31, "CNY"),
          (0, "CU1", None, Decimal("12.00"), None, False, -1, None),
          (1, "CU2", Decimal("5.00"), None, Decimal("5.00"), True, None, "USD")],
         [(0, [{"reason": "disputed", "promised": None, "on": "2026-06-01"},
               {"reason": "no_budget", "promised": "2026-07-15", "on": "2026-06-02"}], "30%"),
          (2, [], "")], {})
def test_milestone_views_equal_the_python_reference(
        store: str, milestones: list[tuple[Any, ...]], edits: list[tuple[Any, ...]],
        where: dict[str, Any]) -> None:
    """The battle map's milestones: state, outstanding, days overdue and the latest
    collection note from SQL, against receivable_view of each."""
    with opened(store) as s:
        stocked(s, ["张伟", None, "lee", "张伟"], milestones)
        with s.transaction():
            for n, notes, share in edits:
                if n < len(milestones):
                    s.update("receivable", f"RC{n + 1}", {"collection_notes": notes or None,
                                                          "share": share})
        for reader in readers(s):  # CSV: the writing handle, then one streaming
            assert isinstance(reader, MilestoneViews)
            reference = PythonAggregates(SimpleNamespace(storage=reader))
            fast = list(reader.milestone_views(TODAY, where))
            assert repr(fast) == repr(list(reference.milestone_views(TODAY, where)))
        assert len(fast) == s.count("receivable", where)
        # a column at a time (kam.storage.MilestoneColumns): the same views transposed,
        # and the reference (the views of a backend without it) transposed alike
        expected = columns_of_views(fast)
        assert len(expected) == 11 and all(len(col) == len(fast) for col in expected)
        if isinstance(s, MilestoneColumns):
            assert repr(s.milestone_columns(TODAY, where)) == repr(expected)
        plain = SimpleNamespace(storage=PlainStorage(s), today=TODAY, lang="en")
        assert repr(milestone_columns(plain, TODAY, where)) == repr(expected)
