"""``kam today``'s milestones due or overdue from SQLite and PostgreSQL
(kam.storage.DueReceivables)
are exactly its Python reference (``kam.reports.today.python_due_receivables`` over
the milestones with money outstanding) on random milestones: every state, horizons
before and after today, contracts picked, written off or not, values and their types."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.reports.rollups import python_open_receivables
from kam.reports.today import python_due_receivables
from kam.storage import DueReceivables, DueReceivablesHead
from test_aggregates import store  # noqa: F401  (the fixture)
from test_receivable_csv import stocked

MONEY = st.none() | st.integers(-10**6, 10**6) | st.sampled_from([0, 100, 250])
DAY = st.none() | st.dates(dt.date(2026, 5, 1), dt.date(2026, 8, 31))
MILESTONE = st.fixed_dictionaries({
    "contract_id": st.sampled_from(["CO1", "CO2", "CO3"]), "seq": st.integers(1, 3),
    "kind": st.sampled_from([None, "down_payment", "final"]),
    "currency": st.sampled_from([None, "CNY", "USD"]),
    "amount": MONEY, "paid": MONEY, "written_off": MONEY, "due_date": DAY,
    "written_off_on": st.sampled_from([None, None, dt.date(2026, 6, 1)]), "odd": st.none(),
})


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(MILESTONE, max_size=14), st.dates(dt.date(2026, 6, 1), dt.date(2026, 7, 31)),
       st.integers(-5, 40), st.sampled_from([None, ["CO1", "CO3"], []]))
@example([{"contract_id": "CO1", "seq": 1, "kind": None, "currency": None, "amount": 100,
           "paid": 1, "written_off": None, "due_date": dt.date(2026, 6, 1),
           "written_off_on": None, "odd": None}], dt.date(2026, 6, 30), 7, None)
@example([{"contract_id": "CO2", "seq": 1, "kind": None, "currency": "CNY", "amount": 100,
           "paid": None, "written_off": None, "due_date": d, "written_off_on": None,
           "odd": None} for d in (dt.date(2026, 7, 5), dt.date(2026, 7, 2))],
         dt.date(2026, 6, 30), 7, None)  # due ahead: by due date, not by id
@example([{"contract_id": "CO3", "seq": 1, "kind": None, "currency": "USD", "amount": 100,
           "paid": None, "written_off": None, "due_date": dt.date(2026, 6, 20),
           "written_off_on": None, "odd": None}] * 11, dt.date(2026, 6, 30), 0, None)  # RC10
def test_due_receivables_are_the_reference(store: str,  # noqa: F811
                                           milestones: list[dict[str, Any]], today: dt.date,
                                           ahead: int, contracts: list[str] | None) -> None:
    horizon = today + dt.timedelta(days=ahead)
    where: dict[str, Any] = {"written_off_on__isnull": True}
    if contracts is not None:
        where["contract_id__in"] = contracts
    with stocked(milestones, store) as s:
        assert isinstance(s, DueReceivables)
        fast = list(s.due_receivables(today, horizon, where))
        reference = python_due_receivables(python_open_receivables(s, where, horizon),
                                           today, horizon)
        if isinstance(s, DueReceivablesHead):  # kam today's first rows, and the count
            for limit in (0, 1, 3):
                assert s.due_receivables_head(today, horizon, where, limit) == (
                    len(reference), reference[:limit])
    assert fast == reference
    assert [list(map(type, r)) for r in fast] == [list(map(type, r)) for r in reference]
