"""A list's cells as text a column at a time (按列格式化), for the csv and table renderers.

:func:`texts` gives exactly ``[kam.output.cell(v) for v in values]`` and
:func:`csv_texts` ``[neutralise(cell(v)) …]`` — byte for byte, checked on random values
(tests/test_column_text.py) — but a value's text is chosen by its exact type in one
lookup, and the rare work (control characters made visible, cells a spreadsheet would
run) is found by one search over the whole column of a page instead of one per cell.
A big list's time was in the per-cell path; these keep it to the cells that need it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import islice
from operator import itemgetter
from typing import Any

from kam.column_pages import RecordRuns
from kam.output import FORMULA_START, LazyList, _cell, _quote, jsonable, neutralise
from kam.storage import JsonText
from kam.text import visible
from kam.values import lazy_pattern

RECORD_PAGE = 500
"""Records formatted at a time (whole records held: a smaller page keeps memory flat;
the table renderer still lays out pages of 2,000 rows of text)."""

_NONE = type(None)
#: control characters kam.text.visible escapes (the same set)
_UNPRINTABLE = lazy_pattern(globals(), "_UNPRINTABLE", r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: a cell (after a line break in the joined column) that neutralise may change: one
#: search over the column (six substring searches took four times as long)
_FORMULA = lazy_pattern(globals(), "_FORMULA", "\n[" + re.escape("".join(FORMULA_START)) + "]")
#: values that JSON encodes as themselves (no dict keys below them to check)
_LEAF = frozenset({str, int, float, bool, _NONE, Decimal, dt.date, dt.datetime})
#: values whose cell neutralise leaves as it is (a number, negative or not, or a date)
_NUMBERS_AND_DATES = frozenset({int, Decimal, dt.date, dt.datetime, _NONE})
#: values whose JSON form is never a string (a list holding one is not "all texts")
_NEVER_TEXT = frozenset({dict, list, tuple, int, float, bool, _NONE})


def _str_keys(value: Any) -> bool:
    """Every mapping inside ``value`` keyed by exact ``str`` (then ``json.dumps`` sorts and
    writes the keys as jsonable's ``str(k)`` would)."""
    if isinstance(value, dict):
        for k in value:
            if type(k) is not str:
                return False
        inner: Iterable[Any] = value.values()
    elif isinstance(value, list | tuple):
        inner = value
    else:
        return True
    for v in inner:
        if type(v) not in _LEAF and not _str_keys(v):
            return False
    return True


def _compound(value: Any) -> str:
    """``_cell`` of a list or dict: texts joined by commas, anything else as sorted JSON —
    without jsonable's copy of it (``default=jsonable`` converts what JSON cannot)."""
    if type(value) is list:
        if not value:
            return ""  # ",".join([]): a milestone without collection notes
        try:
            return ",".join(value)
        except TypeError:
            if not any(type(v) in _NEVER_TEXT for v in value):
                return _cell(value)  # Decimals or dates: texts once converted
    if _str_keys(value):
        try:
            return "".join(_sorted_json(value, 0))
        except (TypeError, ValueError, RecursionError):
            pass
    return _cell(value)  # the reference: raises what it raised


def _json_encoder() -> Callable[[Any, int], Iterable[str]]:
    """``json.dumps(…, ensure_ascii=False, sort_keys=True, default=jsonable)``'s encoder,
    made once (json.dumps makes one per call; no circular check: a cycle ends in
    RecursionError and goes to the reference, which names it)."""
    from json import encoder

    c_make_encoder = encoder.c_make_encoder  # type: ignore[attr-defined]
    if c_make_encoder is None:  # pragma: no cover - CPython has it
        return lambda v, _level: (json.dumps(v, ensure_ascii=False, sort_keys=True,
                                             default=jsonable),)
    made: Callable[[Any, int], Iterable[str]] = c_make_encoder(
        None, jsonable, encoder.encode_basestring, None, ": ", ", ", True, False, True)
    return made


_sorted_json = _json_encoder()


def _json_text(text: JsonText) -> str:
    """The cell of the json value ``text`` is the canonical text of (kam.storage.JsonText):
    that text itself for an object or a list whose first item is no text — json as
    :func:`_compound` writes it, the same bytes; anything else decoded first (a list of
    texts is joined by commas)."""
    if text == "[]":
        return ""  # ",".join([])
    first, second = text[:1], text[1:2]
    if first == "{" or (first == "[" and second not in '"]'):
        return text
    if second == '"' and first == "[" and text[-2:] == '"]' and "\\" not in text:
        joined = text[2:-2].replace('", "', ",")  # nothing escaped: every " ends a text
        if '"' not in joined:  # ["a", "b"]: only texts
            return joined
    value = json.loads(text)
    return _TEXT.get(type(value), _cell)(value) if type(value) is not str else value


#: exact type → its cell text before control characters are made visible
_TEXT: dict[type, Callable[[Any], str]] = {
    bool: lambda v: "true" if v else "false", int: int.__repr__, float: float.__repr__,
    Decimal: Decimal.__str__, dt.date: dt.date.isoformat, dt.datetime: dt.datetime.isoformat,
    list: _compound, dict: _compound, JsonText: _json_text,
}


#: exact type → its JSON text as ``_sorted_json`` writes it (``default=jsonable``: money
#: and dates as quoted texts); floats (NaN), datetimes and texts' subclasses are not here
_JSON: dict[type, Callable[[Any], str]] = {
    str: _quote, _NONE: lambda _v: "null", bool: lambda v: "true" if v else "false",
    int: int.__repr__, Decimal: '"%s"'.__mod__, dt.date: '"%s"'.__mod__,
}


def _json_field(values: Sequence[Any]) -> list[str] | None:
    """Each value's JSON text, or None when a value is of a type :data:`_JSON` does not
    hold. Texts, dates, numbers and gaps repeat: each distinct one is converted once
    where equal values have one text (not money: 1.0 and 1.00 are equal)."""
    kinds = set(map(type, values))
    if not kinds <= _JSON.keys():
        return None
    if len(kinds - {_NONE}) <= 1 and not kinds & {Decimal, bool}:
        made = {v: _JSON[type(v)](v) for v in set(values)}
        return list(map(made.__getitem__, values))
    if len(kinds) == 1:
        return list(map(_JSON[next(iter(kinds))], values))
    json_of = _JSON.__getitem__
    return [json_of(type(v))(v) for v in values]


def _record_lists(values: Sequence[Any]) -> list[str] | None:
    """``_compound`` of each list in a column of lists of flat records (e.g. the battle
    map's milestones: dicts of the same text keys, values texts, numbers, money, dates or
    None; or a :class:`kam.column_pages.RecordRuns`): each field's values turned to JSON
    a column at a time and each record made by one ``%`` template, the keys sorted once
    — instead of one encoder call and a callback per amount and date per record. None
    (the caller goes cell by cell) for anything else."""
    if type(values) is RecordRuns:
        keys, counts = values.keys, values.counts
        if not _record_keys(keys):
            return None
        fields: dict[str, Sequence[Any]] = dict(zip(keys, values.fields, strict=True))
        if len(fields) < len(keys):
            return None
    else:
        records = [r for v in values if v for r in v]
        if not records or set(map(type, records)) != {dict}:
            return None
        keys = tuple(records[0])
        if not _record_keys(keys) or set(map(len, records)) != {len(keys)}:
            return None  # not the same size, or a key missing: not the same keys
        counts = [len(v) if v else 0 for v in values]
        fields = {}
        for key in keys:
            try:
                fields[key] = list(map(itemgetter(key), records))
            except KeyError:
                return None
    parts: list[list[str]] = []
    for key in sorted(keys):  # sort_keys: the keys' code points
        field = _json_field(fields[key])
        if field is None:
            return None
        parts.append(field)
    template = "{" + ", ".join(f"{_quote(k).replace('%', '%%')}: %s" for k in sorted(keys)) + "}"
    made = list(map(template.__mod__, zip(*parts, strict=True)))
    out: list[str] = []
    at = 0
    for n in counts:
        if not n:
            out.append("")  # None, or a list without records: ",".join([])
            continue
        out.append("[" + ", ".join(made[at:at + n]) + "]")
        at += n
    return out


def _record_keys(keys: Sequence[Any]) -> bool:
    """Keys :func:`_record_lists` writes by template: two or more, all texts."""
    return len(keys) >= 2 and all(type(k) is str for k in keys)


def texts(values: Sequence[Any]) -> list[str]:
    """``[kam.output.cell(v) for v in values]``."""
    return _texts(values, _kinds(values))


def _kinds(values: Sequence[Any]) -> set[type]:
    """The values' exact types (a column of lists of records: lists)."""
    return {list} if type(values) is RecordRuns else set(map(type, values))


def _texts(values: Sequence[Any], kinds: set[type]) -> list[str]:
    """:func:`texts`, given the values' exact types."""
    out: list[str]
    if kinds <= {str, _NONE}:  # a text column, perhaps with gaps
        out = list(values) if _NONE not in kinds else ["" if v is None else v for v in values]
    elif kinds - {_NONE} == {list} and (made := _record_lists(values)) is not None:
        out = made  # lists of records (the battle map's milestones): a field at a time
        joined = " ".join(out)
        if joined.isascii() and "\x7f" not in joined:  # JSON escapes the C0 controls:
            return out  # ASCII without DEL is printable (isascii is O(1), DEL a memchr)
    elif len(kinds - {_NONE}) == 1 and next(iter(kinds - {_NONE})) in _TEXT:
        fn = _TEXT[next(iter(kinds - {_NONE}))]  # money, dates, numbers: one converter
        out = (list(map(fn, values)) if _NONE not in kinds
               else ["" if v is None else fn(v) for v in values])
    else:
        get = _TEXT.get
        out = [v if type(v) is str else "" if v is None else get(type(v), _cell)(v)
               for v in values]
    if kinds <= _NUMBERS_AND_DATES:  # digits, signs, points, dashes: always printable
        return out
    if not " ".join(out).isprintable() and _UNPRINTABLE.search("\n".join(out)):
        out = [visible(t) for t in out]
    return out


def csv_texts(values: Sequence[Any]) -> list[str]:
    """``[neutralise(cell(v)) for v in values]``: a CSV column."""
    kinds = _kinds(values)
    out = _texts(values, kinds)
    if kinds <= _NUMBERS_AND_DATES:  # "-5.00" is a number, a date starts with a digit
        return out
    if (out and out[0][:1] in FORMULA_START) or _FORMULA.search("\n".join(out)):
        out = _neutralised(out)
    return out


#: ASCII control characters (visible escapes them) and tabs (a
#: cell may start with one): any found means a page is escaped cell by cell
_CONTROL_OR_TAB = bytes([*range(0x00, 0x0a), *range(0x0b, 0x20), 0x7f])
#: the C1 control characters U+0080–U+009F in UTF-8
_C1 = re.compile(b"\xc2[\x80-\x9f]")
#: a byte map: what may precede a cell (a comma, a line break) → ",", a quote stays, what
#: neutralise looks at first (= + - @) → "+", an ASCII control character or tab → "!",
#: anything else → " ": a cell starting as a formula would is then ",+" or, quoted,
#: ',"+' (inside a quoted cell a quote is doubled and a comma from json is followed by a
#: space, so neither is a cell's start there: the stage history's ``"offset": "+10d"``
#: is no formula). One map for both checks (a delete and a map took twice as long).
_CELL_STARTS = bytes(
    ord("!") if b in _CONTROL_OR_TAB else ord(",") if b in b",\n" else b if b == ord('"')
    else ord("+") if b in b"=+-@" else ord(" ") for b in range(256))


def may_escape_csv(text: str) -> bool:
    """Whether csv rows written as ``text`` (starting at a row) may hold a cell
    :func:`csv_texts` would change: a control character, or a cell starting as a
    formula would (or a tab anywhere). False: none does. Byte maps over the UTF-8 text
    (a page of 500 milestones in ~0.1 ms instead of ~0.6 ms of regular expressions)."""
    data = text.encode("utf-8", "surrogatepass")
    mapped = data.translate(_CELL_STARTS)
    if b"!" in mapped or (b"\xc2" in data and _C1.search(data)):
        return True
    starts = b"," + mapped[:2]  # the first cell, as any other
    return starts[:2] == b",+" or starts == b',"+' or b",+" in mapped or b',"+' in mapped


def _neutralised(out: list[str]) -> list[str]:
    """``[neutralise(t) for t in out]``, each distinct risky text judged once: a column
    like a milestone's due offset ("+10d") repeats a few texts 200k times, and judging
    one (a failed ``Decimal``) costs far more than a dict lookup."""
    changed = {t: made for t in set(out)
               if t[:1] in FORMULA_START and (made := neutralise(t)) != t}
    return list(map(changed.get, out, out)) if changed else out


def pages(rows: Iterable[Any], size: int = RECORD_PAGE) -> Iterator[list[Any]]:
    """``rows`` in lists of ``size``."""
    it = iter(rows)
    while True:
        page = list(islice(it, size))
        if not page:
            return
        yield page


def columns_of(page: Sequence[Mapping[str, Any]], columns: Sequence[str]
               ) -> list[Sequence[Any]]:
    """The page's values column by column (``row.get(c)``; a missing key is None)."""
    if len(columns) > 1 and set(map(type, page)) == {dict}:
        try:
            return list(zip(*map(itemgetter(*columns), page), strict=True))
        except KeyError:
            pass
    return [[r.get(c) for r in page] for c in columns]


def csv_rows(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]
             ) -> Iterator[Iterator[tuple[str, ...]]]:
    """Each page's CSV cells, row by row (for ``csv.writer.writerows``)."""
    for page in pages(rows):
        yield zip(*[csv_texts(col) for col in columns_of(page, columns)], strict=True)


def csv_pages(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    """Each page's CSV text: what ``csv.writer.writerows`` of :func:`csv_rows`' page
    writes (``lineterminator="\\n"``), made by :func:`csv_text`."""
    if type(rows) is LazyList and rows.pages is not None:  # rows as columns already
        for made in (p for page in rows.pages() for p in page.pieces(RECORD_PAGE)):
            if made.size:
                yield csv_text([csv_texts(made.column(c)) for c in columns])
        return
    for page in pages(rows):
        yield csv_text([csv_texts(col) for col in columns_of(page, columns)])


_QUOTED: str | None = None


def _quoted_by_csv() -> str:
    """The characters that make this Python's ``csv.writer`` (QUOTE_MINIMAL, a ``"\\n"``
    line end) quote a cell, asked of csv.writer itself once: versions differ on ``\\r``."""
    global _QUOTED
    if _QUOTED is None:
        import csv
        import io

        found = ""
        buf = io.StringIO()
        for c in ',"\n\r':
            buf.seek(0)
            buf.truncate()
            csv.writer(buf, lineterminator="\n").writerow([f"a{c}", "b"])
            if buf.getvalue().startswith('"'):
                found += c
        _QUOTED = found
    return _QUOTED


@functools.cache
def _quoting_pattern(special: str) -> re.Pattern[str]:
    """A pattern finding any of ``special`` (the characters that make csv.writer quote)."""
    return re.compile("[" + re.escape(special) + "]")


def csv_text(columns: Sequence[Sequence[str | None]]) -> str:
    """The CSV text ``csv.writer(buf, lineterminator="\\n").writerows(zip(*columns))``
    writes (None as an empty cell), made a column at a time (checked on random cells in
    tests/test_column_text.py): a column with nothing to quote is kept as it is, and
    each distinct cell that needs quoting is quoted once (``str.replace`` in C, where
    csv.writer looks at every character of every cell — the battle map's milestones
    are ~80 % of its csv text)."""
    if not columns or not columns[0]:
        return ""
    special = _quoted_by_csv()
    needs = _quoting_pattern(special).search  # one C call per distinct cell
    out: list[Sequence[str]] = []
    for cells in columns:
        col: Sequence[str] = (["" if t is None else t for t in cells] if None in cells
                              else cells)  # type: ignore[assignment]
        joined = "".join(col)
        if not any(c in joined for c in special):
            out.append(col)
            continue
        made = {t: '"' + t.replace('"', '""') + '"' for t in filter(needs, set(col))}
        out.append(list(map(made.get, col, col)))
    if len(out) == 1:  # a row of one empty cell is written as ""
        return "".join(['""\n' if not t else t + "\n" for t in out[0]])
    return "\n".join(map(",".join, zip(*out, strict=True))) + "\n"
