"""All-row lists read a page of columns at a time print what the per-record reference
printed: json cells from the stored text (kam.storage.JsonText) against the decoded
value's cells, SQLite's ``stored_text_pages`` (json and dates as stored) against its
reference, and ``receivable
list``'s view built by column against kam.models.receivable_state.receivable_view."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam import column_text
from kam.models.receivable_state import receivable_view
from kam.output import cell, neutralise, to_csv, write_rows
from kam.services.receivable_pages import VIEW_FIELDS, view_page
from kam.storage import JsonText, StoredTextPages, stored_text_pages
from kam.stored import JSON_TEXT
from test_aggregates import per_store, store  # noqa: F401  (the fixture)
from test_column_text import OPP, stocked_opps

JSON_TEXTS = st.text(alphabet=st.sampled_from(list('ab ,"\\[]{}:=-中\x7f\x85\n')), max_size=5)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | JSON_TEXTS
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_TEXTS, inner, max_size=3),
    max_leaves=8)


@settings(suppress_health_check=[HealthCheck.too_slow])  # a loaded machine stalls a draw
@given(st.lists(JSON, max_size=8))
@example([["a", "b"], ["a", 1], [1, "a"], ["a", ["b"]], ["a", {"b": "c"}], ['a"', "b"],
          ["a\\", "b"], ["", ""], [""], [], {}, "=1", "x", 5, 1.5, True, ["a, b", "c"],
          ["a", "b", 1], [["a"]], [{"k": "v"}, "a"]])
def test_a_json_cell_from_its_stored_text_is_the_decoded_cell(values: list[Any]) -> None:
    stored = [None if v is None else JsonText(JSON_TEXT(v)) for v in values]
    assert column_text.texts(stored) == [cell(v) for v in values]
    assert column_text.csv_texts(stored) == [neutralise(cell(v)) for v in values]


@per_store(25)
@given(st.lists(OPP, max_size=9),
       st.sampled_from([None, ["id", "approvals", "checklist", "close_date"]]),
       st.sampled_from([None, {"owner": "lee"}]),
       st.sampled_from([("id",), ("-close_date", "id")]), st.none() | st.integers(0, 5),
       st.integers(1, 4), st.booleans())
def test_stored_text_pages_are_the_reference(store: str,  # noqa: F811
                                           opps: list[dict[str, Any]], fields: Any,
                                           where: Any, order: Any, limit: Any, size: int,
                                           german: bool) -> None:
    """kam.storage.StoredTextPages (SQLite, PostgreSQL) against
    kam.storage.stored_text_pages (PostgreSQL also with a session's DateStyle not ISO:
    dates then made ISO by the server)."""
    with stocked_opps(opps, store) as s:
        assert isinstance(s, StoredTextPages)
        if store == "postgres" and german:
            s.conn.execute("SET DateStyle = 'German, DMY'")
        fast = list(s.stored_text_pages("opportunity", fields, where, order, limit, size))
        reference = list(stored_text_pages(s, "opportunity", fields, where, order, limit,
                                           size))
    assert [(n, list(map(list, cols))) for n, cols in fast] == \
        [(n, list(map(list, cols))) for n, cols in reference]
    assert [[list(map(type, c)) for c in cols] for _n, cols in fast] == \
        [[list(map(type, c)) for c in cols] for _n, cols in reference]


MONEY = st.none() | st.decimals(min_value=-10**6, max_value=10**6, places=2)
DAY = st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
MILESTONE = st.fixed_dictionaries({
    "amount": MONEY, "paid": MONEY, "written_off": MONEY, "due_date": DAY,
    "written_off_on": DAY, "written_off_by": st.sampled_from([None, "", "王总"]),
    "due_offset": st.sampled_from([None, "", "+30d"]),
    "collection_notes": st.none() | st.lists(st.fixed_dictionaries(
        {"reason": st.just("budget"), "on": st.just("2026-05-01")}), max_size=2),
})


@given(st.lists(MILESTONE, min_size=1, max_size=8),
       st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
       st.sampled_from([None, "overdue", "paid", "partially_paid"]), st.booleans())
@example([{"amount": Decimal(0).scaleb(-2), "paid": None, "written_off": None,
           "due_date": None, "written_off_on": None, "written_off_by": "",
           "due_offset": "", "collection_notes": None}], dt.date(2026, 6, 30), None, False)
def test_the_view_by_column_is_the_view_of_each_milestone(
        milestones: list[dict[str, Any]], today: dt.date, state: str | None,
        overdue: bool) -> None:
    records = [{"id": f"RC{n}", "contract_id": "CT1", "customer_id": "CU1", "kind": "final",
                "seq": n, **m} for n, m in enumerate(milestones)]
    names = list(records[0])
    columns = [[r[n] for r in records] for n in names]

    def keep(states: list[str], days: list[int]) -> list[bool]:
        return [(not overdue or d != 0) and (state is None or s == state)
                for s, d in zip(states, days, strict=True)]

    views = [v for v in (receivable_view(r, today) for r in records)
             if (not overdue or v["days_overdue"] != 0) and (state is None or v["state"] == state)]
    page = view_page(names, columns, today, keep)
    if not views:
        assert page is None
        return
    assert page is not None
    got_names, got = page
    assert got_names == list(VIEW_FIELDS) == list(views[0])
    assert [list(c) for c in got] == [[v[n] for v in views] for n in VIEW_FIELDS]
    dates = {"due_date", "written_off_on"}
    as_text = [[None if not c else JsonText(JSON_TEXT(c)) for c in col]
               if n == "collection_notes" else
               [None if c is None else c.isoformat() for c in col] if n in dates else col
               for n, col in zip(names, columns, strict=True)]
    from_text = view_page(names, as_text, today, keep)
    assert from_text is not None
    assert [column_text.csv_texts(c) for c in from_text[1]] == \
        [column_text.csv_texts(c) for c in got]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kam.demo import build_demo
    from kam.plugin_manager import Plugins

    path = tmp_path_factory.mktemp("lists") / "demo"
    build_demo(path, Plugins())
    return path


@pytest.mark.parametrize("as_of", ["2026-03-01", "2026-09-30", "2027-06-30"])
def test_receivable_list_by_column_prints_the_reference(demo: Path, as_of: str) -> None:
    """Through the service on SQLite: csv and table from the column pages equal csv and
    table from the records (filters included)."""
    from kam.plugin_manager import Plugins
    from kam.services import receivables
    from kam.storage import RecordPages
    from kam.workspace import Workspace

    ws = Workspace.open(demo, plugins=Plugins(), as_of=as_of)
    try:
        shown = 0
        for options in ({}, {"overdue": True}, {"state": "paid"}, {"state": "逾期"},
                        {"overdue": True, "state": "partially_paid"}):
            rows = receivables.list_(ws, **options)
            assert isinstance(rows, RecordPages)
            records = list(rows.records())
            shown += len(records)
            parts: list[str] = []
            write_rows(receivables.list_(ws, **options), "csv", [], parts.append)
            assert "".join(parts) == to_csv(records, list(VIEW_FIELDS) if records else [])
            columns = ["id", "amount", "outstanding", "state", "days_overdue"]
            table: list[str] = []
            write_rows(receivables.list_(ws, **options, fields=columns), "table", columns,
                       table.append)
            reference: list[str] = []
            write_rows(iter(records), "table", columns, reference.append)
            assert "".join(table) == "".join(reference)
        assert shown > 0
    finally:
        ws.close()


def test_receivable_list_as_csv_is_its_json_on_every_backend(kam: Any) -> None:
    """Through the CLI on each backend (SQLite and PostgreSQL from the rows the database
    computes, CSV by record): the csv of ``receivable list`` holds the cells of its json,
    filters included."""
    from test_contracts import LI, contract

    co = contract(kam, kam.ready_deal("1000000"))
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "李经理", env=LI)
    kam.ok("contract", "sign", co, "--as-of", "2026-03-02")
    for options in ((), ("--state", "scheduled"), ("--overdue", "--as-of", "2030-01-01")):
        records = kam.json("receivable", "list", *options)
        csv = kam.ok("receivable", "list", *options, "-f", "csv").stdout
        assert csv == to_csv(records, list(VIEW_FIELDS) if records else [])
    assert records
