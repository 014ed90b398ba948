"""``kam import``'s batch checks, column by column: a batch of rows (2000) from a plain
file is turned into stored values one column at a time, with the per-cell work in C
(a regex over the joined column, ``set``/``map`` over it, one JSON encoder call per
column) instead of a Python call per cell.

Each check gives exactly the stored values the per-cell checks
(:func:`kam.services.exchange_cells.fast_cells`, and behind them the reference) give for
that column, or raises :class:`~kam.services.exchange_cells.Unsure`; the caller then
checks the batch row by row, which names the first bad row and column. Only for plain
files (no control characters, no JSON escapes that could stand for one: see
``HashingReader``), so ``\\x00`` never occurs in a cell and is a safe separator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any

from kam import cell_check
from kam.kinds import Kind
from kam.services.exchange import decode
from kam.services.exchange_cells import PLAIN_TEXTS, SHAPE_CHECKS, Unsure, json_scanner
from kam.stored import JSON_TEXT_PARSED, to_stored

Column = Sequence[str]
#: one column's cells → their stored values (``Unsure`` when it cannot vouch for them)
ColumnCheck = Callable[[Column], Sequence[Any]]

SEP = "\x00"
_MONEY_COLUMN = re.compile(r"(?:-?[0-9]{1,15}\.[0-9]{2})?(?:\x00(?:-?[0-9]{1,15}\.[0-9]{2})?)*")
_PLAIN_TEXTS_COLUMN = re.compile(f"(?:{PLAIN_TEXTS.pattern})?(?:\\x00(?:{PLAIN_TEXTS.pattern})?)*")
_DAY, _REST = itemgetter(slice(0, 10)), itemgetter(slice(10, None))
_VALUE, _END = itemgetter(0), itemgetter(1)
#: memos (dates, numbers) and seen date/time parts are dropped beyond this many
MEMO = 100_000
#: json cells remembered are dropped beyond this many characters (medium's events hold
#: ~49k distinct payloads: at 250k characters the memo was dropped every few batches and
#: whole columns parsed again; 2M: −2.6 % of the checks' instructions, +2.5 MB peak RSS)
MEMO_CHARS = 2_000_000


def column_checks(k: Kind, header: Sequence[str], neutralised: bool) -> list[ColumnCheck]:
    """Per column of a file's header, its batch check."""
    from kam.vocab import VOCAB

    out: list[ColumnCheck] = []
    for name in header:
        vocab = cell_check.ENUMS.get((k.name, name))
        keys = frozenset(VOCAB.get(vocab, ())) if vocab and vocab in VOCAB else None
        out.append(_column_check(name, k.type_of(name), keys, neutralised))
    return out


def _column_check(name: str, ftype: str, keys: frozenset[str] | None,
                  neutralised: bool) -> ColumnCheck:
    if keys is not None and ftype not in ("text", "json"):
        return _unsure
    if ftype == "text":
        return _text_column(keys, neutralised)
    if ftype == "money":
        return _money_column
    if ftype == "bool":
        return _bool_column
    if ftype in ("int", "decimal", "date"):
        return _memo_column(name, ftype)
    if ftype == "datetime":
        return _datetime_column(name)
    if ftype == "json":
        return _json_column(name, keys)
    raise ValueError(f"unknown field type {ftype}")


def _unsure(col: Column) -> Sequence[Any]:
    raise Unsure


def _text_column(keys: frozenset[str] | None, neutralised: bool) -> ColumnCheck:
    if keys is not None:
        allowed = keys | {""}

        def enum_column(col: Column) -> Sequence[Any]:
            if not allowed.issuperset(col):  # a quoted or unknown key: the careful way
                raise Unsure
            return _nones(col)
        return enum_column
    if neutralised:
        def neutralised_column(col: Column) -> Sequence[Any]:
            if f"{SEP}'" in f"{SEP}{SEP.join(col)}":  # one leading quote off
                return [(t[1:] if t[0] == "'" else t) if t else None for t in col]
            return _nones(col)
        return neutralised_column
    return _nones


def _nones(col: Column) -> Sequence[Any]:
    """The cells as they stand, empty ones as None (a column without one: itself)."""
    return col if all(col) else [t or None for t in col]


def _money_column(col: Column) -> list[Any]:
    if _MONEY_COLUMN.fullmatch(SEP.join(col)) is None:
        raise Unsure
    return [int(t.replace(".", "")) if t else None for t in col]


_BOOL = {"": None, "true": 1, "false": 0}


def _bool_column(col: Column) -> list[Any]:
    try:
        return list(map(_BOOL.__getitem__, col))
    except KeyError:
        raise Unsure from None


def _memo_column(name: str, ftype: str) -> ColumnCheck:
    """Dates and numbers repeat: each distinct text is checked once by the reference."""
    memo: dict[str, Any] = {"": None}

    def memo_column(col: Column) -> list[Any]:
        new = set(col).difference(memo)
        if new:
            if len(memo) + len(new) > MEMO:
                memo.clear()
                memo[""] = None
                new = set(col)
                new.discard("")
            for text in new:  # ValueError: the careful way names it
                memo[text] = to_stored(ftype, decode(ftype, text, False, name))
        return list(map(memo.__getitem__, col))
    return memo_column


def _datetime_column(name: str) -> ColumnCheck:
    """A date-time is valid when its date part and its time part each came from a valid,
    canonical one (the per-cell check's rule), so only new parts are checked."""
    days: set[str] = set()
    times: set[str] = set()

    def datetime_column(col: Column) -> Sequence[Any]:
        whole = all(col)  # no empty cell (a truth test each, cheaper than == "")
        texts = col if whole else list(filter(None, col))
        # one text per date part and per time part: checking it vouches for both parts
        by_day = dict(zip(map(_DAY, texts), texts, strict=True))
        by_time = dict(zip(map(_REST, texts), texts, strict=True))
        new_days = by_day.keys() - days
        new_times = by_time.keys() - times
        if new_days or new_times:
            if len(days) + len(new_days) > MEMO or len(times) + len(new_times) > MEMO:
                days.clear()
                times.clear()
                new_days, new_times = set(by_day), set(by_time)
            for text in {by_day[d] for d in new_days} | {by_time[t] for t in new_times}:
                if (decode("datetime", text, False, name) != text or len(text) < 16
                        or text[10] not in "T "):
                    raise Unsure
                days.add(text[:10])
                times.add(text[10:])
        return col if whole else [t or None for t in col]
    return datetime_column


def _json_column(name: str, keys: frozenset[str] | None) -> ColumnCheck:
    """Each new cell parsed by the C scanner; their values encoded canonically in one call
    and compared with the cells joined the same way. Equal means each cell is canonical:
    every cell is one whole JSON list or object, and no such text is a prefix of another,
    so the joined texts can only match cell by cell. Cells seen before (an event's
    ``{"outcome": "advance", "type": "call"}``) are remembered with their stored text."""
    shape = cell_check.JSON_SHAPES.get(name, "")
    shape_ok = SHAPE_CHECKS.get(shape) or (lambda v: cell_check._shape_ok(shape, v))
    objects = {dict}
    shapes_ok: Callable[[list[Any]], bool] = (
        (lambda values: objects.issuperset(map(type, values))) if shape == "{}"
        else (lambda values: all(map(shape_ok, values))))
    plain_texts = (_PLAIN_TEXTS_COLUMN.fullmatch if shape == "[str]" and keys is None
                   else None)
    scan = json_scanner(name)
    memo: dict[str, str | None] = {"": None}
    size = [0]  # characters remembered

    def json_column(col: Column) -> Sequence[Any]:
        if plain_texts is not None and plain_texts(SEP.join(col)) is not None:
            return _nones(col)  # ["OP1", "CU2"]: canonical as they stand
        new = set(col).difference(memo)
        if not new:
            return list(map(memo.__getitem__, col))
        chars = sum(map(len, new))
        if size[0] + chars > MEMO_CHARS:  # forget, and check the whole column afresh
            memo.clear()
            memo[""] = None
            size[0] = 0
            new = set(col)
            new.discard("")
            chars = sum(map(len, new))
        texts = list(new)
        parsed = list(map(scan, texts, repeat(0)))  # a StopIteration ends it early
        if len(parsed) != len(texts) or list(map(len, texts)) != list(map(_END, parsed)):
            raise Unsure
        values = list(map(_VALUE, parsed))
        if not shapes_ok(values):
            raise Unsure
        if keys is not None and not all(keys.issuperset(v) for v in values):
            raise Unsure
        size[0] += chars
        if JSON_TEXT_PARSED(values) == f"[{', '.join(texts)}]":
            memo.update(zip(texts, texts, strict=True))
        else:
            memo.update(zip(texts, map(JSON_TEXT_PARSED, values), strict=True))
        return list(map(memo.__getitem__, col))
    return json_column
