"""The pure receivable view (state, outstanding, days overdue) that reports build on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from kam.models.receivable_state import receivable_view

D = Decimal
DAY = dt.date(2026, 5, 1)


def rec(**kw: object) -> dict:
    base = {"id": "RC1", "contract_id": "CO1", "customer_id": "CU1", "kind": "on_delivery",
            "amount": D("300000.00"), "currency": "CNY", "due_date": None,
            "paid": D("0.00")}
    return base | kw


@pytest.mark.parametrize(("changes", "state", "outstanding", "days"), [
    ({}, "scheduled", "300000.00", 0),
    ({"due_date": dt.date(2026, 5, 1)}, "due", "300000.00", 0),
    ({"due_date": dt.date(2026, 5, 20)}, "due", "300000.00", 0),
    ({"due_date": dt.date(2026, 4, 30)}, "overdue", "300000.00", 1),
    ({"due_date": dt.date(2025, 11, 2)}, "overdue", "300000.00", 180),
    ({"due_date": dt.date(2026, 4, 1), "paid": D("100000.00")}, "partially_paid",
     "200000.00", 30),
    ({"due_date": dt.date(2026, 6, 1), "paid": D("0.01")}, "partially_paid", "299999.99", 0),
    ({"paid": D("50000.00")}, "partially_paid", "250000.00", 0),
    ({"due_date": dt.date(2026, 4, 1), "paid": D("300000.00")}, "paid", "0.00", 0),
    ({"due_date": dt.date(2026, 1, 1), "paid": D("100000.00"), "written_off": D("200000.00"),
      "written_off_on": dt.date(2026, 4, 1)}, "written_off", "0.00", 0),
])
def test_states(changes: dict, state: str, outstanding: str, days: int) -> None:
    view = receivable_view(rec(**changes), DAY)
    assert (view["state"], view["outstanding"], view["days_overdue"]) == (
        state, D(outstanding), days)


def test_view_has_the_cli_keys_and_does_not_touch_the_record() -> None:
    record = rec(due_date=dt.date(2026, 4, 30))
    before = dict(record)
    view = receivable_view(record, DAY)
    assert record == before
    assert {"id", "contract_id", "customer_id", "kind", "amount", "due_date", "paid",
            "outstanding", "state", "days_overdue"} <= set(view)
    # computed for the day asked, never stale
    assert receivable_view(record, dt.date(2026, 4, 30))["state"] == "due"
    assert receivable_view(record, dt.date(2026, 7, 29))["days_overdue"] == 90
