"""``kam import``'s cell checks, one row at a time: the reference (each cell decoded by
kam's one grammar, naming file, row and column) and the per-cell fast ways, which give
the same stored values or give up (``Unsure``, then the row goes the reference way).
Ids and references are checked against a table per kind, so memory stays flat however
big the export. Batches are checked column by column first
(:mod:`kam.services.exchange_columns`); files are streamed by
:mod:`kam.services.exchange_stream`.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Sequence
from itertools import repeat
from pathlib import Path
from typing import Any

from kam import cell_check
from kam.errors import InputError
from kam.kinds import Kind
from kam.services.exchange import decode
from kam.storage import id_number
from kam.stored import JSON_TEXT_PARSED, to_stored


class Ids:
    """The ids of one kind seen so far: one byte per number while they are plain
    (``CU12``: the prefix, 1–15 digits, no leading zero, below 2^23), a set for the rest;
    a million activities take 1 MB instead of ~100 MB of strings, and a batch of plain
    ids is checked and noted with ``map`` over the table."""

    LIMIT = 1 << 23

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.seen = bytearray()
        self.other: set[str] = set()
        #: the highest id number noted (``kam.storage.id_number``), for the id sequence
        self.top = 0
        small = f"{re.escape(prefix)}[1-9][0-9]{{0,6}}"  # 9,999,999 at most: LIMIT checked
        self._small_column = re.compile(f"{small}(?:\x00{small})*").fullmatch
        plain = f"{re.escape(prefix)}[1-9][0-9]{{0,14}}"
        self._plain_column = re.compile(f"{plain}(?:\x00{plain})*").fullmatch

    def add(self, rid: str) -> bool:
        """Note an id; False when it was there already."""
        n = plain_number(rid, self.prefix)
        if n < 0 or n >= self.LIMIT:
            if rid in self.other:
                return False
            self.other.add(rid)
            self.top = max(self.top, id_number(rid))
            return True
        seen = self._room(n)
        if seen[n]:
            return False
        seen[n] = 1
        self.top = max(self.top, n)
        return True

    def __contains__(self, rid: object) -> bool:
        n = plain_number(rid, self.prefix)
        if n < 0 or n >= self.LIMIT:
            return rid in self.other
        return n < len(self.seen) and bool(self.seen[n])

    def plain(self, rids: Sequence[str]) -> bool:
        """Whether ids (none empty) are all plain, so valid ones (kam.cell_check)."""
        return not rids or self._plain_column("\x00".join(rids)) is not None

    def numbers(self, rids: Sequence[str]) -> list[int]:
        """The numbers of plain ids (none empty) below the limit, else ``Unsure``."""
        if not rids:
            return []
        joined = "\x00".join(rids)
        if self._small_column(joined) is None:
            raise Unsure
        numbers = list(map(int, joined[len(self.prefix):].split(f"\x00{self.prefix}")))
        if max(numbers) >= self.LIMIT:
            raise Unsure
        return numbers

    def new(self, numbers: Sequence[int]) -> bool:
        """Whether plain id numbers are all different and none noted yet."""
        if not numbers:
            return True
        seen = self._room(max(numbers))
        return len(set(numbers)) == len(numbers) and not any(map(seen.__getitem__, numbers))

    def known(self, numbers: Sequence[int]) -> bool:
        """Whether plain id numbers are all noted."""
        seen = self.seen
        return not numbers or (max(numbers) < len(seen) and all(map(seen.__getitem__, numbers)))

    def note(self, numbers: Sequence[int]) -> None:
        """Note plain id numbers (checked ``new``)."""
        if numbers:
            deque(map(self._room(max(numbers)).__setitem__, numbers, repeat(1)), maxlen=0)
            self.top = max(self.top, max(numbers))

    def _room(self, n: int) -> bytearray:
        seen = self.seen
        if n >= len(seen):
            seen.extend(bytes(max(n + 1 - len(seen), len(seen))))
        return seen


def plain_number(rid: Any, prefix: str) -> int:
    """The number of a plain id of a kind (its prefix, then digits without a leading
    zero: ``CU12``), else -1. A plain id is a valid one (kam.cell_check.record_id)."""
    try:
        n = int(rid[len(prefix):])
    except (TypeError, ValueError):
        return -1
    return n if n < 10**15 and rid == f"{prefix}{n}" else -1


class Unsure(Exception):
    """The fast check cannot vouch for a cell: the row goes the reference way."""


def slow_row(k: Kind, path: Path, n: int, types: list[tuple[str, str]],
             cells: list[str], neutralised: bool) -> dict[str, Any]:
    """The reference: each cell decoded by kam's one grammar (names file, row, column)."""
    record: dict[str, Any] = {}
    for (name, ftype), text_ in zip(types, cells, strict=True):
        try:
            record[name] = cell_check.enum_value(
                k.name, name, decode(ftype, text_, neutralised, name))
        except ValueError as exc:
            raise InputError(f"{path} row {n}, column {name}: {exc}") from None
    if k.name == "event":
        check_event_cells(path, n, record)
    return record


def fast_cells(k: Kind, header: list[str], neutralised: bool) -> list[Callable[[str], Any]]:
    """Per column, cell text → stored value for cells in a plain file, the same value the
    reference gives (``decode`` then the stored form), or ``Unsure``/any error to send
    the row the reference way. Repeating values (dates, numbers) are checked once."""
    from kam.vocab import VOCAB

    out: list[Callable[[str], Any]] = []
    for name in header:
        ftype = k.type_of(name)
        vocab = cell_check.ENUMS.get((k.name, name))
        keys = frozenset(VOCAB.get(vocab, ())) if vocab and vocab in VOCAB else None
        out.append(_fast_cell(name, ftype, keys, neutralised))
    return out


#: json shapes (kam.cell_check.JSON_SHAPES) checked without a generic walk
SHAPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "{}": lambda v: type(v) is dict,
    "[str]": lambda v: type(v) is list and all(type(x) is str for x in v),
    "[{}]": lambda v: type(v) is list and all(type(x) is dict for x in v),
}
#: a list of texts with nothing to escape, written as json.dumps writes it: its own
#: canonical form, and (in a plain file) holding no control character
PLAIN_TEXTS = re.compile(r'\[(?:"[^"\\\x00-\x1f]*"(?:, "[^"\\\x00-\x1f]*")*)?\]')
_MONEY = re.compile(r"-?[0-9]{1,15}\.[0-9]{2}")
_EMPTY_JSON = {"[]": ("[{}]", "[str]", ""), "{}": ("{}", "{str}", "")}


def _fast_cell(name: str, ftype: str, keys: frozenset[str] | None,
               neutralised: bool) -> Callable[[str], Any]:
    memo: dict[str, Any] = {}
    if keys is not None and ftype not in ("text", "json"):
        def unsure(text: str) -> Any:
            raise Unsure
        return unsure

    def remembered(text: str) -> Any:
        found = memo.get(text)
        if found is None:
            value = to_stored(ftype, decode(ftype, text, False, name))
            if len(memo) > 100_000:
                memo.clear()
            found = memo[text] = value
        return found

    if ftype == "text":
        def text_cell(text: str) -> Any:
            if not text:
                return None
            if neutralised and text[0] == "'":
                text = text[1:]
            if keys is not None and text not in keys:
                raise Unsure
            return text
        return text_cell
    if ftype == "money":
        fullmatch = _MONEY.fullmatch

        def money_cell(text: str) -> Any:
            if not text:
                return None
            if fullmatch(text) is None:
                raise Unsure
            return int(text.replace(".", ""))
        return money_cell
    if ftype == "bool":
        return {"": None, "true": 1, "false": 0}.__getitem__
    if ftype in ("int", "decimal", "date"):
        get = memo.get

        def memo_cell(text: str) -> Any:
            value = get(text)
            if value is None and text:
                value = remembered(text)
            return value
        return memo_cell
    if ftype == "datetime":
        days: set[str] = set()
        times: set[str] = set()

        def datetime_cell(text: str) -> Any:
            if not text:
                return None
            day, rest = text[:10], text[10:]
            if day in days and rest in times:
                return text
            if decode(ftype, text, False, name) != text or len(text) < 16 or text[10] not in "T ":
                raise Unsure
            # valid and already stripped: its date and its time are each valid alone
            if len(days) > 100_000 or len(times) > 100_000:
                days.clear()
                times.clear()
            days.add(day)
            times.add(rest)
            return text
        return datetime_cell
    if ftype == "json":
        shape = cell_check.JSON_SHAPES.get(name, "")
        shape_ok = SHAPE_CHECKS.get(shape) or (lambda v: cell_check._shape_ok(shape, v))
        texts_only = PLAIN_TEXTS.fullmatch if shape == "[str]" and keys is None else None
        scan = json_scanner(name)

        def json_cell(text: str) -> Any:
            if not text:
                return None
            empty = _EMPTY_JSON.get(text)
            if empty is not None:
                if shape not in empty:
                    raise Unsure
                return text
            if texts_only is not None and texts_only(text) is not None:
                return text  # ["OP1", "CU2"]: valid, checked and canonical as it stands
            value, end = scan(text, 0)  # StopIteration (not JSON) → the reference way
            if end != len(text) or not shape_ok(value):
                raise Unsure
            if keys is not None and not set(value) <= keys:
                raise Unsure
            canonical = JSON_TEXT_PARSED(value)
            return text if canonical == text else canonical
        return json_cell
    raise ValueError(f"unknown field type {ftype}")


def json_scanner(name: str) -> Callable[[str, int], tuple[Any, int]]:
    """The C JSON scanner (a value at an index → the value and where it ends) with kam's
    number rules: fractions checked as numbers, whole numbers below 10^15, no NaN."""
    decoder = json.JSONDecoder(parse_float=lambda s: _json_float(s, name),
                               parse_int=_json_int, parse_constant=_no_constant)
    scan: Callable[[str, int], tuple[Any, int]] = decoder.scan_once  # type: ignore[attr-defined]
    return scan


def _json_float(text: str, name: str) -> float:
    from kam import values

    values.number(text, name)
    return float(text)


def _json_int(text: str) -> int:
    """JSON whole numbers of 16 digits and more (10^15 and beyond) are refused."""
    if len(text) > (16 if text[0] == "-" else 15):
        raise Unsure
    return int(text)


def _no_constant(text: str) -> Any:
    raise Unsure


def check_event_cells(path: Path, n: int, record: dict[str, Any]) -> None:
    """The event log's json cells have one shape each: refs a list of ids, payload an
    object; anything else would break history, doctor and export later."""
    refs, payload = record.get("refs"), record.get("payload")
    if refs is not None and not (isinstance(refs, list)
                                 and all(isinstance(r, str) for r in refs)):
        raise InputError(f"{path} row {n}, column refs: {refs!r} is not a list of ids")
    if payload is not None and not isinstance(payload, dict):
        raise InputError(f"{path} row {n}, column payload: {payload!r} is not an object")


