"""The SQL backends' aging sums (kam.storage.AgingSums) equal the reference made from the
receivable sums (kam.reports.aging_sums.reference) on random milestones: partial
payments, overpayments, write-offs, missing due dates, due dates either side of today,
filters on either side; and the aging report is the same with the fast path hidden."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from kam.reports.aggregates import PythonAggregates
from kam.reports.aging_sums import aging_sums, reference
from kam.storage import AgingSums
from test_aggregates import (  # noqa: F401  (store: the fixture)
    MILESTONE,
    OWNERS,
    TODAY,
    WITH_CSV,
    _selected,
    opened,
    per_store,
    readers,
    stocked,
    store,
)


@WITH_CSV
@per_store(40)
@given(OWNERS, st.lists(MILESTONE, max_size=25),
       st.sampled_from([(30, 60, 90, 180), (1,), (7, 400)]),
       st.sampled_from([{}, {"written_off_on__isnull": True}, {"currency": "USD"},
                        {"customer_id": "CU2"}]),
       st.sampled_from([{}, {"owner": "张伟"}, {"id__in": ["CO1", "CO3"]}]))
@example(["lee"] * 4,  # a cent owed; overpaid; written off; no amount; a day overdue
         [(0, "CU1", Decimal("10.00"), Decimal("9.99"), None, False, -31, "CNY"),
          (0, "CU1", Decimal("10.00"), Decimal("12.00"), None, False, -1, None),
          (1, "CU2", Decimal("5.00"), None, Decimal("1.00"), True, None, "USD"),
          (2, "CU1", None, None, None, False, 0, "CNY"),
          (3, "CU1", Decimal("3.00"), None, None, False, -1, "CNY")],
         (1,), {}, {})
@example(["lee", None, "张伟", "lee"],  # paid in full (the same text), and written off too
         [(0, "CU1", Decimal("10.00"), Decimal("10.00"), Decimal("1.00"), False, -5, "CNY"),
          (1, "CU2", None, None, None, False, -3, None),
          (2, "CU1", Decimal("10.00"), Decimal("10.00"), None, False, -400, "USD"),
          (3, "CU2", Decimal("7.00"), Decimal("0.00"), None, False, -400, "USD")],
         (30, 60, 90, 180), {"written_off_on__isnull": True}, {})
def test_aging_sums_equal_the_reference(store: str,  # noqa: F811
                                        owners: list[str | None],
                                        milestones: list[tuple[Any, ...]],
                                        ends: tuple[int, ...], where: dict[str, Any],
                                        contract_where: dict[str, Any]) -> None:
    with opened(store) as storage:
        stocked(storage, owners, milestones)
        for reader in readers(storage):  # CSV: the writing handle, then one streaming
            assert isinstance(reader, AgingSums)
            ws = SimpleNamespace(storage=reader)
            fast = sorted(aging_sums(ws, TODAY, ends, where, contract_where))
            plain = sorted(reference(PythonAggregates(ws), TODAY, ends, where,
                                     contract_where))
            assert repr(fast) == repr(plain)
            assert all(total > 0 for *_k, total in fast)
            # what is owed in all: each selected milestone's amount less paid and
            # written off
            owed = sum((max(Decimal(0), (m[2] or 0) - (m[3] or 0) - (m[4] or 0))
                        for m in milestones if not m[5]
                        and _selected(m, owners, where, contract_where)), Decimal(0))
            assert sum((t for *_k, t in fast), Decimal(0)) == owed
