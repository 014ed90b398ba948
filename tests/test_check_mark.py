"""``kam check``'s mark (kam.storage.DunningMarks, 催款水位): a run after the mark looks up
only the milestones that crossed a boundary since, or changed since — and fires exactly
what a run that looks every open milestone up fires, whatever happened in between
(payments, deliveries that set due dates in the past, amendments, write-offs, other
levels, runs on earlier days)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from conftest import Kam
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.models.receivable_state import ZERO
from kam.plugins.storage_sqlite.backend import SQLiteStorage
from kam.services.check import python_dunning_states, python_open_balances
from kam.storage import DunningMarks
from test_aggregates import opened
from test_check_fired import MILESTONE, _milestones

PLAN = "down_payment:30%:+10d,on_delivery:30%:+30d,on_acceptance:30%:+30d,warranty:10%:+12m"
DAY0 = dt.date(2026, 3, 1)


def day(n: int) -> str:
    return (DAY0 + dt.timedelta(days=n)).isoformat()


def signed(kam: Kam, on: int) -> str:
    cu = kam.id("customer", "add", "深圳智造", "--grade", "A")
    opp = kam.id("opp", "add", cu, "MES 升级", "--amount", "1000000")
    co = kam.id("contract", "create", opp, "--plan", PLAN)
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "李经理", env={"KAM_USER": "李经理"})
    kam.ok("contract", "sign", co, "--force", "--reason", "框架协议", "--date", day(on),
           "--as-of", day(on))
    return co


def _op(op: tuple[Any, ...]) -> list[str]:
    """The command of one step (contract ``CO{n}``, milestone ``RC{n}``: ids kam gives
    in order, the same in both workspaces)."""
    name, *args = op
    if name == "pay":
        co, amount, on = args
        return ["pay", "record", f"CO{co}", amount, "--date", day(on), "--as-of", day(on)]
    if name == "deliver":
        co, on = args
        return ["contract", "deliver", f"CO{co}", "--date", day(on), "--force", "--reason",
                "客户催货", "--as-of", day(on)]
    if name == "accept":
        co, on = args
        return ["contract", "accept", f"CO{co}", "--date", day(on), "--as-of", day(on)]
    if name == "amend":
        co, delta = args
        return ["contract", "amend", f"CO{co}", "--delta", delta, "--reason", "增补"]
    if name == "write_off":
        rc, on = args
        return ["receivable", "write-off", f"RC{rc}", "--by", "财务总监", "--reason", "破产",
                "--as-of", day(on)]
    assert name == "check"
    return ["check", "--as-of", day(args[0]), "--format", "json"]


STEP = st.one_of(
    st.tuples(st.just("check"), st.integers(0, 200)),
    st.tuples(st.just("check"), st.integers(0, 200)),
    st.tuples(st.just("pay"), st.integers(1, 2), st.sampled_from(["50000", "300000"]),
              st.integers(0, 120)),
    st.tuples(st.just("deliver"), st.integers(1, 2), st.integers(0, 120)),
    st.tuples(st.just("accept"), st.integers(1, 2), st.integers(0, 150)),
    st.tuples(st.just("amend"), st.integers(1, 2), st.sampled_from(["200000", "-100000"])),
    st.tuples(st.just("write_off"), st.integers(1, 8), st.integers(0, 150)),
    st.tuples(st.just("levels"), st.sampled_from(["[1, 30, 60, 90]", "[1, 15]", "[7, 45]"])),
    st.tuples(st.just("ahead"), st.sampled_from([0, 5])),
)


def _settings(kam: Kam, levels: str, ahead: int) -> None:
    text = (kam.path / "kam.toml").read_text(encoding="utf-8").split("\n[receivables]")[0]
    (kam.path / "kam.toml").write_text(
        f"{text}\n[receivables]\noverdue_levels = {levels}\ndue_reminder_days = {ahead}\n",
        encoding="utf-8")


def _unmarked(kam: Kam) -> None:
    """The reference's workspace: its mark taken away before each run (every open
    milestone looked up, as a backend without the capability does)."""
    conn = sqlite3.connect(kam.path / "kam.db")
    with conn:
        conn.execute("DELETE FROM check_mark")
    conn.close()


def _seen(result: Any, run: bool) -> Any:
    """What a command printed; of a run, all but the times its records were written
    (the wall clock)."""
    if not run or not result.stdout.strip():  # a change: whether it was made
        return result.exit_code, result.stderr
    data = json.loads(result.stdout)
    for row in data.get("overdue", []):
        row.pop("created_at", None)
        row.pop("updated_at", None)
    return result.exit_code, data


def _events(kam: Kam) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(kam.path / "kam.db")
    try:
        return conn.execute("SELECT id, kind, record_id, payload FROM event"
                            " WHERE kind LIKE 'receivable.%' OR kind LIKE 'customer.%'"
                            " ORDER BY rowid").fetchall()
    finally:
        conn.close()


def _fresh(root: Path) -> Kam:
    kam = Kam(root)
    kam.ok("init", "--backend", "sqlite", "--lang", "en")
    _settings(kam, "[1, 30, 60, 90]", 0)
    return kam


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 30), st.integers(0, 30), st.lists(STEP, min_size=1, max_size=10))
@example(0, 5, [("check", 20), ("deliver", 1, 3), ("check", 21), ("check", 80)])
# changes dated before the mark: due dates set in the past are only found as changed
@example(0, 0, [("check", 60), ("deliver", 1, 3), ("check", 61)])
@example(0, 0, [("check", 60), ("deliver", 2, 1), ("accept", 2, 5), ("check", 60)])
@example(0, 0, [("check", 40), ("levels", "[1, 15]"), ("check", 41), ("check", 39),
                ("check", 90)])
@example(0, 0, [("check", 40), ("pay", 1, "300000", 30), ("amend", 1, "200000"),
                ("check", 41), ("ahead", 5), ("check", 41), ("check", 120)])
def test_a_marked_run_fires_what_a_full_run_fires(
        first: int, second: int, steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as root:
        marked, plain = _fresh(Path(root) / "marked"), _fresh(Path(root) / "plain")
        _replayed(marked, plain, first, second, steps)


def _replayed(marked: Kam, plain: Kam, first: int, second: int,
              steps: list[tuple[Any, ...]]) -> None:
    """The steps on both workspaces, each command's outcome the same."""
    pair = (marked, plain)
    for kam in pair:
        signed(kam, first)
        signed(kam, second)
    levels, ahead = "[1, 30, 60, 90]", 0
    for step in steps:
        if step[0] in ("levels", "ahead"):
            if step[0] == "levels":
                levels = step[1]
            else:
                ahead = step[1]
            for kam in pair:
                _settings(kam, levels, ahead)
            continue
        if step[0] == "check":
            _unmarked(plain)
        args = _op(step)
        got, want = marked(*args), plain(*args)
        run = step[0] == "check"
        assert _seen(got, run) == _seen(want, run), step
    assert _events(marked) == _events(plain)
    storage = SQLiteStorage(marked.path / "kam.db")
    try:
        assert isinstance(storage, DunningMarks)
        if any(step[0] == "check" for step in steps):
            assert storage.dunning_mark() is not None
    finally:
        storage.close()


def test_the_next_days_run_reads_the_mark_and_sets_it(tmp_path: Path) -> None:
    kam = _fresh(tmp_path / "ws")
    signed(kam, 0)  # down payment due on day 10
    assert json.loads(kam("check", "--as-of", day(10), "-f", "json").stdout)["new"]
    storage = SQLiteStorage(kam.path / "kam.db")
    try:
        assert storage.dunning_mark() == (DAY0 + dt.timedelta(days=10), (1, 30, 60, 90), 0)
    finally:
        storage.close()
    data = json.loads(kam("check", "--as-of", day(11), "-f", "json").stdout)
    assert [(n["action"], n["level"]) for n in data["new"]] == [("overdue", 1)]
    assert data["overdue_outstanding"] == {"CNY": "300000.00"} and len(data["overdue"]) == 1


def test_a_reminder_taken_back_takes_the_mark_away(tmp_path: Path) -> None:
    """A reminder event deleted (by hand: kam never does) or changed makes the next run
    look every open milestone up, so it fires that reminder again."""
    kam = _fresh(tmp_path / "ws")
    signed(kam, 0)
    kam("check", "--as-of", day(12))  # due, 1 day overdue
    conn = sqlite3.connect(kam.path / "kam.db")
    with conn:
        conn.execute("DELETE FROM event WHERE kind = 'receivable.overdue'")
    assert conn.execute("SELECT count(*) FROM check_mark").fetchone() == (0,)
    conn.close()
    data = json.loads(kam("check", "--as-of", day(13), "-f", "json").stdout)
    assert [(n["action"], n["level"]) for n in data["new"]] == [("overdue", 1)]
    conn = sqlite3.connect(kam.path / "kam.db")
    with conn:
        conn.execute("UPDATE event SET payload = json_set(payload, '$.level', 30)"
                     " WHERE kind = 'receivable.overdue'")
    assert conn.execute("SELECT count(*) FROM check_mark").fetchone() == (0,)
    conn.close()
    data = json.loads(kam("check", "--as-of", day(13), "-f", "json").stdout)
    assert [(n["action"], n["level"]) for n in data["new"]] == [("overdue", 1)]


def test_a_bulk_load_forgets_the_mark(tmp_path: Path) -> None:
    """kam import loads without the triggers: the milestones it loads are not marked as
    touched, so the load takes the mark away."""
    kam = _fresh(tmp_path / "ws")
    signed(kam, 0)
    kam("check", "--as-of", day(12))
    storage = SQLiteStorage(kam.path / "kam.db")
    try:
        assert storage.dunning_mark() is not None
        with storage.transaction(), storage.deferred_indexes():
            pass
        assert storage.dunning_mark() is None
        assert storage.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                    " AND name LIKE 'check_%'").fetchone() == (4,)
    finally:
        storage.close()


ODD = st.sampled_from([None, "real", "huge"])  # a stored amount the sum must not trust


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(MILESTONE, ODD), max_size=12), st.integers(0, 9),
       st.lists(st.tuples(st.integers(-6, 12), st.integers(0, 3)), max_size=3))
@example([((Decimal("100.00"), Decimal("30.50"), None, False, 1, "USD"), None),
          ((Decimal("7.00"), None, None, False, 2, None), None),
          ((Decimal("9.00"), None, None, False, 3, "CNY"), "real")], 5, [(0, 2)])
@example([((Decimal("1.00"), None, None, False, 1, "CNY"), "huge"),
          ((Decimal("1.00"), None, None, False, 2, "CNY"), "huge")], 5, [])
def test_the_marked_reads_equal_the_reference(
        milestones: list[tuple[tuple[Any, ...], str | None]], due: int,
        windows: list[tuple[int, int]]) -> None:
    """``overdue_totals`` is the count and sums the run adds up from ``open_balances``
    (to the cent, the same Decimals: SQLite's sum only where every amount is whole cents
    and it fits, else added in Python); ``marked_dunning_states`` is DunningStates' rows
    in the windows or touched, in its order."""
    with opened("sqlite") as s:
        _milestones(s, [m for m, _ in milestones])
        with s.transaction():
            for n, (_, odd) in enumerate(milestones, start=1):
                if odd == "real":
                    s.conn.execute("UPDATE receivable SET amount = amount + 0.5"
                                   " WHERE id = ?", (f"RC{n}",))
                elif odd == "huge":
                    s.conn.execute("UPDATE receivable SET amount = 9000000000000000000"
                                   " WHERE id = ?", (f"RC{n}",))
            s.set_dunning_mark((DAY0, (1, 30), 0))  # from here on, changes are kept
            if milestones:
                s.conn.execute("UPDATE receivable SET seq = 2 WHERE id = 'RC1'")
        ws: Any = SimpleNamespace(storage=s)
        as_of = DAY0 + dt.timedelta(days=due)
        count, totals = 0, {}
        for _, _due, currency, outstanding in python_open_balances(
                ws, as_of - dt.timedelta(days=1)):
            count += 1
            totals[currency] = totals.get(currency, ZERO) + outstanding
        assert repr(s.overdue_totals(as_of)) == repr((count, totals))
        spans = [(DAY0 + dt.timedelta(days=a), DAY0 + dt.timedelta(days=a + n))
                 for a, n in windows]
        want = [row for row in python_dunning_states(ws, as_of)
                if row[0] == "RC1" or any(a < row[1] <= b for a, b in spans)]
        assert repr(list(s.marked_dunning_states(as_of, spans))) == repr(want)
        assert s.dunning_mark() == (DAY0, (1, 30), 0)
