"""The SQLite backend's stalled deals (kam.storage.StalledDeals: 停滞的商机 of the whole
team, for ``kam today`` and the activity report) are exactly what the Python reference
(kam.reports.activity.stalled_reference) finds, in its order, on random data."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.plugins.storage_sqlite.backend import SQLiteStorage
from kam.reports.activity import stalled_reference
from kam.reports.rollups import PythonRollup
from kam.storage import StalledDeals

DAY0 = dt.date(2026, 3, 1)
DEAL = st.tuples(
    st.sampled_from(["open", "open", "won", "lost"]),             # status
    st.booleans(),                                               # completed
    st.none() | st.integers(-40, 10),                            # stage entered: DAY0 + n
    st.integers(-60, 5),                                         # made: DAY0 + n (UTC)
)
CALL = st.tuples(
    st.integers(-45, 0),                                         # date: DAY0 + n
    st.sampled_from(["OP1", "OP2", "OP3", "OP4", "OP5", None]),  # deal
    st.sampled_from([None, "continuance", "advance", "no_sale"]),
)


def stocked(path: Path, deals: list[tuple[Any, ...]], calls: list[tuple[Any, ...]]
            ) -> SQLiteStorage:
    return stock(SQLiteStorage(path), deals, calls)


def stock(s: Any, deals: list[tuple[Any, ...]], calls: list[tuple[Any, ...]]) -> Any:
    with s.transaction():
        s.insert("customer", {"id": s.next_id("customer"), "name": "客户"})
        for n, (status, completed, entered, made) in enumerate(deals, start=1):
            s.insert("opportunity", {
                "id": s.next_id("opportunity"), "customer_id": "CU1", "title": f"单{n}",
                "owner": ["张伟", "lee", None][n % 3], "status": status,
                "stage": "development", "completed_at": DAY0 if completed else None,
                "stage_entered_at": None if entered is None else
                DAY0 + dt.timedelta(days=entered),
                "created_at": f"{DAY0 + dt.timedelta(days=made)}T23:30:00+00:00"})
        for days, opp, outcome in calls:
            s.insert("activity", {
                "id": s.next_id("activity"), "opportunity_id": opp, "customer_id": "CU1",
                "type": "visit", "date": DAY0 + dt.timedelta(days=days), "outcome": outcome})
    return s


@settings(max_examples=60, deadline=None)
@given(st.lists(DEAL, min_size=5, max_size=5), st.lists(CALL, max_size=30),
       st.integers(-3, 10), st.integers(1, 40), st.integers(1, 4),
       st.none() | st.integers(0, 6))
@example([("open", False, None, -31)] * 5, [(-1, "OP1", "continuance")] * 3, 0, 30, 3,
         2)
@example([("open", False, 5, 0)] * 5, [(0, "OP2", "continuance")], 0, 1, 1, None)
@example([("open", False, None, 0)] * 5, [], 1, 1, 1, 0)  # none listed: still counted
@example([("open", False, None, 0)] * 5, [(0, "OP1", None)], -1, 1, 1, None)  # declined
@example([("open", False, None, -31)] * 5,  # equally silent: the longer run first
         [(-1, "OP2", "continuance")] + [(-1, "OP1", "continuance")] * 3, 0, 30, 1, None)
def test_stalled_deals_equal_the_python_reference(
        deals: list[tuple[Any, ...]], calls: list[tuple[Any, ...]], cut: int,
        silent_days: int, run_n: int, limit: int | None) -> None:
    """Days silent from a call, a stage start (some after as_of: negative) or the day
    made; ties on silence and run ordered by id; ``as_of`` before some deal's latest call
    may be declined (never answered differently)."""
    with tempfile.TemporaryDirectory() as folder:
        storage = stocked(Path(folder) / "kam.db", deals, calls)
        try:
            assert_like_reference(storage, calls, cut, silent_days, run_n, limit)
        finally:
            storage.close()


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(DEAL, min_size=5, max_size=5), st.lists(CALL, max_size=30),
       st.integers(-3, 10), st.integers(1, 40), st.integers(1, 4),
       st.none() | st.integers(0, 6))
@example([("open", False, None, -31)] * 5, [(-1, "OP1", "continuance")] * 3, 0, 30, 3,
         2)
@example([("open", False, None, 0)] * 5, [(0, "OP1", None)], -1, 1, 1, None)
@example([("open", False, None, -31)] * 5,  # equally silent: the longer run first
         [(-1, "OP2", "continuance")] + [(-1, "OP1", "continuance")] * 3, 0, 30, 1, None)
def test_postgres_stalled_deals_equal_the_python_reference(
        pg_server: Any, deals: list[tuple[Any, ...]], calls: list[tuple[Any, ...]],
        cut: int, silent_days: int, run_n: int, limit: int | None) -> None:
    """The same on PostgreSQL, from the call history (a window over each deal's calls):
    it answers for any ``as_of``."""
    from kam.plugins.storage_postgres.backend import PostgresStorage

    storage = stock(PostgresStorage(pg_server.fresh()), deals, calls)
    try:
        assert assert_like_reference(storage, calls, cut, silent_days, run_n, limit)
    finally:
        storage.close()


def assert_like_reference(storage: Any, calls: list[tuple[Any, ...]], cut: int,
                          silent_days: int, run_n: int, limit: int | None) -> bool:
    """The backend's answer is the reference's; False when it declined (only when a
    deal was called after ``as_of``)."""
    as_of = DAY0 + dt.timedelta(days=cut)
    assert isinstance(storage, StalledDeals)
    ws = SimpleNamespace(storage=storage, today=as_of)
    expected = stalled_reference(ws, {"status": "open"},
                                 PythonRollup(ws).deal_touches(as_of, None),
                                 silent_days, run_n)
    fast = storage.stalled_deals(as_of, silent_days, run_n, limit)
    if fast is None:
        assert any(DAY0 + dt.timedelta(days=d) > as_of and o for d, o, _ in calls)
        return False
    total, listed = fast
    assert total == len(expected)
    assert listed == (expected if limit is None else expected[:limit])
    assert [list(map(type, r)) for r in listed] == [
        list(map(type, r)) for r in expected[:len(listed)]]
    return True
