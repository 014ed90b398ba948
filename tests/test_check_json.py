"""``kam check -f json`` writes its result as kam.output's JSON writer does, byte for
byte, though its flat rows go through the C encoder (kam.check_json)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam import check_json
from kam.check_json import JsonTexts, TextRows, chunks
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


TEXT_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(
    alphabet=st.sampled_from('a9 -"\\/{},\n\t\x00\x7f\x80\x9f逾期😀'), max_size=5),
    st.decimals(allow_nan=False, allow_infinity=False, places=2), st.dates())
TEXT_ROW = st.fixed_dictionaries({"id": TEXT_VALUE, "kind": TEXT_VALUE,
                                  "notes": st.lists(TEXT_VALUE | ROW, max_size=2),
                                  "at": TEXT_VALUE})


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT_ROW, min_size=1, max_size=12), st.integers(1, 4))
@example([{"id": "RC1", "kind": "}", "notes": [], "at": None},
          {"id": "{", "kind": "},", "notes": [{"逾": "x"}], "at": 1},
          {"id": "\x85", "kind": "a", "notes": [], "at": ""}], 2)
def test_text_rows_are_json_chunks(rows: list[dict[str, Any]], page: int) -> None:
    """Rows of text written a page per C encoder call (pages of ``page`` rows) read as
    ``json_chunks`` writes them: rows with a nested list, braces and commas in the text,
    C1 and DEL characters, a page boundary anywhere."""
    before = check_json.PAGE
    check_json.PAGE = page
    try:
        lazy = TextRows(len(rows), lambda: iter(rows), ("notes",))
        assert ("".join(chunks({"overdue": lazy, "after": []}))
                == "".join(json_chunks({"overdue": rows, "after": []})))
        flat = [{k: v for k, v in row.items() if k != "notes"} for row in rows]
        lazy = TextRows(len(flat), lambda: iter(flat), ())
        assert "".join(chunks({"new": lazy})) == "".join(json_chunks({"new": flat}))
        assert ("".join(chunks({"flagged": TextRows.of(rows), "renewals": TextRows.of(flat)}))
                == "".join(json_chunks({"flagged": rows, "renewals": flat})))
    finally:
        check_json.PAGE = before


def _encoded(row: dict[str, Any]) -> str:
    """A flat row as a backend's :class:`kam.storage.OverdueJson` writes it: the C
    encoder's text at the list's indent, DEL and C1 left raw."""
    return "{\n      " + ",\n      ".join(
        f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False, default=str)}"
        for k, v in row.items()) + "\n    }"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(TEXT_ROW, st.booleans()), min_size=1, max_size=12),
       st.integers(1, 4))
@example([({"id": "\x85", "kind": "a", "notes": [], "at": "\x7f"}, True),
          ({"id": "RC2", "kind": "}", "notes": [{"逾": "x"}], "at": None}, False),
          ({"id": "RC3", "kind": "a", "notes": [], "at": 1}, False),
          ({"id": "RC4", "kind": "逾期", "notes": [], "at": ""}, True)], 1)
def test_json_texts_are_json_chunks(rows: list[tuple[dict[str, Any], bool]], page: int
                                    ) -> None:
    """Rows given as their JSON text (where a backend wrote them) among rows given as
    dicts read as ``json_chunks`` writes the dicts: DEL and C1 escaped in the texts, runs
    of either kind, a page boundary anywhere."""
    before = check_json.PAGE
    check_json.PAGE = page
    try:
        given_ = [_encoded(row) if as_text and not row["notes"] else row
                  for row, as_text in rows]
        lazy = JsonTexts(len(given_), lambda: iter(given_), ("notes",))
        dicts = [row for row, _ in rows]
        assert ("".join(chunks({"overdue": lazy, "after": []}))
                == "".join(json_chunks({"overdue": dicts, "after": []})))
    finally:
        check_json.PAGE = before
