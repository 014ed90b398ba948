"""Rows handed over as columns (kam.column_pages): a report whose rows come as
:class:`ColumnPage` s prints, in every built-in format, exactly what the same rows as
dicts print, whatever the pages' sizes; anything else iterating the rows gets the dicts."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.column_pages import ColumnPage, RecordRuns
from kam.output import LazyList
from kam.reports import Report, Table
from kam.services.reports import chunks

TEXT = st.text(alphabet=st.sampled_from(list("ab =-1中ｱé\x1b\n\t,|\"")), max_size=5)
SCALAR = (st.none() | st.booleans() | st.integers(-10**6, 10**6) | TEXT | st.dates()
          | st.decimals(-10**6, 10**6, places=2))
#: a field of the records: one kind of value (the battle map's), or any mix
FIELD = st.sampled_from([TEXT, st.decimals(0, 10**6, places=2), st.none() | st.dates(),
                         st.none() | st.integers(1, 400), SCALAR])
RECORD_KEYS = st.lists(st.sampled_from(["kind", "amount", "due_date", "a%s", "é", "B"]),
                       min_size=1, max_size=4, unique=True)


@st.composite
def pages(draw: Any) -> tuple[tuple[str, ...], list[ColumnPage], list[dict[str, Any]]]:
    """Pages of rows as columns (one of them lists of records), and the same rows."""
    keys = tuple(draw(st.lists(st.sampled_from(["id", "amount", "note", "ms", "on", "x"]),
                               min_size=1, max_size=5, unique=True)))
    record_keys = tuple(draw(RECORD_KEYS))
    fields = [draw(FIELD) for _ in record_keys]
    cells = {k: draw(FIELD) for k in keys}
    made: list[ColumnPage] = []
    rows: list[dict[str, Any]] = []
    for size in draw(st.lists(st.integers(0, 6), max_size=4)):
        columns: list[Any] = []
        for k in keys:
            if k == "ms":
                counts = draw(st.lists(st.integers(0, 3), min_size=size, max_size=size))
                columns.append(RecordRuns(record_keys, [
                    draw(st.lists(f, min_size=sum(counts), max_size=sum(counts)))
                    for f in fields], counts))
            else:
                columns.append(draw(st.lists(cells[k], min_size=size, max_size=size)))
        page = ColumnPage(keys, columns, size)
        made.append(page)
        rows.extend(page.rows())
    return keys, made, rows


def _report(columns: list[str], rows: Any) -> Report:
    totals = [{"id": "total", "amount": Decimal("1.00")}]
    return Report("r", "R", "2026-06-30", [Table("t", columns, rows, totals,
                                                  display={"ms": {"a": "甲"}})], lang="zh")


def _text(report: Report, fmt: str) -> str:
    return "".join(chunks(None, report, fmt))  # type: ignore[arg-type]


@settings(max_examples=120, deadline=None)
@given(pages(), st.sampled_from(["json", "csv", "table"]), st.booleans())
@example((("id", "ms"), [ColumnPage(("id", "ms"), [["A", "B"], RecordRuns(
    ("kind", "amount"), [["a", "b", "c"], [Decimal("1.00"), Decimal("2.50"), None]],
    [2, 1])], 2)], [{"id": "A", "ms": [{"kind": "a", "amount": Decimal("1.00")},
                                         {"kind": "b", "amount": Decimal("2.50")}]},
                    {"id": "B", "ms": [{"kind": "c", "amount": None}]}]), "table", True)
def test_rows_as_columns_print_as_the_same_rows_as_dicts(
        case: tuple[tuple[str, ...], list[ColumnPage], list[dict[str, Any]]], fmt: str,
        every_column: bool) -> None:
    keys, made, rows = case
    columns = list(keys) if every_column else [*keys[::2], "missing"]
    paged = LazyList(len(rows), pages=lambda: iter(made))
    assert list(paged) == rows
    # JSON streams a list of any length (as a long one); pages cut in small pieces
    with patch("kam.json_text._BIG", 0), patch("kam.json_text._PAGE", 2), \
            patch("kam.column_text.RECORD_PAGE", 3):
        assert _text(_report(columns, paged), fmt) == _text(_report(columns, rows), fmt)


def test_markdown_prints_rows_as_columns_as_the_same_rows() -> None:
    from kam.plugins.report_md.markdown import render_markdown

    runs = RecordRuns(("kind", "amount", "due_date"),
                      [["a", "b", "a"], [Decimal("1.00"), Decimal("20000.50"), Decimal("3")],
                       [dt.date(2026, 1, 2), None, dt.date(2026, 3, 4)]], [1, 0, 2])
    page = ColumnPage(("id", "ms", "amount"),
                      [["A", "=B", "C|"], runs, [Decimal("1"), None, Decimal("1234.5")]], 3)
    paged = LazyList(3, pages=lambda: iter([page]))
    columns = ["id", "ms", "amount"]
    assert render_markdown(_report(columns, paged)) == render_markdown(
        _report(columns, page.rows()))


def test_a_page_in_pieces_is_the_same_rows() -> None:
    runs = RecordRuns(("k",), [list(range(7))], [2, 0, 3, 1, 1])
    page = ColumnPage(("id", "ms"), [list("ABCDE"), runs], 5)
    for size in (1, 2, 3, 5, 9):
        pieces = list(page.pieces(size))
        assert [p.size for p in pieces] == [min(size, 5 - a) for a in range(0, 5, size)]
        assert list(itertools.chain.from_iterable(p.rows() for p in pieces)) == page.rows()
    assert page.rows()[2] == {"id": "C", "ms": [{"k": 2}, {"k": 3}, {"k": 4}]}
    assert page.column("missing") == [None] * 5
    assert list(runs) == runs.lists() and len(runs) == 5 and runs[1] == []


def test_a_lazy_list_needs_its_rows_or_its_pages() -> None:
    with pytest.raises(TypeError):
        LazyList(0)
    assert list(LazyList(0, pages=lambda: iter([ColumnPage(("a",), [[]], 0)]))) == []


def test_the_battle_map_prints_its_column_pages_as_its_rows(tmp_path: Any) -> None:
    """The map's rows as columns (SQLite: the streamed path) print in every format what
    the same rows as dicts print."""
    from kam.demo import build_demo
    from kam.plugin_manager import Plugins
    from kam.services import reports
    from kam.workspace import Workspace

    plugins = Plugins()
    build_demo(tmp_path / "demo", plugins)
    for lang in ("zh", "en"):
        ws = Workspace.open(tmp_path / "demo", plugins=plugins, lang=lang)
        try:
            report = reports.build(ws, "battle-map")
            table = report.tables[0]
            assert isinstance(table.rows, LazyList) and table.rows.pages is not None
            rows = list(table.rows)
            assert rows and all(type(r["milestones"]) is list for r in rows)
            held = Report(report.name, report.title, report.as_of, [Table(
                table.name, table.columns, rows, list(table.totals), title=table.title,
                display=table.display, headers=table.headers, numeric=table.numeric)],
                meta=report.meta, notes=report.notes, lang=report.lang)
            for fmt in ("json", "csv", "table"):
                assert _text(report, fmt) == _text(held, fmt)
        finally:
            ws.close()
