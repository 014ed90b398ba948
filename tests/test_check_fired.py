"""``kam check``'s fast paths on SQLite and PostgreSQL answer what their references compute: what it
fired before (kam.storage.FiredReminders, from an index of its reminder events), the
open milestones' balances (kam.storage.OpenBalances, four columns instead of whole rows)
and both together, looked up for the open milestones only (kam.storage.DunningStates)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.reports.rollups import python_event_values
from kam.services.check import (
    python_dunning_states,
    python_fired_levels,
    python_fired_reminders,
    python_open_balances,
    python_overdue_texts,
)
from kam.services.check_anomalies import python_unflagged_late
from kam.storage import (
    REMINDER_KINDS,
    DunningStates,
    EventValues,
    FiredLevels,
    FiredReminders,
    OpenBalances,
    OverdueJson,
    OverdueTexts,
    UnflaggedLate,
)
from test_aggregates import opened, store  # noqa: F401  (the fixture)
from test_rollups import appended

EVENTS = st.lists(st.tuples(
    st.sampled_from(["receivable.due", "receivable.overdue", "contract.renewal_due",
                     "activity.logged"]),
    st.sampled_from(["RC1", "RC2", "CO1"]),
    st.sampled_from([{}, {"level": 30}, {"level": "60"}, {"level": 1, "note": "逾期"},
                     {"level": None}, {"level": [30, "逾期"]}, {"level": {"days": 60}},
                     {"level": True}, {"level": 1.5}, {"due_date": "2026-03-12"}])),
    max_size=12)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(EVENTS)
@example([("receivable.overdue", "RC1", {"level": [30, "逾期"]}),
          ("receivable.overdue", "RC2", {"level": {"days": 60}}),
          ("receivable.due", "RC1", {"level": True}),
          ("receivable.overdue", "RC1", {"level": 30})])
def test_fired_reminders_equal_the_reference(
        store: str,  # noqa: F811
        events: list[tuple[str, str, dict[str, Any]]]) -> None:
    with opened(store) as s:
        appended(s, events)
        assert isinstance(s, FiredReminders) and isinstance(s, EventValues)
        ws: Any = SimpleNamespace(storage=s)
        fast = sorted(map(repr, s.fired_reminders()))
        assert fast == sorted(map(repr, python_fired_reminders(ws)))  # EventValues'
        decoded = python_event_values(s, REMINDER_KINDS, "level")  # whole events
        assert fast == sorted(map(repr, decoded))


DAY0 = dt.date(2026, 3, 1)
CENTS = st.integers(0, 50_000).map(lambda c: Decimal(c).scaleb(-2))
MILESTONE = st.tuples(
    st.none() | CENTS,                                        # amount
    st.none() | CENTS,                                        # paid (may exceed the amount)
    st.none() | CENTS,                                        # written off
    st.booleans(),                                            # written off on a day
    st.none() | st.integers(-5, 12),                          # due: DAY0 + n
    st.sampled_from([None, "CNY", "USD"]),                    # currency
)


def _milestones(s: Any, milestones: list[tuple[Any, ...]]) -> None:
    """CU1, CO1 and a milestone of CO1 per :data:`MILESTONE`, in one transaction."""
    with s.transaction():
        _customer_with_a_contract(s)
        for amount, paid, off, off_on, day, currency in milestones:
            s.insert("receivable", {
                "id": s.next_id("receivable"), "contract_id": "CO1",
                "customer_id": "CU1", "seq": 1, "kind": "final", "amount": amount,
                "paid": paid, "written_off": off, "currency": currency,
                "written_off_on": DAY0 if off_on else None,
                "due_date": None if day is None else DAY0 + dt.timedelta(days=day)})


def _customer_with_a_contract(s: Any) -> None:
    """CU1 and its signed contract CO1, which the generated milestones belong to."""
    s.insert("customer", {"id": s.next_id("customer"), "name": "客户"})
    s.insert("contract", {"id": s.next_id("contract"), "customer_id": "CU1", "number": "HT",
                          "amount": Decimal("1000.00"), "status": "signed"})


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(MILESTONE, max_size=12), st.integers(0, 9))
@example([(Decimal("100.00"), Decimal("100.00"), None, False, 1, "CNY"),
          (Decimal("100.00"), Decimal("30.50"), Decimal("20.00"), False, 1, "USD"),
          (Decimal("100.00"), None, None, True, 1, "CNY"),
          (None, None, None, False, 0, None), (Decimal("5.00"), None, None, False, None, "CNY"),
          (Decimal("7.00"), Decimal("9.00"), None, False, 2, "CNY")], 5)
@example([(Decimal("1.00"), None, None, False, 3, "CNY")] * 11, 5)  # RC10 sorts before RC2
def test_open_balances_equal_the_reference(
        store: str,  # noqa: F811
        milestones: list[tuple[Any, ...]], due: int) -> None:
    """What ``kam check`` decides from (id, due date, currency, outstanding) is what the
    whole milestones and ``receivable_view`` give, in the same order, to the cent."""
    with opened(store) as s:
        _milestones(s, milestones)
        assert isinstance(s, OpenBalances)
        ws: Any = SimpleNamespace(storage=s)
        due_by = DAY0 + dt.timedelta(days=due)
        fast = list(s.open_balances(due_by))
        assert repr(fast) == repr(list(python_open_balances(ws, due_by)))


FLAG = st.fixed_dictionaries({"type": st.sampled_from(["low_credit", "churn_risk"]),
                              "decision": st.sampled_from([None, "cleared", "confirmed"])})


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(MILESTONE, st.integers(1, 3)), max_size=12),
       st.lists(st.lists(FLAG, max_size=3), min_size=3, max_size=3), st.integers(0, 9))
@example([((Decimal("5.00"), None, None, False, 1, "CNY"), 1),
          ((Decimal("5.00"), None, None, False, 1, "CNY"), 2),
          ((Decimal("5.00"), None, None, False, 1, "CNY"), 3),
          ((Decimal("5.00"), Decimal("5.00"), None, False, 1, "CNY"), 1)],
         [[{"type": "low_credit", "decision": None}],
          [{"type": "low_credit", "decision": "cleared"}, {"type": "churn_risk", "decision": None}],
          []], 5)
def test_unflagged_late_customers_equal_the_reference(
        store: str,  # noqa: F811
        milestones: list[tuple[tuple[Any, ...], int]], flags: list[list[dict[str, Any]]],
        due: int) -> None:
    """The customers ``kam check`` asks the standard anomaly rule about (money due by the
    day, no open ``low_credit`` flag) are those whole milestones and customers give."""
    with opened(store) as s:
        with s.transaction():
            for fl in flags:
                s.insert("customer", {"id": s.next_id("customer"), "name": "客户",
                                      "flags": fl})
            s.insert("contract", {"id": s.next_id("contract"), "customer_id": "CU1",
                                  "number": "HT", "amount": Decimal("1000.00"),
                                  "status": "signed"})
            for (amount, paid, off, off_on, day, currency), who in milestones:
                s.insert("receivable", {
                    "id": s.next_id("receivable"), "contract_id": "CO1",
                    "customer_id": f"CU{who}", "seq": 1, "kind": "final",
                    "amount": amount, "paid": paid, "written_off": off,
                    "currency": currency, "written_off_on": DAY0 if off_on else None,
                    "due_date": None if day is None else DAY0 + dt.timedelta(days=day)})
        assert isinstance(s, UnflaggedLate)
        ws: Any = SimpleNamespace(storage=s)
        due_by = DAY0 + dt.timedelta(days=due)
        for flag_type in ("low_credit", "churn_risk"):
            fast = list(s.unflagged_late(due_by, flag_type))
            assert fast == list(python_unflagged_late(ws, due_by, flag_type))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EVENTS)
@example([("receivable.overdue", "RC1", {"level": 30}),
          ("receivable.overdue", "RC1", {"level": 60}),
          ("receivable.overdue", "RC2", {"level": 30}),
          ("receivable.overdue", "RC2", {"level": 60}),
          ("receivable.overdue", "RC2", {"level": "60"}), ("receivable.overdue", "RC3", {}),
          ("receivable.overdue", "RC3", {"level": None}), ("receivable.due", "RC1", {}),
          ("receivable.overdue", "CO1", {"level": True}), ("receivable.due", "RC2", {"level": 1})])
def test_fired_levels_by_milestone_equal_the_reference(
        events: list[tuple[str, str, dict[str, Any]]]) -> None:
    """SQLite's reminder levels grouped by milestone (JSON integers as text, another type
    decoded) are FiredReminders' rows grouped, each milestone's levels in any order."""
    with opened("sqlite") as s:
        appended(s, events)
        assert isinstance(s, FiredLevels)
        due, levels = s.fired_levels()
        ref_due, ref_levels = python_fired_levels(SimpleNamespace(storage=s))
        assert due == ref_due
        assert ({rid: sorted(map(repr, found)) for rid, found in levels.items()}
                == {rid: sorted(map(repr, found)) for rid, found in ref_levels.items()})


TEXT = st.none() | st.text(alphabet=st.sampled_from('a"\\\n\x00\x85逾期'), max_size=3)
NOTE = st.fixed_dictionaries({"at": st.just("2026-03-01"), "note": st.text(max_size=3)})


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(MILESTONE, TEXT, TEXT, st.lists(NOTE, max_size=2),
                          st.none() | st.integers(-3, 3)), max_size=10), st.integers(0, 9),
       st.booleans())
@example([((Decimal("100.00"), Decimal("30.50"), Decimal("0.00"), False, 1, "USD"), "",
           "退款\x85", [{"at": "2026-03-01", "note": "答应月底付"}], 2),
          ((None, Decimal("-1.00"), None, False, 2, None), None, None, [], None),
          ((Decimal("1.00"), None, None, False, 3, "CNY"), "a", "+10d", [], -1)], 5, False)
@example([((Decimal("1.00"), Decimal("0.00"), None, False, 3, "CNY"), "", None, [], None)]
         * 11, 5, True)  # RC10 after RC9 (find's order of ids); nothing paid yet: overdue
def test_overdue_texts_equal_the_reference(store: str,  # noqa: F811
                                           milestones: list[tuple[Any, ...]], today: int,
                                           german: bool) -> None:
    """What ``kam check -f json`` prints for the overdue milestones, read a few columns at
    a time, is ``receivable_view`` of the whole milestones as JSON text, in order
    (PostgreSQL also with a session's DateStyle not ISO: dates then made ISO by the
    server)."""
    with opened(store) as s:
        if store == "postgres" and german:
            s.conn.execute("SET DateStyle = 'German, DMY'")
        _overdue_milestones(s, milestones, no_nul=store == "postgres")
        assert isinstance(s, OverdueTexts)
        as_of = DAY0 + dt.timedelta(days=today)
        ws: Any = SimpleNamespace(storage=s, today=as_of)
        fast = [list(row.items()) for row in s.overdue_texts(as_of)]  # keys in order
        assert fast == [list(row.items()) for row in python_overdue_texts(ws)]


def _overdue_milestones(s: Any, milestones: list[tuple[Any, ...]], no_nul: bool = False
                        ) -> None:
    with s.transaction():
        _customer_with_a_contract(s)
        for (amount, paid, off, off_on, day, currency), by, text, notes, paid_on \
                in milestones:
            if no_nul:  # PostgreSQL's text cannot hold a NUL
                by, text = (t and t.replace("\x00", "") for t in (by, text))
            s.insert("receivable", {
                "id": s.next_id("receivable"), "contract_id": "CO1",
                "customer_id": "CU1", "seq": paid_on, "kind": text or "final",
                "share": text, "due_offset": text, "amount": amount, "paid": paid,
                "written_off": off, "currency": currency, "written_off_by": by,
                "write_off_reason": text, "collection_notes": notes,
                "trigger_on": DAY0, "created_at": "2026-03-01T08:00:00+00:00",
                "paid_on": None if paid_on is None
                else DAY0 + dt.timedelta(days=paid_on),
                "written_off_on": DAY0 if off_on else None,
                "due_date": None if day is None else DAY0 + dt.timedelta(days=day)})


#: stored values SQLite's JSON text leaves to Python (another type or form than kam
#: writes), and forms it writes itself (an integer share, empty notes)
ODD = st.sampled_from([("seq", 1.5), ("share", 2), ("amount", "100"), ("paid", 10**18),
                       ("trigger_on", "20260301"), ("written_off_by", 0), ("created_at", 7),
                       ("collection_notes", "[]"), ("collection_notes", ""),
                       ("collection_notes", "null"), ("kind", "退款\x7f\x9f"),
                       ("currency", None), ("written_off", -5)])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(MILESTONE, TEXT, TEXT, st.lists(NOTE, max_size=2),
                          st.none() | st.integers(-3, 3)), max_size=8),
       st.lists(st.tuples(st.integers(1, 8), ODD), max_size=4), st.integers(0, 9))
@example([((Decimal("100.00"), Decimal("30.50"), None, False, 1, "USD"), "",
           "退款\x85", [{"at": "2026-03-01", "note": "答应月底付"}], 2),
          ((Decimal("5.00"), Decimal("-1.00"), None, False, 2, None), None, "a", [], None),
          ((Decimal("1.00"), None, None, False, 3, "CNY"), "a", "+10d", [], -1)],
         [(2, ("seq", 1.5)), (3, ("trigger_on", "20260301")), (3, ("written_off", -5))], 5)
def test_overdue_json_is_what_check_json_writes_of_the_reference(
        milestones: list[tuple[Any, ...]], odd: list[tuple[int, tuple[str, Any]]], today: int
        ) -> None:
    """The overdue milestones' JSON objects SQLite writes (a row it cannot write exactly
    given as its dict) are what ``kam.check_json`` writes of the reference's rows, DEL and
    C1 escaped as it does."""
    from kam import check_json

    with opened("sqlite") as s:
        _overdue_milestones(s, milestones)
        for n, (column, value) in odd:
            s.conn.execute(f"UPDATE receivable SET {column} = ? WHERE id = ?", (value, f"RC{n}"))
        assert isinstance(s, OverdueJson)
        as_of = DAY0 + dt.timedelta(days=today)
        ws: Any = SimpleNamespace(storage=s, today=as_of)
        indent = check_json.ROW_INDENT
        written = [check_json._C1.sub(check_json._c1, row) if isinstance(row, str)
                   else check_json._row(row, indent) for row in s.overdue_json(as_of, indent)]
        assert written == [check_json._row(row, indent) for row in s.overdue_texts(as_of)]
        if not odd:
            assert written == [check_json._row(row, indent)
                               for row in python_overdue_texts(ws)]


#: a reminder event of milestone RC<n> (or of none), and then whether it is deleted or
#: its payload changed
REMINDER = st.tuples(st.sampled_from(["receivable.due", "receivable.overdue",
                                      "contract.renewal_due"]),
                     st.sampled_from(["RC1", "RC2", "RC3", "RC10", None]),
                     st.sampled_from([{}, {"level": 1}, {"level": 30}, {"level": 60},
                                      {"level": "30"}, {"level": None}, {"level": 1.5},
                                      {"level": [30]}, {"level": True}, {"level": -2}]),
                     st.sampled_from([None, None, None, "delete", {"level": 30},
                                      {"level": "x"}]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MILESTONE, max_size=11), st.lists(REMINDER, max_size=14), st.integers(0, 9))
@example([(Decimal("5.00"), None, None, False, 1, "CNY")] * 3,
         [("receivable.due", "RC1", {}, None), ("receivable.overdue", "RC1", {"level": 1}, None),
          ("receivable.overdue", "RC2", {"level": 1}, "delete"),
          ("receivable.overdue", "RC2", {"level": 30}, {"level": "x"}),
          ("receivable.overdue", "RC3", {"level": "30"}, None),
          ("receivable.due", "RC3", {}, {"level": 30}), ("receivable.due", None, {}, None)], 5)
@example([(Decimal("1.00"), None, None, False, 3, "CNY")] * 11,
         [("receivable.overdue", "RC10", {"level": 30}, None),
          ("receivable.overdue", "RC1", {"level": [30]}, None),
          ("receivable.due", "RC10", {}, None)], 9)  # RC10 sorts before RC2
def test_dunning_states_equal_the_reference(
        milestones: list[tuple[Any, ...]],
        reminders: list[tuple[str, str | None, dict[str, Any], Any]], due: int) -> None:
    """What the daily run decides from — each open milestone's balance, whether its due
    reminder fired and its overdue levels — looked up for the open milestones only, is
    the reference's (every reminder read), after events are deleted or changed too."""
    with opened("sqlite") as s:
        _milestones(s, milestones)
        appended(s, [(kind_, rid, payload) for kind_, rid, payload, _ in reminders])
        rowids = [r for (r,) in s.conn.execute("SELECT rowid FROM event ORDER BY rowid")]
        for rowid, (_, _, _, then) in zip(rowids, reminders, strict=True):
            if then == "delete":
                s.conn.execute("DELETE FROM event WHERE rowid = ?", (rowid,))
            elif then is not None:
                s.conn.execute("UPDATE event SET payload = json(?) WHERE rowid = ?",
                               (repr(then).replace("'", '"'), rowid))
        assert isinstance(s, DunningStates)
        due_by = DAY0 + dt.timedelta(days=due)

        def states() -> list[tuple[Any, ...]]:
            return [(*row[:5], sorted(map(repr, row[5]))) for row in s.dunning_states(due_by)]

        ref = [(*row[:5], sorted(map(repr, row[5])))
               for row in python_dunning_states(SimpleNamespace(storage=s), due_by)]
        assert repr(states()) == repr(ref)
