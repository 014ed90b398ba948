"""kam.reports.cell_pages.shown_rows converts a page of report rows a column at a time:
each cell is what kam.reports.labels.shown gives it one at a time (the md and table
formats print these)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.reports import Table
from kam.reports.cell_pages import shown_rows
from kam.reports.labels import shown

TEXT = st.text(alphabet=st.sampled_from(list("ab 1中ｱé\x1b\x7f\n\t,|-")), max_size=5)
CELL = (st.none() | st.booleans() | st.integers(-10**9, 10**9) | TEXT | st.dates()
        | st.decimals(allow_nan=False, allow_infinity=False, places=2) | st.datetimes()
        | st.lists(TEXT, max_size=2) | st.fixed_dictionaries({"kind": TEXT}))
#: columns of one kind (the common case, each with its own short cut) or of any mix
COLUMN = st.sampled_from([TEXT, st.none() | TEXT, st.decimals(0, 10**6, places=2),
                          st.none() | st.integers(0, 900), st.dates() | st.none(),
                          st.none() | TEXT | st.decimals(0, 10, places=2),
                          st.booleans() | st.none(), CELL])
DISPLAY = st.sampled_from([{}, {"a": "甲", "": "空", "1": "一", "2026-01-01": "元旦",
                                "true": "真"}])


@settings(max_examples=150, deadline=None)
@given(st.lists(COLUMN, min_size=1, max_size=4).flatmap(
    lambda kinds: st.lists(st.tuples(*kinds), max_size=7)), st.lists(DISPLAY, min_size=4,
                                                                      max_size=4),
    st.sampled_from(["zh", "en"]), st.integers(1, 4))
@example([("a", Decimal("1234.50"), None), ("b\x1b", Decimal("-1.00"), 3)],
         [{"a": "甲"}, {}, {}, {}], "zh", 1)
def test_a_page_a_column_at_a_time_is_each_cell_shown(rows: list[tuple[Any, ...]],
                                                      displays: list[dict[str, str]],
                                                      lang: str, page: int) -> None:
    width = len(rows[0]) if rows else 2
    columns = [f"c{i}" for i in range(width)]
    table = Table("t", columns, [], display={c: d for c, d in zip(columns, displays[:width],
                                                                   strict=True)
                                             if d})
    records = [dict(zip(columns, r, strict=True)) for r in rows]
    expected = [[shown(table, c, r.get(c), lang) for c in columns] for r in records]
    assert [list(r) for r in shown_rows(table, records, lang, page)] == expected


def test_a_missing_cell_and_the_display_map_read_as_shown_gives_them() -> None:
    table = Table("t", ["status", "amount", "on"], [], display={"status": {"won": "赢单"}})
    rows = [{"status": "won", "amount": Decimal("1000")}, {"status": "lost",
                                                          "on": dt.date(2026, 1, 2)}]
    assert [list(r) for r in shown_rows(table, rows, "zh")] == [
        ["赢单", "1,000", ""], ["lost", "", "2026-01-02"]]


def test_json_comes_in_few_big_pieces_that_join_to_the_row_by_row_text() -> None:
    from kam.output import json_chunks
    from kam.reports import Report
    from kam.services.reports import as_dict, chunks

    rows = [{"id": f"R{i}", "amount": Decimal(i)} for i in range(3000)]
    report = Report("r", "R", "2026-06-30", [Table("t", ["id", "amount"], rows)])
    pieces = list(chunks(None, report, "json"))  # type: ignore[arg-type]
    assert "".join(pieces) == "".join(json_chunks(as_dict(report))) + "\n"
    assert 1 < len(pieces) < 10 and all(len(p) >= 1 << 16 for p in pieces[:-1])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(CELL, CELL | st.sampled_from(["=1+1", "-2", "@x", "+"])),
                         max_size=8), min_size=1, max_size=3), st.integers(0, 2))
def test_csv_written_a_page_a_column_at_a_time_is_the_per_cell_csv(
        tables: list[list[tuple[Any, Any]]], missing: int) -> None:
    import csv
    import io

    from kam.output import cell, neutralise
    from kam.reports import Report
    from kam.services.reports import csv_chunks

    made = [Table(f"t{n}", ["a", "b"], [{"a": a, "b": b} if i != missing else {"b": b}
                                       for i, (a, b) in enumerate(rows)])
            for n, rows in enumerate(tables)]
    buf = io.StringIO()  # the reference: one row at a time, each cell on its own
    writer = csv.writer(buf, lineterminator="\n")
    for n, t in enumerate(made):
        if len(made) > 1:
            buf.write(("\n" if n else "") + f"# {t.name}\n")
        writer.writerow(t.columns)
        for row in t.rows:
            writer.writerow([neutralise(cell(row.get(c))) for c in t.columns])
    report = Report("r", "R", "2026-06-30", made)
    assert "".join(csv_chunks(report)) == buf.getvalue()


#: a contract's milestones (the battle map): records of the same keys, now and then a
#: value of another type or a record of other keys (the cell-by-cell path then)
FIELD = st.sampled_from([TEXT | st.none(), st.decimals(-10**6, 10**6, places=2) | st.none(),
                         st.dates() | st.none(), st.none() | st.integers(-5, 900),
                         st.sampled_from(["a", "b", "", "x"]), st.booleans(), CELL])
RECORDS = st.lists(FIELD, min_size=1, max_size=4).flatmap(
    lambda fields: st.lists(st.lists(st.tuples(*fields), max_size=3), max_size=6))
RECORD_DISPLAY = st.sampled_from([{}, {"a": "甲", "b": "乙"}, {"a": "", "b": "乙"},
                                  {"1": "一", "a": "甲"}, {"2026-01-01": "元旦"},
                                  {"1,000.00": "千"}])


@settings(max_examples=150, deadline=None)
@given(RECORDS, RECORD_DISPLAY, st.sampled_from(["zh", "en"]), st.booleans(),
       st.lists(st.integers(0, 6), max_size=3))
@example([[("a", Decimal("1234.50"), None), ("b", Decimal("1.0"), 3)], [],
          [("x", Decimal("1.00"), dt.date(2026, 1, 1))]], {"a": "甲"}, "zh", False, [])
@example([[("a", Decimal("1"), None)]], {"1": "一"}, "en", False, [])
@example([[("a", "b"), ("", "a")]], {"a": "", "b": "乙"}, "zh", False, [])
@example([[("a", Decimal("2.00"), None)], [("b", Decimal("1"), 4)]], {"": "空", "a": "甲"},
         "zh", False, [1, 6])
@example([[(None, Decimal("1.00"), None), (None, None, 2), ("a", None, None)],
          [(None, None, None)], [("", Decimal("3"), dt.date(2026, 2, 1))]], {}, "en", False,
         [])
@example([[(None,)], [("b",), (None,)]], {"b": "乙"}, "zh", False, [])
def test_a_column_of_records_a_field_at_a_time_is_each_cell_shown(
        cells: list[list[tuple[Any, ...]]], display: dict[str, str], lang: str,
        odd: bool, gaps: list[int]) -> None:
    """Also with gaps (the battle map's totals rows have no milestones): each shown as
    shown shows None, or a row without the key."""
    table = Table("t", ["id", "milestones"], [],
                  display={"milestones": display} if display else {})
    values: list[Any] = [[{f"k{i}": v for i, v in enumerate(r)} for r in c] for c in cells]
    if odd and values and values[0]:
        values[0][0]["extra"] = 1  # keys that differ: each cell on its own
    rows: list[dict[str, Any]] = [{"id": str(n), "milestones": v}
                                  for n, v in enumerate(values)]
    for at in gaps:  # a None, or (past the end) a row without milestones
        if at < len(rows):
            rows[at]["milestones"] = None
        else:
            rows.append({"id": "total"})
    expected = [[shown(table, c, r.get(c), lang) for c in table.columns] for r in rows]
    assert [list(r) for r in shown_rows(table, rows, lang)] == expected


@given(st.integers() | st.dates())
@example(-1)
@example(dt.date(1, 1, 1))
def test_every_day_or_date_text_is_taken_for_a_possible_display_key(value: Any) -> None:
    """A record's days and dates are looked up across pages unless a display key could
    be one of their texts: the test must hold for every text they have."""
    from kam.reports.labels import _maybe_day_or_date

    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    assert _maybe_day_or_date(text)
