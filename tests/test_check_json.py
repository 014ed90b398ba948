"""``kam check -f json`` writes its result as kam.output's JSON writer does, byte for
byte, though its flat rows go through the C encoder (kam.check_json)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.check_json import chunks
from kam.output import LazyList, json_chunks

VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.text(alphabet=st.sampled_from("aZ9 -\"\\/\n\t\x00\x7f\x80\x9f\xa0逾期é😀")),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.dates(), st.datetimes(),
)
ROW = st.dictionaries(st.text(alphabet="abc_逾", min_size=1, max_size=4),
                      VALUE | st.lists(VALUE, max_size=3), max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(ROW, max_size=20), st.lists(ROW, max_size=3), VALUE)
@example([{"action": "overdue", "level": 30, "receivable_id": "RC1", "due_date":
           dt.date(2026, 3, 12), "outstanding": Decimal("300000.00"), "currency": None}],
         [{}], "2026-06-30")
def test_chunks_are_json_chunks(rows: list[dict[str, Any]], few: list[dict[str, Any]],
                                value: Any) -> None:
    data = {"as_of": value, "levels": [1, 30], "new": LazyList(len(rows), lambda: iter(rows)),
            "overdue": list(rows), "escalated": [], "flagged": few,
            "totals": {"CNY": "1.00"}, "pair": (1, 2)}
    assert "".join(chunks(data)) == "".join(json_chunks(data))
