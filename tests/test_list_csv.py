"""``kam … list -f csv`` of every field from the lines SQLite makes
(kam.storage.ListCsvLines, kam.list_csv.csv_text) is byte for byte the csv the list
writes from ``stored_text_pages`` (``csv_text_reference``) on random records of every
field type: texts a spreadsheet would run or a terminal would obey, quotes, commas and
line breaks, money of any sign, json objects, lists of texts (escaped or not) and
anything else json holds, and values stored as kam never stores them (money not in
whole cents, decimals ``Decimal`` writes otherwise, json that is a number or a text)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.kinds import KINDS
from kam.list_csv import csv_text, csv_text_reference
from kam.storage import ListCsvLines

TEXT = st.sampled_from([None, "", "a", "王总", "=1+1", "+10d", "-5d", "+5", "-1.5", "@x",
                        "\tx", "a,b", 'say "hi"', "a\nb", "\x1b[31m", "x\x85", "d", " ",
                        "a\rb", "'x", "a, b"])
JSON = st.sampled_from([None, [], {}, ["a"], ["a", "b"], ["a,b"], ['say "hi"'], ["a\\b"],
                        [""], ["=x", "b"], [1, 2], ["a", 1], [{"on": "2026-05-01"}],
                        {"k": "v", "n": 1}, {"k": "=x"}, {"k": "a\x1bb"}, ["\x85"],
                        [None], [[1]], {"a": [1, "b"]}])
VALUE: dict[str, Any] = {
    "text": TEXT, "date": st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    "datetime": st.none() | st.sampled_from(["2026-01-02T03:04:05+00:00"]),
    "money": st.none() | st.decimals(-10**8, 10**8, places=2)
    | st.sampled_from([Decimal("0.00"), Decimal("-0.01"), Decimal("99.99")]),
    "decimal": st.none() | st.sampled_from([Decimal("41"), Decimal("0"), Decimal("12.5"),
                                             Decimal("-3"), Decimal("0.5"), Decimal("100")]),
    "int": st.none() | st.integers(-5, 100), "bool": st.none() | st.booleans(),
    "json": JSON,
}
#: values stored as kam never stores them, written by SQL: (field type, stored value)
ODD = st.sampled_from([
    ("money", 5.5), ("money", "12"), ("decimal", "041"), ("decimal", "1."),
    ("decimal", ".5"), ("decimal", "1E+2"), ("decimal", "0.0000001"), ("decimal", 7),
    ("int", 2.5), ("int", "x"), ("bool", "0"), ("json", "null"), ("json", '"text"'),
    ("json", "12"), ("json", '["a\\u0001"]'), ("json", "[1,2]"),
])
KIND_NAMES = ("opportunity", "customer", "contact")


def records(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    fields = [f for f in KINDS[kind].fields if f.name != "id"]
    return st.fixed_dictionaries({f.name: VALUE.get(f.type, TEXT) for f in fields})


@contextmanager
def stocked(kind: str, rows: list[dict[str, Any]], odd: list[tuple[int, str, Any]]
            ) -> Iterator[Any]:
    from kam.plugins.storage_sqlite.backend import SQLiteStorage

    with tempfile.TemporaryDirectory() as tmp:
        s = SQLiteStorage(Path(tmp) / "kam.db")
        s.conn.execute("PRAGMA foreign_keys = OFF")  # no customers needed
        try:
            with s.transaction():
                ids = []
                for row in rows:
                    rid = s.next_id(kind)
                    s.insert(kind, {"id": rid, **row})
                    ids.append(rid)
                for at, ftype, stored in odd:
                    names = [f.name for f in KINDS[kind].fields if f.type == ftype]
                    if ids and names:
                        s.conn.execute(f'UPDATE "{kind}" SET "{names[at % len(names)]}" = ? '
                                       "WHERE id = ?", (stored, ids[at % len(ids)]))
            yield s
        finally:
            s.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(KIND_NAMES).flatmap(lambda k: st.tuples(
    st.just(k), st.lists(records(k), max_size=6),
    st.lists(st.tuples(st.integers(0, 50), ODD).map(lambda t: (t[0], *t[1])), max_size=3))),
    st.sampled_from([None, 2]), st.booleans())
@example(("opportunity", [], []), None, False)
def test_lines_from_sqlite_are_the_reference_csv(case: tuple[str, list[dict[str, Any]],
                                                             list[tuple[int, str, Any]]],
                                                 limit: int | None, descending: bool
                                                 ) -> None:
    kind, rows, odd = case
    order = ("-id",) if descending else ("id",)
    with stocked(kind, rows, odd) as s:
        assert isinstance(s, ListCsvLines)
        fast = "".join(csv_text(s, s, kind, None, order, limit))
        reference = "".join(csv_text_reference(s, kind, None, order, limit))
        assert fast == reference


def test_a_page_of_plain_rows_is_written_as_the_database_made_it() -> None:
    """The lines are used as made (no page redone) when nothing needs escaping."""
    import kam.list_csv as list_csv

    rows = [{"name": f"客户 {i}", "owner": "王总", "fields": {"offset": "+10d", "k": "a, b"}}
            for i in range(3)]  # "+10d" inside a quoted json cell starts no cell
    with stocked("customer", rows, []) as s:
        redone: list[Any] = []
        real = list_csv._reference_lines
        list_csv._reference_lines = lambda *a: redone.append(a) or real(*a)
        try:
            fast = "".join(csv_text(s, s, "customer", None, ("id",), None))
        finally:
            list_csv._reference_lines = real
        assert not redone
        assert fast == "".join(csv_text_reference(s, "customer", None, ("id",), None))
