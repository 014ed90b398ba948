"""Lazy reads of the CSV files: one pass over a kind's file (or the event log) that
converts only the cells a caller needs.

Reports read a few columns of many rows, and the funnel a few event kinds out of the
whole log. Parsing every cell of every row into a held dict (the backend's former
only read path) cost seconds and hundreds of MB on a medium workspace. Here a row's
filter cells are converted first (to the stored form the predicates compare), the row
is dropped if they do not match, and only then are the wanted cells converted straight
to record values (money ``Decimal``, dates ``date``, json decoded once). A bad value in
a cell that is read is still an InputError naming file, row and column; ``kam doctor``
(``integrity_problems``) still parses every cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any, BinaryIO, cast

from kam.errors import InputError
from kam.kinds import Kind
from kam.plugins.storage_csv.cells import (
    _PARSERS,
    CENT,
    _id_key,
    _parse_bool,
    _parse_money,
    check_header,
    predicate,
    to_stored,
)
from kam.storage import Record, Where, split_filter

Convert = Callable[[str], Any]
_ZERO = Decimal("0.00")


# Reads convert cells of files already checked whole (check_all), so these skip the
# validation the parsers in cells.py do; a cell that still fails (a file edited by hand
# between the check and the read) is an InputError naming it all the same.


def _money_cents(text: str) -> int:
    if len(text) > 3 and text[-3] == ".":
        return int(text[:-3] + text[-2:])
    return _parse_money(text)


def _money_value(text: str) -> Decimal:
    d = Decimal(text)
    if len(text) <= 3 or text[-3] != ".":
        d = d.quantize(CENT)
    return d if d else _ZERO  # "-0.00" reads as 0.00, as the stored cents do


def _json_value(text: str) -> Any:
    if text == "[]":
        return []
    if text == "{}":
        return {}
    return json.loads(text)


def _bool_value(text: str) -> bool:
    return bool(_parse_bool(text))


_STORED: dict[str, Convert | None] = dict(_PARSERS) | {
    "money": _money_cents,
    "date": None,
    "datetime": None,
    "json": None,
}
_VALUES: dict[str, Convert | None] = dict(_PARSERS) | {
    "money": _money_value,
    "bool": _bool_value,
    "date": dt.date.fromisoformat,
    "datetime": None,
    "json": _json_value,
}


@dataclass
class Verdict:
    """What one full pass learnt about a file's ids: in id order, no duplicates."""

    ordered: bool = True
    checked: bool = False


@dataclass
class Scan:
    """One read of a file: which rows (``where``, or a raw-cell test), which fields out,
    and which stored values to keep for sorting (``keys``)."""

    k: Kind
    where: Where | None = None
    fields: Sequence[str] | None = None  # None: every field of the kind
    keys: Sequence[str] = ()
    raw: Callable[[dict[str, int]], Callable[[list[str]], bool]] | None = None
    texts: Collection[str] = ()  # json or date fields given as their cell's text


def _builder(header: list[str], names: Sequence[str], table: dict[str, Convert | None]
             ) -> Callable[[list[str]], dict[str, Any]]:
    """A function from a row's cells to {name: value} for ``names`` (in that order; an
    empty cell, or a column the file lacks, is None), converted by ``table``."""
    index = {name: i for i, name in enumerate(header)}
    convs = [(name, conv) for name in names if (conv := table.get(name)) is not None]
    if any(name not in index for name in names):
        plan = [(name, index.get(name, -1), table.get(name)) for name in names]

        def slow(cells: list[str]) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for name, i, conv in plan:
                text = cells[i] if i >= 0 else ""
                out[name] = None if not text else text if conv is None else conv(text)
            return out
        return slow
    names = list(names)
    if not names:
        return lambda cells: {}
    if len(names) == 1:
        only, i = names[0], index[names[0]]
        conv0 = table.get(only)
        if conv0 is None:
            return lambda cells: {only: cells[i] or None}
        return lambda cells: {only: conv0(cells[i]) if cells[i] else None}
    get = itemgetter(*[index[name] for name in names])

    def build(cells: list[str]) -> dict[str, Any]:
        out = {name: text or None for name, text in zip(names, get(cells), strict=True)}
        for name, conv in convs:
            text = out[name]
            if text is not None:
                out[name] = conv(text)
        return out
    return build


def _failing_column(cells: list[str], header: list[str], names: Iterable[str],
                    table: dict[str, Convert | None]) -> str:
    """Which of ``names`` holds the cell a conversion failed on (for the message)."""
    index = {name: i for i, name in enumerate(header)}
    for name in names:
        conv, i = table.get(name), index.get(name, -1)
        if conv is None or i < 0 or not cells[i]:
            continue
        try:
            conv(cells[i])
        except (ValueError, ArithmeticError):
            return name
    return "?"


_RAW_TYPES = {"text", "date", "datetime"}  # the stored form is the cell's text


def raw_test(k: Kind, key: str, want: Any, index: dict[str, int]
             ) -> Callable[[list[str]], bool] | None:
    """A filter on a text, date or date-time field as a test of the raw cell (its stored
    form is the text itself), so rows that fail it are never converted; None when the
    filter needs the converted value (cells.predicate then decides)."""
    name, op = split_filter(k, key)
    if k.type_of(name) not in _RAW_TYPES:
        return None
    i = index.get(name, -1)
    if i < 0:
        return None
    if op == "isnull":
        return (lambda c: not c[i]) if want else (lambda c: c[i] != "")
    if op == "in":
        items = [to_stored(k.type_of(name), v) for v in want if v is not None]
        if not all(isinstance(v, str) and v for v in items):
            return None
        wanted = frozenset(items)
        return lambda c: c[i] in wanted
    if want is None:
        return None
    w = to_stored(k.type_of(name), want)
    if not isinstance(w, str) or not w:
        return None
    if op == "eq":
        return lambda c: c[i] == w
    if op == "ne":
        return lambda c: c[i] != w
    if op == "lt":
        return lambda c: c[i] != "" and c[i] < w
    if op == "le":
        return lambda c: c[i] != "" and c[i] <= w
    if op == "gt":
        return lambda c: c[i] != "" and c[i] > w
    return lambda c: c[i] != "" and c[i] >= w


def rows(lines: Iterable[str], where: str, scan: Scan, first_row: int = 2
         ) -> Iterator[tuple[Record, tuple[Any, ...]]]:
    """Yield (record limited to the scan's fields, stored sort values) for each row of a
    kind's CSV text that passes the scan's filters, in file order."""
    reader = csv.reader(lines)
    n = first_row - 1
    try:
        header = next(reader, None)
        if header is None:
            return
        check_header(scan.k, header, where)
    except csv.Error as exc:
        raise InputError(f"{where} row {n + 1}: {exc}") from None
    yield from rows_of(reader, header, where, scan, first_row)


def rows_of(reader: Iterable[Any], header: Sequence[str], where: str, scan: Scan,
            first_row: int = 2) -> Iterator[tuple[Record, tuple[Any, ...]]]:
    """:func:`rows` over rows already split into cells under ``header`` (csv.reader's
    rows, or the tuples of a few kept columns: kept.py)."""
    k = scan.k
    n = first_row
    try:
        header = list(header)
        width = len(header)
        types = {f.name: f.type for f in k.fields}
        stored_conv = {name: _STORED[t] for name, t in types.items()}
        value_conv = {name: None if name in scan.texts else _VALUES[t]
                      for name, t in types.items()}
        index = {name: i for i, name in enumerate(header)}
        raw_tests: list[Callable[[list[str]], bool]] = []
        filters = []
        for key, want in (scan.where or {}).items():
            test = raw_test(k, key, want, index)
            if test is not None:
                raw_tests.append(test)
            else:
                filters.append((split_filter(k, key)[0], predicate(k, key, want)))
        filter_names = list(dict.fromkeys([name for name, _ in filters] + list(scan.keys)))
        out_names = list(k.names if scan.fields is None else scan.fields)
        stored_of = _builder(header, filter_names, stored_conv)
        record_of = _builder(header, out_names, value_conv)
        preds = [p for _, p in filters]
        pred = preds[0] if len(preds) == 1 else None
        keys = tuple(scan.keys)
        key_of: Callable[[dict[str, Any]], tuple[Any, ...]] = (
            (lambda stored: ()) if not keys else
            (lambda stored: (stored[keys[0]],)) if len(keys) == 1 else itemgetter(*keys))
        id_i = header.index("id")
        if scan.raw is not None:
            raw_tests.insert(0, scan.raw(index))
        raw_one = raw_tests[0] if len(raw_tests) == 1 else None
        for cells in reader:
            n += 1
            if not cells:
                continue
            if len(cells) != width:
                raise InputError(f"{where} row {n}: {len(cells)} cells, the header has {width}")
            if not cells[id_i]:
                raise InputError(f"{where} row {n}, column id: empty")
            if raw_one is not None:
                if not raw_one(cells):
                    continue
            elif raw_tests and not all(t(cells) for t in raw_tests):
                continue
            try:
                stored = stored_of(cells)
                if pred is not None:
                    if not pred(stored):
                        continue
                elif preds and not all(p(stored) for p in preds):
                    continue
                yield record_of(cells), key_of(stored)
            except (ValueError, ArithmeticError) as exc:
                name = _failing_column(cells, header, filter_names, stored_conv)
                if name == "?":
                    name = _failing_column(cells, header, out_names, value_conv)
                raise InputError(f"{where} row {n}, column {name}: {exc}") from None
    except csv.Error as exc:
        raise InputError(f"{where} row {n + 1}: {exc}") from None


def complete_lines(fh: Iterable[bytes], where: str, cut: bool = True) -> Iterator[str]:
    """A file's lines, decoded; with ``cut``, only up to the last complete one (a line
    of the event log still being appended by a writer is not there yet). A kind's file
    only ever changes by rename, so its last line is read whether it ends or not."""
    for line in fh:
        if cut and not line.endswith(b"\n"):
            return
        yield _text(line, where)


def records_with(fh: BinaryIO, where: str, needles: Sequence[bytes],
                 picks: Picks | None = None) -> Iterator[list[str]]:
    """The header, then the rows whose text contains one of ``needles``, of the event
    log (complete lines only, as complete_lines): a row is parsed only when it may
    match, so picking a few event kinds out of the log costs a substring search, not a
    parse. The caller tests the parsed cells themselves: a needle is only a first
    sieve."""
    reader = csv.reader(sieved(fh, where, needles, picks=picks))
    try:
        yield from reader
    except csv.Error as exc:
        n = reader.line_num - 1  # of the lines sieved, not of the file
        raise InputError(f"{where} row {n + 1}: {exc}") from None


CHUNK = 1 << 18
#: the shortest common beginning of several needles searched for in their place (one
#: find, then which needle it is), not each needle apart
SHARED_MIN = 8


def sieved(fh: BinaryIO, where: str, needles: Sequence[bytes], cut: bool = True,
           picks: Picks | None = None) -> Iterator[str]:
    """The lines of the header row, then of the rows that contain one of ``needles``,
    for csv.reader; with ``cut``, only up to the last complete line (complete_lines).

    The file is searched a chunk at a time; a match's row is the lines around it and
    starts after a newline outside quotes (an even count of quotes since the last known
    row start): a newline in a quoted cell is inside a row. A chunk's rows are decoded
    together, and split into lines by io.StringIO, so no Python loop runs per line.
    ``picks`` (:func:`picks_for`) narrows the rows to those of some records."""
    for text in _sieved_chunks(fh, where, needles, cut, picks):
        yield from io.StringIO(text, newline="")


def _sieved_chunks(fh: BinaryIO, where: str, needles: Sequence[bytes], cut: bool,
                   picks: Picks | None = None) -> Iterator[str]:
    carry = b""
    header = True
    last = False
    while not last:
        block = fh.read(CHUNK)
        buf = carry + block
        if not block:  # the end: a last line without its newline
            if cut or not buf:
                return
            last = True
            buf += b"\n"
            if buf.count(b'"') % 2:  # an unclosed quote: csv.reader says so
                yield _text(buf, where)
                return
        end = buf.rfind(b"\n") + 1
        while end and buf.count(b'"', 0, end) % 2:  # that newline is inside a row
            end = buf.rfind(b"\n", 0, end - 1) + 1
        if end == 0:
            carry = buf  # no whole row yet: read on
            continue
        carry = buf[end:]
        pos = 0  # a row starts here
        kept: list[bytes] = []
        if header:
            pos = _row_end(buf, 0)
            header = False
            kept.append(buf[:pos])
        find, rfind, index, count = buf.find, buf.rfind, buf.index, buf.count
        spots = _picked(buf, pos, end, needles, picks) if picks is not None else None
        if spots is not None:
            for at in spots:
                if at >= pos:
                    start, stop = _row_around(buf, pos, at)
                    kept.append(buf[start:stop])
                    pos = stop
            if kept:
                yield _text(b"".join(kept), where)
            continue
        # the next place of each needle (a find is a fast scan; a regex of several
        # needles tries each at every byte); needles with a long common beginning (the
        # funnel's three opportunity.* kinds) are found by it, then told apart in place
        one = needles[0] if len(needles) == 1 else None
        exact = None
        shared = cast(bytes, os.path.commonprefix(list(needles))) if one is None else b""
        if len(shared) >= SHARED_MIN:
            one, exact = shared, tuple(needles)
        ahead = [] if one is not None else [find(needle, pos, end) for needle in needles]
        look = pos  # where the next search starts: a row's start, or past a near miss
        while pos < end:
            if one is not None:
                at = find(one, look, end)
                if at >= 0 and exact is not None and not buf.startswith(exact, at, end):
                    look = at + 1
                    continue
            else:
                at = min((a for a in ahead if a >= 0), default=-1)
            if at < 0:
                break
            start = rfind(b"\n", pos, at) + 1 or pos
            stop = index(b"\n", at) + 1
            if count(b'"', pos, start) % 2 or count(b'"', start, stop) % 2:
                start, stop = _row_around(buf, pos, at)
            kept.append(buf[start:stop])
            pos = look = stop
            if one is None:
                ahead = [a if a < 0 or a >= pos else find(needle, pos, end)
                         for a, needle in zip(ahead, needles, strict=True)]
        if kept:
            yield _text(b"".join(kept), where)


def _row_around(buf: bytes, pos: int, at: int) -> tuple[int, int]:
    """Where the row holding byte ``at`` starts and ends, ``pos`` being a row's start
    at or before it."""
    start = buf.rfind(b"\n", pos, at) + 1 or pos
    stop = buf.index(b"\n", at) + 1
    if buf.count(b'"', pos, start) % 2 or buf.count(b'"', start, stop) % 2:
        start = pos  # a row across lines: walk the rows from the last start
        while (stop := _row_end(buf, start)) <= at:
            start = stop
    return start, stop


#: a sieve to the rows of some records (:func:`picks_for`): a plain kind cell followed
#: by its record id cell, and the ids wanted
Picks = tuple[re.Pattern[bytes], frozenset[bytes]]


def picks_for(header: Sequence[str], kind_name: str, record_ids: Collection[str]
              ) -> Picks | None:
    """The event log sieved to the rows of ``kind_name`` whose record is one of
    ``record_ids``, when the header has the record id's column right after the kind's
    (neither first nor last): a match of the kind's text whose next cell is a plain id
    not wanted is skipped unparsed. None for any other layout."""
    if "kind" not in header or "record_id" not in header:
        return None
    at = list(header).index("kind")
    if at < 1 or list(header).index("record_id") != at + 1 or at + 2 >= len(header):
        return None
    clean = re.compile(b"," + re.escape(kind_name.encode()) + b',([^,"\r\n]*),')
    return clean, frozenset(r.encode() for r in record_ids)


def _picked(buf: bytes, pos: int, end: int, needles: Sequence[bytes], picks: Picks
            ) -> list[int] | None:
    """Where in ``buf[pos:end]`` the rows of the wanted records may be: each match of
    the kind's text as a plain cell followed by a wanted id. Only when every match of
    the needle in that span is such a cell (an id not wanted is then certain: that
    row's kind cell is its only match, or its others are skipped for what follows them
    and its kind cell is judged on its own); None otherwise (the whole sieve then)."""
    clean, wanted = picks
    found = [(m.start(), m.group(1)) for m in clean.finditer(buf, pos, end)]
    if len(needles) != 1 or len(found) != buf.count(needles[0], pos, end):
        return None
    return [at for at, rid in found if rid in wanted]


def _row_end(buf: bytes, start: int) -> int:
    """Where the row starting at ``start`` ends: after the first newline with an even
    count of quotes since ``start`` (the buffer ends with one)."""
    stop = buf.index(b"\n", start) + 1
    while buf.count(b'"', start, stop) % 2:
        stop = buf.index(b"\n", stop) + 1
    return stop


def _text(row: bytes, path: str) -> str:
    """``row`` as text, or the one-line refusal of a file that is not UTF-8."""
    try:
        return row.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
                         ) from None


def needles_of(k: Kind, where: Where | None) -> list[bytes]:
    """A text a row's line must contain to pass ``where``: the value of its first
    equality filter (or ``in`` of one value) on a text or date field, as it is written
    in a cell; [] when there is none to sieve by. Callers name the most telling filter
    first (a status before a pipeline most deals share)."""
    for key, want in (where or {}).items():
        name, op = split_filter(k, key)
        if k.type_of(name) not in ("text", "date") or op not in ("eq", "in"):
            continue
        wants = list(want) if op == "in" else [want]
        if len(wants) != 1:
            continue  # a row's line searched for several values: slower than a parse
        texts = [to_stored(k.type_of(name), w) for w in wants]
        if not all(isinstance(t, str) and t and '"' not in t for t in texts):
            continue
        return [t.encode("utf-8") for t in texts]
    return []


def refers_to(header_index: dict[str, int], record_id: str) -> Callable[[list[str]], bool]:
    """A raw-cell test: the event names ``record_id`` (its record or one of its refs)."""
    rec_i = header_index.get("record_id", -1)
    refs_i = header_index.get("refs", -1)

    def test(cells: list[str]) -> bool:
        if rec_i >= 0 and cells[rec_i] == record_id:
            return True
        if refs_i < 0 or record_id not in cells[refs_i]:
            return False
        try:
            return record_id in json.loads(cells[refs_i])
        except ValueError:
            return False

    return test




def check_all(lines: Iterable[str], where: str, k: Kind, ids: bool = True) -> Verdict:
    """Check every cell of every row as a full parse does (cells.parse_rows), holding
    nothing; with ``ids``, that the rows' ids are unique, and whether they are in id
    order (the event log is checked for ids by ``kam doctor`` only, as before)."""
    reader = csv.reader(lines)
    n = 0
    verdict = Verdict(checked=True)
    try:
        header = next(reader, None)
        if header is None:
            return verdict
        n = 1
        check_header(k, header, where)
        width = len(header)
        convs = [(i, name, parse) for i, name in enumerate(header)
                 if (parse := _PARSERS[k.type_of(name)]) is not None]
        id_i = header.index("id")
        seen: set[str] = set()
        last: tuple[int, str] | None = None
        for cells in reader:
            n += 1
            if not cells:
                continue
            if len(cells) != width:
                raise InputError(f"{where} row {n}: {len(cells)} cells, the header has {width}")
            for i, name, parse in convs:
                text = cells[i]
                if text:
                    try:
                        parse(text)
                    except ValueError as exc:
                        raise InputError(f"{where} row {n}, column {name}: {exc}") from None
            rid = cells[id_i]
            if not rid:
                raise InputError(f"{where} row {n}, column id: empty")
            if not ids:
                continue
            if rid in seen:
                path = where
                raise InputError(f"{path} row {n}, column id: duplicate id {rid}")
            seen.add(rid)
            key = _id_key(rid)
            if last is not None and key < last:
                verdict.ordered = False
            last = key
    except csv.Error as exc:
        raise InputError(f"{where} row {n + 1}: {exc}") from None
    return verdict
