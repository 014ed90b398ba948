"""The open deals' sums SQLite keeps on write (plugins/storage_sqlite/deal_sums.py,
在途商机汇总): whatever happens to the deals — new ones, a stage moved, a deal won, lost
or completed, an amount or odds changed, a deal forced, a row deleted, a bulk load —
the pipeline report's sums read from the table are the walk's over the deals, and the
table is what filling it from scratch gives. Odd values and sums past 64 bits are
walked instead."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from kam.plugins.storage_sqlite import deal_sums
from kam.reports.pipeline import FIELDS, pipeline_sums_reference
from test_aggregates import DEAL, insert_deals, opened, per_store

LIVE = {"status": "open", "completed_at__isnull": True}
WHERES = [LIVE, LIVE | {"pipeline": "dragon_six"}, LIVE | {"currency": "USD"},
          LIVE | {"pipeline": "six_stage", "currency": "CNY"}]

#: what a change may set each field it touches to
VALUES = {
    "status": st.sampled_from(["open", "won", "lost"]),
    "completed_at": st.sampled_from([None, dt.date(2026, 6, 1)]),
    "pipeline": st.sampled_from([None, "six_stage", "dragon_six"]),
    "stage": st.sampled_from(["lead", "proposal"]),
    "currency": st.sampled_from(["CNY", "USD"]),
    "forced": st.sampled_from([None, False, True]),
    "amount": st.none() | st.integers(-5_000, 5_000_000).map(lambda c: Decimal(c).scaleb(-2)),
    "probability": st.none() | st.integers(0, 100),
    "title": st.just("另一个标题"),  # a field the sums do not follow
}

#: one change to deal ``OP{n}``: (n, field, value); field ``delete`` removes the row
CHANGE = st.one_of(
    *(st.tuples(st.integers(1, 8), st.just(name), values) for name, values in VALUES.items()),
    st.tuples(st.integers(1, 8), st.just("delete"), st.none()))


def _table(s: Any) -> list[tuple[Any, ...]]:
    return sorted(s.conn.execute("SELECT * FROM deal_sums").fetchall(), key=repr)


def _refilled(s: Any) -> list[tuple[Any, ...]]:
    s.conn.execute("SAVEPOINT refill")
    try:
        deal_sums.refill(s.conn)
        return _table(s)
    finally:
        s.conn.execute("ROLLBACK TO refill")
        s.conn.execute("RELEASE refill")


def _apply(s: Any, changes: list[tuple[int, str, Any]]) -> None:
    with s.transaction():
        for n, field, value in changes:
            if s.get("opportunity", f"OP{n}") is None:
                continue
            if field == "delete":  # kam deletes no deal; a hand-made DELETE is still followed
                s.conn.execute("DELETE FROM opportunity WHERE id = ?", (f"OP{n}",))
            else:
                s.update("opportunity", f"OP{n}", {field: value})


def _same_as_the_walk(s: Any) -> None:
    for where in WHERES:
        assert deal_sums.kept_sums(s.conn, where) is not None or _odd(s)
        sums, forced = s.pipeline_sums(where, FIELDS)
        ref_sums, ref_forced = pipeline_sums_reference(SimpleNamespace(storage=s), where,
                                                       FIELDS)
        assert repr(sorted(sums, key=repr)) == repr(sorted(ref_sums, key=repr)), where
        assert repr(list(forced)) == repr(list(ref_forced)), where


def _odd(s: Any) -> bool:
    return bool(s.conn.execute("SELECT count(*) FROM deal_sums WHERE odd > 0"
                               " OR typeof(amount) != 'integer'"
                               " OR typeof(weighted) != 'integer'").fetchone()[0])


@per_store(60)
@given(st.lists(DEAL, min_size=1, max_size=8), st.lists(st.lists(CHANGE, max_size=6),
                                                        max_size=4))
@example([("open", "six_stage", "lead", "CNY", Decimal("1.00"), 50, True, None, None)],
         [[(1, "status", "won")], [(1, "status", "open"), (1, "forced", False)],
          [(1, "delete", None)]])
@example([("open", "six_stage", "lead", "CNY", Decimal("1.00"), 50, False, None, None),
          ("won", "six_stage", "lead", "CNY", Decimal("2.00"), 50, False, None, None)],
         [[(2, "amount", Decimal("3.00"))]])  # a closed deal's change: no group's
@example([("open", None, "lead", "CNY", Decimal("-0.05"), 50, None, None, None),
          ("open", None, "lead", "CNY", Decimal("0.05"), 50, None, None, None)],
         [[(2, "completed_at", dt.date(2026, 6, 1)), (1, "amount", Decimal("12.34"))]])
def test_kept_sums_follow_every_change(deals: list[tuple[Any, ...]],
                                       batches: list[list[tuple[int, str, Any]]]) -> None:
    with opened("sqlite") as s:
        insert_deals(s, deals)
        assert _table(s) == _refilled(s)
        _same_as_the_walk(s)
        for batch in batches:
            _apply(s, batch)
            assert _table(s) == _refilled(s)
            _same_as_the_walk(s)


def test_other_filters_and_odd_values_walk_the_deals() -> None:
    deals = [("open", "six_stage", "lead", "CNY", Decimal("100.00"), 30, True, None, None),
             ("open", "six_stage", "lead", "CNY", Decimal("50.00"), 60, False, None, None)]
    with opened("sqlite") as s:
        insert_deals(s, deals)
        assert sorted(deal_sums.kept_sums(s.conn, LIVE) or []) == [
            ("six_stage", "lead", "CNY", 0, 1, 5000, 3000),
            ("six_stage", "lead", "CNY", 1, 1, 10000, 3000)]
        # filters the table does not keep: walked
        assert deal_sums.kept_sums(s.conn, {"status": "open"}) is None
        assert deal_sums.kept_sums(s.conn, LIVE | {"owner": "张三"}) is None
        assert deal_sums.kept_sums(s.conn, LIVE | {"currency": 1}) is None
        # an amount stored as a REAL (not whole cents): that group is odd, the read walks
        with s.transaction():
            s.conn.execute("UPDATE opportunity SET amount = 12.5 WHERE id = 'OP2'")
        assert deal_sums.kept_sums(s.conn, LIVE) is None
        _same_as_the_walk(s)
        with s.transaction():
            s.conn.execute("UPDATE opportunity SET amount = 1250 WHERE id = 'OP2'")
        assert deal_sums.kept_sums(s.conn, LIVE) is not None
        assert _table(s) == _refilled(s)
        # forced neither 0, 1 nor empty: the group is odd (its key is not trusted)
        with s.transaction():
            s.conn.execute("UPDATE opportunity SET forced = 0.5 WHERE id = 'OP2'")
        assert deal_sums.kept_sums(s.conn, LIVE) is None
        _same_as_the_walk(s)


def test_a_sum_past_64_bits_is_walked() -> None:
    big = Decimal(2 ** 62).scaleb(-2)
    deals = [("open", "six_stage", "lead", "CNY", big, None, False, None, None)] * 3
    with opened("sqlite") as s:
        insert_deals(s, deals)
        kept = s.conn.execute("SELECT typeof(amount) FROM deal_sums").fetchall()
        assert kept == [("real",)]  # SQLite left the integers for a REAL: not trusted
        assert deal_sums.kept_sums(s.conn, LIVE) is None
        with s.transaction():  # back within 64 bits, still a REAL: still walked
            s.update("opportunity", "OP3", {"status": "lost"})
        assert deal_sums.kept_sums(s.conn, LIVE) is None
        with s.transaction():
            s.update("opportunity", "OP2", {"status": "lost"})
            s.update("opportunity", "OP1", {"status": "lost"})
            s.update("opportunity", "OP1", {"status": "open"})
        assert deal_sums.kept_sums(s.conn, LIVE) == [
            ("six_stage", "lead", "CNY", 0, 1, 2 ** 62, 0)]


def test_a_bulk_load_fills_the_sums_at_its_end() -> None:
    """kam import loads without the triggers, then fills the table from every deal; the
    triggers are back for the writes after it."""
    first = [("open", "six_stage", "lead", "CNY", Decimal("10.00"), 10, True, None, None)]
    with opened("sqlite") as s:
        insert_deals(s, first)
        loaded = [{"id": f"OP{n}", "customer_id": "CU1", "title": "t", "status": status,
                   "pipeline": "six_stage", "stage": "proposal", "currency": "USD",
                   "amount": Decimal(n), "probability": 40, "forced": n % 2 == 0}
                  for n, status in ((2, "open"), (3, "won"), (4, "open"))]
        with s.transaction(), s.deferred_indexes():
            s.insert_many("opportunity", loaded)
        assert _table(s) == _refilled(s)
        assert s.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                              " AND name LIKE 'deal_sums_%'").fetchone() == (3,)
        _same_as_the_walk(s)
        _apply(s, [(4, "status", "lost")])
        assert _table(s) == _refilled(s)
        assert sum(row[5] for row in _table(s)) == 2
