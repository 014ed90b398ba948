"""``kam check -f json``: the run's result as ``kam.output.json_chunks`` writes it, byte
for byte, with its flat rows (~100k reminder lines on a big team's first run, the overdue
milestones every day) encoded by the C JSON encoder instead of value by value."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from itertools import groupby, islice
from typing import Any

from kam.output import LazyList, json_chunks

#: the value types of a flat row (a reminder line, a milestone view without lists)
_FLAT = frozenset({str, int, bool, type(None), Decimal, dt.date})
#: containers a flat row may hold when empty (a milestone's collection notes): ``[]``, ``{}``
_EMPTY = frozenset({list, dict})
_ROW_ENCODERS: dict[str, Callable[[Any], str]] = {}
#: what json_chunks escapes and the C encoder (``ensure_ascii`` off) does not
_C1 = re.compile("[\x7f-\x9f]")


def _as_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _encoder(item_separator: str) -> Callable[[Any], str]:
    """``json.dumps`` with ``ensure_ascii`` off and these separators, its C encoder made
    once (``JSONEncoder.encode`` makes one per call: most of the time of a short row)."""
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:  # a Python without the C accelerator
        return json.JSONEncoder(ensure_ascii=False, separators=(item_separator, ": "),
                                default=_as_text).encode
    encode = c_make_encoder(None, _as_text, json.encoder.encode_basestring, None, ": ",
                            item_separator, False, False, True)
    return lambda row: "".join(encode(row, 0))


def _row(row: Any, indent: str) -> str:
    """One row of a list as ``kam.output.json_chunks`` writes it at ``indent``: a flat
    row through the C encoder (its items joined by newline and indent, Decimal and dates
    as strings — the same text; ~100k reminder lines on a big team's first run), any
    other row, or one with text the C encoder escapes differently, as json_chunks does."""
    if type(row) is dict and row and all(type(v) in _FLAT or (type(v) in _EMPTY and not v)
                                         for v in row.values()):
        inner = indent + "  "
        encode = _ROW_ENCODERS.get(inner)
        if encode is None:
            encode = _ROW_ENCODERS[inner] = _encoder(",\n" + inner)
        text = encode(row)
        if text.isascii() and "\x7f" not in text or not _C1.search(text):
            return "{\n" + inner + text[1:-1] + "\n" + indent + "}"
    return "".join(json_chunks(row, indent))


class TextRows(LazyList):
    """Rows whose values are all str, int, bool, None, Decimal or dates but for the
    ``nested`` keys (lists, often empty): the overdue milestones as
    :class:`kam.storage.OverdueTexts` gives them, the reminder lines of a run. Written a
    page at a time by one C encoder call (:func:`_text_rows`)."""

    def __init__(self, count: int, produce: Callable[[], Iterator[Any]],
                 nested: tuple[str, ...]) -> None:
        super().__init__(count, produce)
        self.nested = nested

    @classmethod
    def of(cls, rows: list[Any]) -> TextRows | list[Any]:
        """A list of rows without nested values (renewal reminders, flags raised) as
        TextRows; the list itself when a row is not flat (a rule's odd message)."""
        if all(type(row) is dict and row and all(type(v) in _FLAT for v in row.values())
               for row in rows):
            return cls(len(rows), lambda: iter(rows), ())
        return rows


#: rows encoded per C encoder call
PAGE = 500
#: between two items of a page encoded with :data:`_MARK` (the encoder escapes a real
#: NUL inside a string as ``\u0000``, so the mark is only ever a separator)
_MARK = "\x00"


def _page(rows: list[dict[str, Any]], indent: str) -> str:
    """Flat rows as ``_row`` writes each, joined as ``chunks`` joins them: one C encoder
    call for the page, its separators put in after (rows end ``}`` and start ``{``, a
    row's items start with a key, so ``},<mark>{`` only ever falls between two rows)."""
    inner = indent + "  "
    encode = _ROW_ENCODERS.get(_MARK)
    if encode is None:
        encode = _ROW_ENCODERS[_MARK] = _encoder("," + _MARK)
    text = encode(rows)
    if not (text.isascii() and "\x7f" not in text or not _C1.search(text)):
        return (",\n" + indent).join(_row(row, indent) for row in rows)
    body = text[2:-2].replace("}," + _MARK + "{", f"\n{indent}}},\n{indent}{{\n{inner}")
    return "{\n" + inner + body.replace("," + _MARK, ",\n" + inner) + "\n" + indent + "}"


def _text_rows(rows: Iterable[dict[str, Any]], nested: tuple[str, ...], indent: str
               ) -> Iterator[str]:
    """The rows of ``rows`` as ``_row`` writes them, joined by comma, newline and
    ``indent``; the flat ones (no ``nested`` value) a page at a time."""
    page: list[dict[str, Any]] = []
    sep = ""
    for row in rows:
        if any(map(row.__getitem__, nested)):
            if page:
                yield sep + _page(page, indent)
                page, sep = [], ",\n" + indent
            yield sep + _row(row, indent)
            sep = ",\n" + indent
            continue
        page.append(row)
        if len(page) == PAGE:
            yield sep + _page(page, indent)
            page, sep = [], ",\n" + indent
    if page:
        yield sep + _page(page, indent)


#: the indent of a row in one of the result's lists
ROW_INDENT = "    "


class JsonTexts(TextRows):
    """Rows each given as its JSON object written at :data:`ROW_INDENT` (the C encoder's
    text, DEL and C1 not yet escaped: :class:`kam.storage.OverdueJson`'s), or as a dict
    where the backend could not write it (a :class:`TextRows` row). Joined a page at a
    time, without encoding what is already text."""


#: a reminder line's fields from its milestone (``kam.services.check``'s ``_MILESTONE``),
#: between its action and level and its event id
REMINDER_KEYS = ("receivable_id", "contract_id", "customer_id", "kind", "due_date",
                 "days_overdue", "outstanding", "currency")


def reminder_texts(reminders: Iterable[tuple[int, tuple[Any, ...], int, str | None]]
                   ) -> Iterator[str | dict[str, Any]]:
    """The reminder lines of a run (``kam check -f json``'s ``new``) as :class:`JsonTexts`
    rows: ``(milestone number, its fields, level (0: due), event id)`` each, in order.
    A milestone's fields are encoded once for all its reminders (a first run fires up to
    five per milestone) and each line put together around them: the text ``_row`` writes
    for the line's dict, the same C encoder's pieces joined as it joins them. A milestone
    with a value that is not flat gives its lines as dicts (``_row`` writes them)."""
    inner = ROW_INDENT + "  "
    sep = ",\n" + inner
    encode = _ROW_ENCODERS.get(inner)
    if encode is None:
        encode = _ROW_ENCODERS[inner] = _encoder(sep)
    quote = json.encoder.encode_basestring
    head, tail = "{\n" + inner + '"action": ', "\n" + ROW_INDENT + "}"
    last = -1
    middle: str | None = None
    for number, fields, level, event_id in reminders:
        if number != last:
            last = number
            middle = (encode(dict(zip(REMINDER_KEYS, fields, strict=True)))[1:-1]
                      if all(type(v) in _FLAT for v in fields) else None)
        if middle is None or (event_id is not None and type(event_id) is not str):
            yield {"action": "overdue" if level else "due", "level": level or None,
                   **dict(zip(REMINDER_KEYS, fields, strict=True)), "event_id": event_id}
            continue
        yield "".join((head, '"overdue"' if level else '"due"', sep, '"level": ',
                       str(level) if level else "null", sep, middle, sep, '"event_id": ',
                       "null" if event_id is None else quote(event_id), tail))


def _c1(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _json_texts(rows: JsonTexts, indent: str) -> Iterator[str]:
    """``rows`` as ``_text_rows`` writes their dicts: the texts joined ``PAGE`` at a time
    (DEL and C1 escaped as ``kam.output`` does, only in a page that has them), the runs of
    dicts through ``_text_rows``."""
    sep = ""
    for is_text, run in groupby(rows, key=lambda row: type(row) is str):
        if not is_text:
            for part in _text_rows(run, rows.nested, indent):
                yield sep + part
                sep = ""
            sep = ",\n" + indent
            continue
        while page := list(islice(run, PAGE)):
            text = (",\n" + indent).join(page)
            if not (text.isascii() and "\x7f" not in text) and _C1.search(text):
                text = _C1.sub(_c1, text)
            yield sep + text
            sep = ",\n" + indent


def chunks(data: Mapping[str, Any]) -> Iterator[str]:
    """``kam.output.json_chunks(data)`` for the run's result, its lists row by row."""
    yield "{"
    sep = "\n"
    for key, value in data.items():
        yield f"{sep}  {json.encoder.encode_basestring(key)}: "
        if isinstance(value, TextRows) and len(value):
            yield "[\n    "
            yield from (_json_texts(value, ROW_INDENT) if isinstance(value, JsonTexts)
                        else _text_rows(value, value.nested, ROW_INDENT))
            yield "\n  ]"
        elif isinstance(value, list | LazyList) and len(value):
            yield "["
            item_sep = "\n    "
            for row in value:
                yield item_sep + _row(row, "    ")
                item_sep = ",\n    "
            yield "\n  ]"
        else:
            yield from json_chunks(value, "  ")
        sep = ",\n"
    yield "\n}"
