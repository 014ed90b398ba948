"""``receivable list -f csv`` from the rows SQLite and PostgreSQL compute
(kam.storage.ReceivableCsvRows, kam.services.receivable_pages.csv_text) is byte for byte
the csv of the view built in Python (``csv_text_reference``) on random milestones: every
state, money of any sign, texts a spreadsheet would run or a terminal would obey, notes
that are objects or texts, money stored as no whole cents (SQLite: made by the
reference; PostgreSQL's ``NUMERIC(20,2)`` cannot hold it)."""

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
from kam.services.receivable_pages import csv_text, csv_text_reference
from kam.storage import ReceivableCsvRows
from test_aggregates import opened, store  # noqa: F401  (the fixture)

TEXT = st.sampled_from([None, "", "a", "王总", "=1+1", "+10d", "-5d", "+5", "-1.5", "@x",
                        "\tx", "a,b", 'say "hi"', "a\nb", "\x1b[31m", "x\x85", "+d", "d"])
MONEY = st.none() | st.integers(-10**8, 10**8) | st.sampled_from([0, 1, -1, 99, -100])
DAY = st.none() | st.dates(dt.date(2025, 12, 1), dt.date(2027, 1, 31))
NOTES = st.none() | st.lists(st.fixed_dictionaries(
    {"reason": st.sampled_from(["budget", "=x"]), "on": st.just("2026-05-01")}),
    max_size=2) | st.lists(TEXT.filter(lambda t: t is not None), max_size=2)
MILESTONE = st.fixed_dictionaries({
    "contract_id": st.sampled_from(["CO1", "CO2", "=CO3"]), "seq": st.integers(1, 3),
    "kind": TEXT, "share": TEXT, "currency": st.sampled_from([None, "CNY", "USD"]),
    "amount": MONEY, "paid": MONEY, "written_off": MONEY, "due_date": DAY,
    "written_off_on": DAY, "written_off_by": TEXT, "write_off_reason": TEXT,
    "due_offset": TEXT, "collection_notes": NOTES, "trigger_on": DAY, "paid_on": DAY,
    # money stored as no whole cents (only an import of a foreign file could)
    "odd": st.sampled_from([None, None, None, 5.5, 12.0]),
})
READS = (({"due_date__isnull": False}, ("due_date", "contract_id", "seq")),
         ({"due_date__isnull": True}, ("contract_id", "seq")))


@contextmanager
def stocked(milestones: list[dict[str, Any]], backend: str = "sqlite") -> Iterator[Any]:
    """A store holding these milestones (money in cents): SQLite in a temporary folder
    (no customer or contract needed), or a fresh PostgreSQL database (with the customer
    and contracts they belong to; money stored as no whole cents left as it is)."""
    if backend == "postgres":
        with opened(backend) as pg:
            with pg.transaction():
                pg.insert("customer", {"id": "CU1", "name": "客户"})
                for co in sorted({m["contract_id"] for m in milestones}):
                    pg.insert("contract", {"id": co, "customer_id": "CU1"})
                _inserted(pg, milestones)
            yield pg
        return
    from kam.plugins.storage_sqlite.backend import SQLiteStorage

    with tempfile.TemporaryDirectory() as tmp:
        s = SQLiteStorage(Path(tmp) / "kam.db")
        s.conn.execute("PRAGMA foreign_keys = OFF")  # no customers or contracts needed
        try:
            with s.transaction():
                for rid, m in _inserted(s, milestones):
                    if m["odd"] is not None:
                        s.conn.execute("UPDATE receivable SET amount = ? WHERE id = ?",
                                       (m["odd"], rid))
            yield s
        finally:
            s.close()


def _inserted(s: Any, milestones: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """The milestones inserted (money from cents), each with its new id."""
    out = []
    for m in milestones:
        rid = s.next_id("receivable")
        s.insert("receivable", {
            "id": rid, "customer_id": "CU1",
            **{k: Decimal(v).scaleb(-2) if k in ("amount", "paid", "written_off")
               and v is not None else v for k, v in m.items() if k != "odd"}})
        out.append((rid, m))
    return out


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(MILESTONE, max_size=12), st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
       st.sampled_from([None, "overdue", "paid", "partially_paid", "written_off", "due"]),
       st.booleans(), st.sampled_from([None, {"contract_id": "CO1"}]), st.booleans())
@example([{"contract_id": "CO1", "seq": 1, "kind": None, "share": None, "currency": None,
           "amount": 100, "paid": None, "written_off": None, "due_date": None,
           "written_off_on": None, "written_off_by": None, "write_off_reason": None,
           "due_offset": "+10d", "collection_notes": [], "trigger_on": None, "paid_on": None,
           "odd": None}], dt.date(2026, 6, 30), None, False, None, False)
@example([{"contract_id": "CO1", "seq": 1, "kind": "a", "share": None, "currency": "CNY",
           "amount": 100, "paid": None, "written_off": None, "due_date": d,
           "written_off_on": None, "written_off_by": None, "write_off_reason": None,
           "due_offset": None, "collection_notes": notes, "trigger_on": d, "paid_on": None,
           "odd": None} for d, notes in ((dt.date(2026, 6, 30), [{"on": "2026-05-01"}]),
                                         (dt.date(2026, 6, 29), ["=x"]))],
         dt.date(2026, 6, 30), None, False, None, True)  # due today: due, not overdue
def test_csv_from_sql_rows_is_the_reference(store: str,  # noqa: F811
                                            milestones: list[dict[str, Any]],
                                            today: dt.date, state: str | None,
                                            overdue: bool, where: Any, german: bool
                                            ) -> None:
    """(PostgreSQL also with a session's DateStyle not ISO: dates then made ISO by the
    server.)"""
    reads = [({**(where or {}), **w}, order) for w, order in READS]
    with stocked(milestones, store) as s:
        assert isinstance(s, ReceivableCsvRows)
        if store == "postgres" and german:
            s.conn.execute("SET DateStyle = 'German, DMY'")
        fast = "".join(csv_text(s, s, reads, today, overdue, state))
        reference = "".join(csv_text_reference(s, reads, today, overdue, state))
    assert fast == reference
    shown = [m for m in milestones if where is None or m["contract_id"] == "CO1"]
    if not overdue and state is None:  # every milestone selected: a line each
        assert fast.count("\n") - fast.count('\n"') >= len(shown)


def test_csv_rows_come_in_pages_as_read(store: str) -> None:  # noqa: F811
    """More milestones than a page: every row once, in the list's order."""
    milestones = [{"contract_id": f"CO{i % 7}", "seq": i % 3, "amount": i * 10,
                   "due_date": None if i % 5 == 0 else dt.date(2026, 1, 1 + i % 28)}
                  for i in range(1, 1201)]
    with stocked([{**m, "odd": None} for m in milestones], store) as s:
        fast = "".join(csv_text(s, s, READS, dt.date(2026, 1, 15)))
        reference = "".join(csv_text_reference(s, READS, dt.date(2026, 1, 15)))
    assert fast == reference
    assert fast.count("\n") == 1201


CELL = st.text(alphabet=st.sampled_from(list("a中,\"'\n\r\t =+-@.5\x1b\x85\x7f\x00é·")),
               max_size=4)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6))
@example([["a", "b", "-5"]])
@example([["a", "x\x85", "b"]])
@example([["=a,b", "c", "d"]])  # a quoted first cell that starts as a formula
@example([["a", '+"b', "c"], ["d", "e,f", '"=g']])  # quoted cells starting with + and "
def test_a_page_let_through_needs_no_escaping(rows: list[list[str]]) -> None:
    """kam.column_text.may_escape_csv never lets through a page whose csv_texts differ
    (it may flag more: those pages are escaped a column at a time, the same cells)."""
    import csv
    import io

    from kam.column_text import csv_texts, may_escape_csv

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    if not may_escape_csv(buf.getvalue()):
        for column in zip(*rows, strict=True):
            assert csv_texts(list(column)) == list(column)
