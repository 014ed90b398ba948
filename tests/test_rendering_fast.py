"""The fast renderers print what the libraries they replace printed: kam.textable what
tabulate printed (a table of one page), kam.output's JSON what ``json.dumps(indent=2)``
printed; a long table comes out in pages whose widths never shrink."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import tabulate as tab
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam import textable
from kam.output import jsonable, to_json, write_rows

CELL = st.lists(st.sampled_from(list("ab 1-中文ｱé\n\t\r") + ["\x1b[31m", "x y"]),
                max_size=6).map("".join)


def tabulated(rows: list[list[str]], headers: list[str] | None, right: list[bool]) -> str:
    tab.WIDE_CHARS_MODE = True
    align = ["right" if r else "left" for r in right]
    if headers is None:
        return tab.tabulate(rows, tablefmt="plain", disable_numparse=True, colalign=align)
    return tab.tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True,
                        colalign=align)


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=1, max_size=6),
    st.none() | st.lists(CELL, min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n))))
@example(([["", "\n\n"], ["b", "-"]], ["文", " 1é文"], [False, False]))
@example(([["\n1文\n1", "x"], ["\n", " "]], None, [True, False]))
def test_table_is_what_tabulate_printed(case: tuple[Any, Any, Any]) -> None:
    rows, headers, right = case
    assert textable.table(rows, headers, right) == tabulated(rows, headers, right)


def test_a_long_table_comes_in_pages_whose_widths_never_shrink() -> None:
    rows = [["中" * (n % 7), str(n)] for n in range(25)]
    text = "".join(textable.lines(rows, ["name", "n"], [False, True], page=10))
    lines = text.split("\n")
    assert len(lines) == 2 + 25
    assert lines[:12] == tabulated(rows[:10], ["name", "n"], [False, True]).split("\n")
    assert [line.split("  ")[-1].strip() for line in lines[2:]] == [str(n) for n in range(25)]
    # every row's number ends in the same column: the first page's widths held
    assert {textable.width(line) for line in lines[2:]} == {textable.width(lines[2])}


_C1 = re.compile(r"[\x7f-\x9f]")


def dumped(value: Any) -> str:
    text = json.dumps(jsonable(value), ensure_ascii=False, indent=2)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


SCALAR = (st.none() | st.booleans() | st.integers() | st.decimals(allow_nan=False, places=2)
          | st.text(max_size=8) | st.dates() | st.sampled_from(["\x7f中\x85", "a\"\\\n"]))
JSONISH = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=20)
                       | st.dictionaries(st.text(max_size=4), inner, max_size=20), max_leaves=60)


@given(JSONISH)
@example({"rows": [{"n": n, "amount": Decimal("1.10")} for n in range(30)], "k": []})
@example([dt.datetime(2026, 1, 2, 3, 4), ("a", 1), {"x": {"y": set()}}])
@example("\x7f")
@example([{True: 1, "a\x7f": "中\x85"}, {1: 2, "a\x7f": None}, {"rows": [{"a\x7f": 1}] * 20}])
def test_json_is_what_json_dumps_printed(value: Any) -> None:
    assert to_json(value) == dumped(value)


KEYS = st.lists(st.sampled_from(["id", "amount", "a%s", "中\x85", "due", "x"]), min_size=1,
                max_size=4, unique=True)


def _records(keys: list[str], value: Any) -> Any:
    """Records of ``keys`` (most in that order, some in another or missing a key)."""
    same = st.fixed_dictionaries({k: value for k in keys})
    return same | st.dictionaries(st.sampled_from(keys), value, max_size=len(keys))


MILESTONES = KEYS.flatmap(lambda keys: st.none() | st.lists(_records(keys, SCALAR), max_size=3))
ROWS = st.tuples(KEYS, KEYS).flatmap(lambda keys: st.lists(
    _records(keys[0], SCALAR | MILESTONES), min_size=15, max_size=40))


@settings(max_examples=60, deadline=None)
@given(ROWS)
@example([{"n": n % 2 == 0 if n % 3 else n,
            "amount": Decimal("1.10") if n % 2 else Decimal(1) if n % 5 else None,
           "ms": [{"kind": "中\x85", "due": dt.date(2026, 1, 2), "days": None}]
           if n % 4 else ([] if n % 3 else None)} for n in range(600)])
def test_rows_encoded_a_page_at_a_time_are_what_json_dumps_printed(rows: list[Any]) -> None:
    """Long lists of records (a report's rows, their milestones) are encoded a page and a
    field at a time: the same text as json.dumps."""
    assert to_json({"rows": rows}) == dumped({"rows": rows})


def test_rows_written_as_they_come_are_the_rendered_list() -> None:
    rows = [{"id": f"OP{n}", "title": "项目" * (n % 3), "amount": Decimal(n)} for n in range(7)]
    for fmt in ("json", "csv", "table"):
        parts: list[str] = []
        write_rows(iter(rows), fmt, None if fmt == "json" else ["id", "title", "amount"],
                   parts.append)
        from kam.output import render

        expected = render(rows, fmt, None if fmt == "json" else ["id", "title", "amount"])
        assert "".join(parts) == expected + "\n"


def test_widths_known_without_wcwidth_are_wcwidths() -> None:
    from wcwidth import wcwidth

    known = [chr(o) for o in range(0x20, 0x10000)
             if chr(o) != "\n" and textable._known_widths(chr(o))]
    assert len(known) > 40000
    assert [textable.width(ch) for ch in known] == [wcwidth(ch) for ch in known]
    assert textable.width("中文ab（）") == 10


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("a \n中ア한（）é–✓✗\u200b\U0001f600ｱ\x7f"), max_size=40))
@example("✓")
@example("中\n✗")
def test_known_widths_by_characters_is_the_pattern(text: str) -> None:
    """Texts are judged by their sets of characters until a process has judged
    _SET_BUDGET characters, then by the pattern: the same answer either way (and later
    texts are not changed by what was met before)."""
    expected = textable._unknown_width_pattern().search(text) is None
    long = (text + "\n") * (4096 // (len(text) + 1) + 1)
    spent = textable._set_spent[0]
    try:
        for before in (0, textable._SET_BUDGET - len(long), textable._SET_BUDGET + 1):
            textable._set_spent[0] = before
            assert textable._known_widths(text) is expected
            assert textable._known_widths(text) is expected
            assert textable._known_widths(long) is expected
    finally:
        textable._set_spent[0] = spent


def test_known_widths_compiles_the_pattern_only_past_the_budget() -> None:
    """A report's few long columns never compile the ~60k code point pattern; a process
    that has judged more than _SET_BUDGET characters by sets uses it from then on."""
    spent = textable._set_spent[0]
    try:
        textable._unknown_width_pattern.cache_clear()
        textable._set_spent[0] = 0
        column = "\n".join(["智能变电站监控平台 二期", "Warehouse scanners"] * 600)
        assert textable._known_widths(column)
        assert textable._unknown_width_pattern.cache_info().currsize == 0
        assert textable._set_spent[0] == len(column)
        textable._set_spent[0] = textable._SET_BUDGET + 1
        assert textable._known_widths(column)
        assert not textable._known_widths(column + "✓")
        assert textable._unknown_width_pattern.cache_info().currsize == 1
    finally:
        textable._set_spent[0] = spent


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab 中ア（）éü–ｱ·"), max_size=12),
                min_size=1, max_size=8))
@example(["Müller", "张伟", "a–b", "ｱｲ"])
def test_column_widths_are_wcwidths(cells: list[str]) -> None:
    """A column's widths by characters and bytes (narrow non-ASCII characters made ASCII
    by the pattern's substitution) are wcwidth's, cell by cell."""
    from wcwidth import wcswidth

    joined = "\n".join(cells)
    assert textable._column_widths(cells, joined, joined.isascii()) == \
        [wcswidth(c) for c in cells]
    assert [textable.width(c) for c in cells] == [wcswidth(c) for c in cells]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab 中ア（）éü–ｱ·✓"), max_size=12),
                min_size=1, max_size=8))
@example(["张伟", "智能变电站 二期", "ab"])
@example(["Müller", "张伟", "éü"])
@example(["中✓"])
def test_a_long_tables_column_widths_are_wcwidths(cells: list[str]) -> None:
    """Once a process has judged many characters, a column of ASCII and wide characters
    is measured after one search (``_printable_or_wide``); every column still gets
    wcwidth's widths, cell by cell."""
    from wcwidth import wcswidth

    spent = textable._set_spent[0]
    try:
        textable._set_spent[0] = textable._SET_BUDGET + 1
        joined = "\n".join(cells)
        assert textable._column_widths(cells, joined, joined.isascii()) == \
            [wcswidth(c) for c in cells]
    finally:
        textable._set_spent[0] = spent


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("a \n\0\t\u3000\x85\u2028中"), max_size=20))
@example("a \nb")
@example("a\n\nb")
@example("\na")
@example("a\u3000\nb")
def test_the_line_end_space_pattern_is_white_space_before_a_line_break(text: str) -> None:
    """``_LINE_END_SPACE`` (written to start at the line break) finds what ``\\s\\n``
    finds."""
    import re

    assert (textable._LINE_END_SPACE.search(text) is None) == \
        (re.search(r"\s\n", text) is None)
