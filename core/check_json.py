"""``kam check -f json``: the run's result as ``kam.output.json_chunks`` writes it, byte
for byte, with its flat rows (~100k reminder lines on a big team's first run, the overdue
milestones every day) encoded by the C JSON encoder instead of value by value."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
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


def chunks(data: Mapping[str, Any]) -> Iterator[str]:
    """``kam.output.json_chunks(data)`` for the run's result, its lists row by row."""
    yield "{"
    sep = "\n"
    for key, value in data.items():
        yield f"{sep}  {json.encoder.encode_basestring(key)}: "
        if isinstance(value, list | LazyList) and len(value):
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
