"""The SQLite, CSV and PostgreSQL backends' stalled deals (kam.storage.StalledDeals:
停滞的商机 of the whole team, for ``kam today`` and the activity report) are exactly what
the Python reference (kam.reports.activity.stalled_reference) finds, in its order, on
random data; on CSV also when the activity report's call_counts pass kept the deals'
touches first."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.plugins.storage_sqlite.backend import SQLiteStorage
from kam.reports.activity import stalled_reference
from kam.reports.rollups import PythonRollup
from kam.storage import StalledDeals
from test_aggregates import opened, per_store, readers, store  # noqa: F401

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
    s = SQLiteStorage(path)
    fill(s, deals, calls)
    return s


def fill(s: Any, deals: list[tuple[Any, ...]], calls: list[tuple[Any, ...]]) -> None:
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
    as_of = DAY0 + dt.timedelta(days=cut)
    with tempfile.TemporaryDirectory() as folder:
        storage = stocked(Path(folder) / "kam.db", deals, calls)
        try:
            assert isinstance(storage, StalledDeals)
            ws = SimpleNamespace(storage=storage, today=as_of)
            expected = stalled_reference(ws, {"status": "open"},
                                         PythonRollup(ws).deal_touches(as_of, None),
                                         silent_days, run_n)
            fast = storage.stalled_deals(as_of, silent_days, run_n, limit)
            if fast is None:
                assert any(DAY0 + dt.timedelta(days=d) > as_of and o for d, o, _ in calls)
                return
            total, listed = fast
            assert total == len(expected)
            assert listed == (expected if limit is None else expected[:limit])
        finally:
            storage.close()


def _expected(s: Any, as_of: dt.date, silent_days: int, run_n: int) -> list[Any]:
    """The reference over the plain protocol (find only) of the storage ``s``."""
    ws = SimpleNamespace(storage=SimpleNamespace(find=s.find), today=as_of)
    return stalled_reference(ws, {"status": "open"},
                             PythonRollup(ws).deal_touches(as_of, None), silent_days, run_n)


@pytest.mark.parametrize("store", ["sqlite", "csv", "postgres"], indirect=True)
@per_store(40)
@given(deals=st.lists(DEAL, min_size=5, max_size=5), calls=st.lists(CALL, max_size=30),
       cut=st.integers(-3, 10), silent_days=st.integers(1, 40), run_n=st.integers(1, 4),
       limit=st.none() | st.integers(0, 6), counted=st.booleans())
@example(deals=[("open", False, None, -31)] * 5, calls=[(-1, "OP1", "continuance")] * 3,
         cut=0, silent_days=30, run_n=3, limit=2, counted=True)
@example(deals=[("open", False, None, 0)] * 5, calls=[(0, "OP1", None), (-2, "OP1", None)],
         cut=-1, silent_days=1, run_n=1, limit=None, counted=True)
@example(deals=[("open", False, None, -31)] * 5,  # equally silent: the longer run first
         calls=[(-1, "OP2", "continuance")] + [(-1, "OP1", "continuance")] * 3, cut=0,
         silent_days=30, run_n=1, limit=None, counted=False)
def test_stalled_deals_on_each_backend_equal_the_reference(
        store: str, deals: list[tuple[Any, ...]],  # noqa: F811
        calls: list[tuple[Any, ...]], cut: int, silent_days: int, run_n: int,
        limit: int | None, counted: bool) -> None:
    """Every reader (on CSV: the handle that wrote, holding its tables, and a second one
    streaming the files); ``counted``: the activity report's call_counts first, whose
    pass over the calls keeps what stalled_deals and deal_touches then read (CSV)."""
    as_of = DAY0 + dt.timedelta(days=cut)
    with opened(store) as s:
        fill(s, deals, calls)
        for reader in readers(s):
            assert isinstance(reader, StalledDeals)
            expected = _expected(reader, as_of, silent_days, run_n)
            if counted:
                list(reader.call_counts(as_of - dt.timedelta(days=7), as_of))
            fast = reader.stalled_deals(as_of, silent_days, run_n, limit)
            if fast is None:  # SQLite declines a day before some deal's latest call
                assert store == "sqlite"
                assert any(DAY0 + dt.timedelta(days=d) > as_of and o for d, o, _ in calls)
                continue
            assert fast == (len(expected), expected if limit is None else expected[:limit])
            reference = PythonRollup(SimpleNamespace(storage=SimpleNamespace(find=s.find)))
            assert sorted(reader.deal_touches(as_of)) == sorted(
                reference.deal_touches(as_of, None))


def test_kept_touches_are_dropped_when_the_calls_or_deals_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On CSV, what call_counts' pass kept is not read once either file has changed:
    a call logged and a deal closed through another handle are seen by the next
    stalled_deals of the handle that kept them."""
    from kam.plugins.storage_csv import rollups
    from kam.plugins.storage_csv.backend import CSVStorage

    as_of = DAY0 + dt.timedelta(days=5)
    with opened("csv") as s:
        fill(s, [("open", False, None, -40)] * 5, [(0, "OP1", "continuance")])
        reader = CSVStorage(s.folder)
        try:
            list(reader.call_counts(DAY0, as_of))
            with monkeypatch.context() as m:  # answered from the pass kept: no other read
                m.setattr(rollups, "_touches", None)
                m.setattr(rollups, "_open_deals", None)
                before = reader.stalled_deals(as_of, 30, 1)
            assert [r[0] for r in before[1]] == ["OP2", "OP3", "OP4", "OP5", "OP1"]
            with s.transaction():
                s.insert("activity", {"id": s.next_id("activity"), "opportunity_id": "OP2",
                                      "customer_id": "CU1", "type": "visit",
                                      "date": DAY0 + dt.timedelta(days=1),
                                      "outcome": "advance"})
            assert "OP2" not in [r[0] for r in reader.stalled_deals(as_of, 30, 1)[1]]
            list(reader.call_counts(DAY0, as_of))
            with s.transaction():
                s.update("opportunity", "OP3", {"status": "won"})
            assert [r[0] for r in reader.stalled_deals(as_of, 30, 1)[1]] == [
                "OP4", "OP5", "OP1"]
        finally:
            reader.close()
