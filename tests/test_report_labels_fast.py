"""kam.reports.labels.shown takes short cuts for the commonest cells of big tables (money,
days, dates, empty cells, a contract's milestones): each gives what the general path
through kam.output.cell gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.output import cell
from kam.reports import Table
from kam.reports.labels import _record, shown

VALUE = (st.none() | st.integers(-10**12, 10**12) | st.dates()
         | st.decimals(allow_nan=False, allow_infinity=False, places=2))
MILESTONE = st.fixed_dictionaries({"kind": st.sampled_from(["on_delivery", "warranty", ""]),
                                   "amount": st.decimals(0, 10**6, places=2),
                                   "due_date": st.none() | st.dates(),
                                   "days_overdue": st.none() | st.integers(1, 900)})


@settings(max_examples=200, deadline=None)
@given(VALUE)
def test_plain_cells_read_as_the_general_formatter_gives_them(value: Any) -> None:
    table = Table("t", ["c"], [])
    expected = f"{value:,}" if isinstance(value, Decimal) else cell(value)
    assert shown(table, "c", value, "en") == expected


@settings(max_examples=50, deadline=None)
@given(st.lists(MILESTONE, min_size=1, max_size=4),
       st.sampled_from([{}, {"on_delivery": "到货款", "2026-01-01": "元旦"}]))
def test_a_list_of_records_is_one_record_a_line(value: list[dict[str, Any]],
                                                display: dict[str, str]) -> None:
    table = Table("t", ["c"], [], display={"c": display} if display else {})
    disp = table.display.get("c")
    assert shown(table, "c", value, "zh") == "\n".join(
        shown(table, "c", v, "zh") for v in value)
    assert shown(table, "c", value, "zh") == "\n".join(
        _record(table, "c", v, "zh", disp) for v in value)


def test_a_display_map_still_wins_over_the_short_cuts() -> None:
    day = dt.date(2026, 1, 1)
    table = Table("t", ["c"], [], display={"c": {"2026-01-01": "元旦", "3": "三", "": "空"}})
    assert shown(table, "c", day, "zh") == "元旦"
    assert shown(table, "c", 3, "zh") == "三"
    assert shown(table, "c", None, "zh") == "空"


def _is_numeric_by_cell(table: Table, column: str) -> bool:
    """kam.reports.labels.is_numeric as it read every cell before."""
    if column in table.display:
        return False
    if table.numeric is not None:
        return column in table.numeric
    values = [r.get(column) for r in (*table.rows, *table.totals) if r.get(column) is not None]
    return bool(values) and all(
        isinstance(v, int | Decimal) and not isinstance(v, bool) for v in values)


CELL = (st.none() | st.integers() | st.booleans() | st.text(max_size=3)
        | st.decimals(allow_nan=False, allow_infinity=False, places=2) | st.floats()
        | st.dates())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["a", "b"]), CELL), max_size=6),
       st.lists(st.dictionaries(st.sampled_from(["a", "b"]), CELL), max_size=2),
       st.sampled_from([None, [], ["a"]]), st.booleans())
@example([{"a": 1}, {"a": True}], [], None, False)
@example([{"a": Decimal("1.5")}, {"a": None}, {}], [{"a": 3}], None, False)
@example([{"a": None}], [], None, False)
def test_a_numeric_column_is_judged_by_its_kinds_of_value(
        rows: list[dict[str, Any]], totals: list[dict[str, Any]], numeric: list[str] | None,
        shown_as: bool) -> None:
    from kam.reports.labels import is_numeric

    table = Table("t", ["a", "b"], rows, totals, numeric=numeric,
                  display={"b": {"x": "y"}} if shown_as else {})
    for column in ("a", "b"):
        assert is_numeric(table, column) == _is_numeric_by_cell(table, column)
