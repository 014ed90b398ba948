"""Lists formatted a column at a time print what the per-cell reference printed:
kam.column_text against kam.output.cell/neutralise, kam.textable's column layout against
its row layout (and so tabulate), Chinese labels looked up once per value against the
per-cell labeler."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam import column_text, textable
from kam.output import cell, neutralise, to_csv, write_rows
from test_aggregates import opened, per_store, store  # noqa: F401  (the fixture)

TEXT = st.text(alphabet=st.sampled_from(list("ab =+-@1 中文ｱé—·\u3000\x1b\x7f\x85\n\t\r,\"")),
               max_size=6)
SCALAR = (st.none() | st.booleans() | st.integers(-10**6, 10**6) | TEXT
          | st.decimals(allow_nan=False, allow_infinity=False, places=2)
          | st.dates() | st.floats(allow_nan=False, allow_infinity=False)
          | st.datetimes())
VALUE = st.recursive(
    SCALAR, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=3) | st.integers(0, 9), inner, max_size=3),
    max_leaves=10)


@settings(suppress_health_check=[HealthCheck.too_slow])  # a loaded machine stalls a draw
@given(st.lists(VALUE, max_size=12))
@example([["a", Decimal("1.50"), dt.date(2026, 1, 2)], [], {}, [{"b": 1, "a": None}]])
@example([{2: "x", 10: "y"}, {True: 1}, ("a", "b"), {"x"}, [1, "a"], "-5.00", "=1+1"])
@example(["a", None, "中", Decimal("-3.10"), None])
@example(["+10d", "+10d", "-5.00", "-5.00", "+10d", "=1", "", None, "-x"])  # judged once
def test_column_cells_are_the_per_cell_cells(values: list[Any]) -> None:
    assert column_text.texts(values) == [cell(v) for v in values]
    assert column_text.csv_texts(values) == [neutralise(cell(v)) for v in values]


RECORD_KEYS = st.lists(st.sampled_from(["kind", "amount", "due_date", "a%s", "é", "B", 1]),
                      min_size=1, max_size=4, unique=True)


@given(RECORD_KEYS.flatmap(lambda keys: st.lists(
    st.none() | st.lists(st.fixed_dictionaries({k: SCALAR for k in keys})
                         | st.dictionaries(st.sampled_from(keys), SCALAR), max_size=3),
    max_size=6)))
@example([[{"kind": "advance", "amount": Decimal("1.50"), "due_date": dt.date(2026, 1, 2),
            "state": "paid", "days_overdue": None}], None, [],
          [{"kind": "final", "amount": Decimal("1E+2"), "due_date": None, "state": "due",
            "days_overdue": 3}, {"kind": "中\x85", "amount": Decimal("-0.00"),
                                 "due_date": None, "state": '"=x', "days_overdue": True}]])
@example([[{"kind": "a\x01b", "state": "\t"}], None, [{"kind": "x", "state": "="}]])
@example([[{"kind": "a\x7fb", "state": "\x1b"}], [{"kind": "x", "state": "y"}]])
def test_a_column_of_record_lists_is_the_per_cell_json(values: list[Any]) -> None:
    """Lists of records of the same keys (the battle map's milestones) are made a field
    at a time: the same cells as one json.dumps per cell."""
    assert column_text.texts(values) == [cell(v) for v in values]
    assert column_text.csv_texts(values) == [neutralise(cell(v)) for v in values]


@given(st.lists(st.dictionaries(st.sampled_from(["id", "amount", "note"]), SCALAR),
                max_size=8))
def test_csv_written_by_page_is_the_reference_csv(rows: list[dict[str, Any]]) -> None:
    parts: list[str] = []
    write_rows(iter(rows), "csv", ["id", "amount", "note"], parts.append)
    assert "".join(parts) == to_csv(rows, ["id", "amount", "note"])


CSV_CELL = st.none() | st.text(alphabet=st.sampled_from(list('ab,"\n\r \t中\x00=')),
                               max_size=5)


@given(st.integers(1, 4).flatmap(lambda n: st.lists(
    st.lists(CSV_CELL, min_size=n, max_size=n), max_size=8)))
@example([[""]])
@example([[None], ["a"], ['"']])
@example([["", None], ['a"b', "x\r"], ["a,b", "c\nd"]])
def test_a_csv_page_made_by_columns_is_what_csv_writer_writes(rows: list[list[Any]]) -> None:
    """kam.column_text.csv_text (a page's csv text a column at a time) against
    csv.writer's writerows on the same rows."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    columns = [list(c) for c in zip(*rows, strict=True)]
    assert column_text.csv_text(columns) == buf.getvalue()


AMOUNTS = st.lists(st.none() | st.decimals(-10**4, 10**4, places=2)
                   | st.sampled_from([Decimal("1.0"), Decimal("1.00"), Decimal("1E+2")]),
                   max_size=6)


@given(AMOUNTS, st.lists(st.integers(0, 5), max_size=30))
@example([Decimal("1.0"), Decimal("1.00")], [0, 1, 0, 1, 1])
def test_texts_made_once_per_object_are_each_values_text(pool: list[Any],
                                                         picks: list[int]) -> None:
    """kam.output.by_object (the milestones' amounts: a few shared objects) gives what
    converting each value gives — equal amounts of different exponents included."""
    from kam.output import by_object

    values = [pool[i % len(pool)] for i in picks] if pool else []
    for convert in (str, repr, lambda v: "-" if v is None else f"{v:,}"):
        assert by_object(convert, values) == list(map(convert, values))
        assert by_object(convert, tuple(values)) == list(map(convert, values))


ONE_LINE = st.text(alphabet=st.sampled_from(list("ab 1-中文ｱé—·\u3000\xa0\x1f\x00x")),
                   max_size=6)


@settings(max_examples=200)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.lists(ONE_LINE, min_size=n, max_size=n), min_size=1, max_size=12),
    st.none() | st.lists(ONE_LINE, min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n), st.integers(1, 5))))
@example(([["中—", "a"], ["ab", ""]], ["x", "y"], [False, True], 1))
def test_pages_laid_out_by_column_are_laid_out_by_row(case: tuple[Any, ...]) -> None:
    rows, headers, right, page = case
    ncols = len(right)
    by_column = "".join(textable.lines(rows, headers, right, page=page))
    widths = [textable.width(h) + 2 for h in headers] if headers is not None else [0] * ncols
    pieces, first = [], True
    for start in range(0, len(rows), page):
        out = textable._page_by_row(rows[start:start + page], ncols, widths, right, first)
        if first and headers is not None:
            out = [textable._line(headers, widths, right),
                   "  ".join("-" * w for w in widths), *out]
        pieces.append(("" if first else "\n") + "\n".join(out))
        first = False
    assert by_column == "".join(pieces)


MULTI_LINE = st.text(alphabet=st.sampled_from(list("ab 1-中ｱé\u3000\n\n")), max_size=9)


@settings(max_examples=200)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.lists(ONE_LINE, min_size=n, max_size=n), min_size=1, max_size=12),
    st.none() | st.lists(ONE_LINE, min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n), st.integers(1, 5),
    st.lists(st.integers(0, n - 1), max_size=2),
    st.lists(MULTI_LINE, min_size=12, max_size=12))))
@example(([["a", "b", "c"], ["", "", ""], ["x", "y", "z"]], ["h", "i", "j"],
          [False, False, False], 2, [1], ["m1\nm22\n中文", "", "p\nq"] * 4))
@example(([["a", "b"], ["c", "d"]], None, [False, False], 5, [1], ["x\ny \nz", "z"] * 6))
@example(([["a", "b"], ["c", "d"]], None, [False, False], 5, [0], ["x\n\ny", "z"] * 6))
@example(([["a", "b"], ["c", "d"]], None, [True, False], 5, [0], ["x\ny", "z"] * 6))
def test_pages_with_a_column_of_multi_line_cells_are_laid_out_by_row(
        case: tuple[Any, ...]) -> None:
    """One column of multi-line cells (a battle map's milestones) laid out a column at a
    time gives what the row by row layout gives; two such columns, a right-aligned one
    or lines ending in white space go row by row."""
    rows, headers, right, page, tall, texts = case
    for i in tall:
        for r, text in zip(rows, texts, strict=False):
            r[i] = text
    ncols = len(right)
    by_column = "".join(textable.lines([list(r) for r in rows], headers, right, page=page))
    widths = [textable.width(h) + 2 for h in headers] if headers is not None else [0] * ncols
    pieces, first = [], True
    for chunk in _pages_of_lines(rows, page):
        out = textable._page_by_row([list(r) for r in chunk], ncols, widths, right, first)
        if first and headers is not None:
            out = [textable._line(headers, widths, right),
                   "  ".join("-" * w for w in widths), *out]
        if out:
            pieces.append(("" if first else "\n") + "\n".join(out))
            first = False
    assert by_column == "".join(pieces)


def _pages_of_lines(rows: list[list[str]], page: int) -> list[list[list[str]]]:
    """Pages of at most ``page`` rows and lines (a row: one line and one per line break
    in its cells; at least one row a page)."""
    pages: list[list[list[str]]] = [[]]
    lines = 0
    for r in rows:
        height = 1 + sum(c.count("\n") for c in r)
        if pages[-1] and (lines + height > page or len(pages[-1]) == page):
            pages.append([])
            lines = 0
        pages[-1].append(r)
        lines += height
    return pages


def test_a_page_of_multi_line_rows_ends_before_its_lines_pass_the_page_size() -> None:
    """A battle map's page holds as many contracts as fit in PAGE lines of milestones
    (its text is what a page costs in memory), not PAGE contracts: widths are fixed per
    page, so a wider id widens the table from the page of lines it falls in."""
    rows = [["c" * (2 * n + 1), "m\nm\nm"] for n in range(6)]  # three lines a row
    text = "".join(textable.lines(rows, ["id", "milestones"], [False, False], page=7))
    lines = text.split("\n")[2:]
    assert len(lines) == 18  # pages of two rows: ids of 1 and 3, then 5 and 7, then 9, 11
    assert [line.index("m") for line in lines] == [6] * 6 + [9] * 6 + [13] * 6
    one_line = [["c" * (2 * n + 1), "m"] for n in range(6)]  # a row a line: cut by rows
    text = "".join(textable.lines(one_line, ["id", "milestones"], [False, False], page=3))
    assert [line.index("m") for line in text.split("\n")[2:]] == [7] * 3 + [13] * 3


def test_a_chinese_list_labels_each_value_as_the_per_cell_labeler(tmp_path: Any) -> None:
    from conftest import Kam
    from kam.cli.common import Labels

    k = Kam(tmp_path / "ws")
    k.ok("init", "--backend", "sqlite", "--lang", "zh")
    ws = k.workspace()
    labels = Labels(ws, {"status": "opp_status", "stage": "stage"})
    values = {"status": ["open", "won", None, "open", "lost"],
              "stage": ["proposal", "bidding", "proposal", None, "nonesuch"],
              "title": ["a", True, None, {"b": 1}, Decimal("1.00")],
              "message": ["x", "x", None, "y", "z"]}
    for column, vals in values.items():
        assert list(labels.column_labels(column, vals)) == [labels(column, v) for v in vals]
    assert labels.column_labels("status", ["won"]) == ["赢单"]
    ws.close()


OPP = st.fixed_dictionaries({
    "amount": st.none() | st.decimals(min_value=-10**6, max_value=10**9, places=2),
    "close_date": st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
    "title": TEXT.filter(lambda t: t.strip() != ""),
    "owner": st.none() | st.sampled_from(["张伟", "lee"]),
    "checklist": st.none() | st.lists(st.sampled_from(["a.b", "中.文"]), max_size=3),
    "approvals": st.none() | st.lists(st.fixed_dictionaries(
        {"by": st.text(max_size=3), "on": st.just("2026-01-02")}), max_size=2),
    "forced": st.none() | st.booleans(),
})


@contextmanager
def stocked_opps(opps: list[dict[str, Any]], backend: str = "sqlite") -> Iterator[Any]:
    """A new store of the backend (SQLite in a temporary folder, or PostgreSQL) holding
    one customer and these deals."""
    with opened(backend) as s:
        with s.transaction():
            s.insert("customer", {"id": s.next_id("customer"), "name": "客户"})
            for opp in opps:
                s.insert("opportunity", {"id": s.next_id("opportunity"),
                                         "customer_id": "CU1", **opp})
        yield s


@per_store(25)
@given(st.lists(OPP, max_size=9), st.sampled_from([None, ["id", "amount", "close_date"]]),
       st.sampled_from([None, {"owner": "lee"}]),
       st.sampled_from([("id",), ("-amount",), ("close_date", "id"), ("-amount", "id")]),
       st.none() | st.integers(0, 5), st.integers(1, 4))
def test_column_pages_read_what_find_reads(store: str,  # noqa: F811
                                           opps: list[dict[str, Any]], fields: Any,
                                           where: Any, order: Any, limit: Any,
                                           size: int) -> None:
    """kam.storage.ColumnReads (SQLite, PostgreSQL) against the protocol's find/select."""
    from kam.storage import ColumnReads, RecordPages

    with opened(store) as s:
        assert isinstance(s, ColumnReads)
        with s.transaction():
            s.insert("customer", {"id": s.next_id("customer"), "name": "客户"})
            for opp in opps:
                s.insert("opportunity", {"id": s.next_id("opportunity"),
                                         "customer_id": "CU1", **opp})
        reference = list(s.find("opportunity", where, order_by=order, limit=limit)
                         if fields is None else
                         s.select("opportunity", fields, where, order, limit=limit))
        pages = list(s.column_pages("opportunity", fields, where, order, limit, size))
        assert all(1 <= len(cols[0]) <= size for _names, cols in pages)
        read = [dict(zip(names, values, strict=True))
                for names, cols in pages for values in zip(*cols, strict=True)]
        assert read == reference
        assert [list(map(type, r.values())) for r in read] == \
            [list(map(type, r.values())) for r in reference]
        both = RecordPages(lambda: iter(pages), lambda: iter(reference))
        wanted = ["title", "id", "nonesuch"]
        shown = [dict(zip(wanted, values, strict=True))
                 for _names, cols in both.columns(wanted)
                 for values in zip(*cols, strict=True)]
        assert shown == [{w: r.get(w) for w in wanted} for r in reference]
        assert list(both) == reference


@given(st.lists(st.lists(st.none() | st.integers(-10**6, 10**6), max_size=6), max_size=5))
def test_money_made_once_per_amount_is_money_made_per_cell(pages: list[list[Any]]) -> None:
    """SQLite's column reads make each distinct amount's Decimal once (cleared past a
    limit, here 3): the same values and texts as one Decimal per cell."""
    from kam.plugins.storage_sqlite.backend import _money, _MoneyMemo

    memo = _MoneyMemo()
    memo.LIMIT = 3
    for cents in pages:
        got = memo.column(cents)
        assert [None if v is None else str(v) for v in got] == \
            [None if c is None else str(_money(c)) for c in cents]
