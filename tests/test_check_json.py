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


MILESTONE = st.tuples(TEXT_VALUE, TEXT_VALUE, TEXT_VALUE, TEXT_VALUE, TEXT_VALUE,
                      TEXT_VALUE, TEXT_VALUE, TEXT_VALUE | st.floats(allow_nan=False))
EVENT_ID = st.none() | st.text(alphabet=st.sampled_from('EV19"\\\x85\x7f逾'), max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(MILESTONE, st.lists(st.tuples(st.sampled_from([0, 1, 30, 90]),
                                                        EVENT_ID), min_size=1, max_size=5)),
                max_size=8), st.integers(1, 4))
@example([(("RC1", "CO1", "CU1", "down_payment", dt.date(2026, 3, 12), 110,
            Decimal("300000.00"), "CNY"), [(0, "EV1"), (1, "EV2"), (30, "EV3")]),
          (("RC2", None, "CU\x85", "}", dt.date(2026, 6, 30), 0, Decimal("-1.5"), 1.5),
           [(0, None), (90, "EV\x7f")])], 2)
def test_reminder_texts_are_the_lines_json(fired: list[tuple[tuple[Any, ...],
                                                              list[tuple[int, Any]]]],
                                           page: int) -> None:
    """``kam check -f json``'s reminder lines from their milestones' fields, each encoded
    once (``reminder_texts``), read as the lines' dicts written by ``json_chunks``: odd
    text (quotes, C1, DEL, braces), dates, Decimals, a float (not flat), no event id."""
    reminders = [(m, fields, level, event_id) for m, (fields, levels) in enumerate(fired)
                 for level, event_id in levels]
    dicts = [{"action": "overdue" if level else "due", "level": level or None,
              **dict(zip(check_json.REMINDER_KEYS, fields, strict=True)),
              "event_id": event_id} for _, fields, level, event_id in reminders]
    before = check_json.PAGE
    check_json.PAGE = page
    try:
        lazy = JsonTexts(len(reminders),
                         lambda: check_json.reminder_texts(iter(reminders)), ())
        assert "".join(chunks({"new": lazy})) == "".join(json_chunks({"new": dicts}))
    finally:
        check_json.PAGE = before
