"""JSON as kam writes it (kam.output's ``json`` format and ``kam check -f json``): byte
for byte what ``json.dumps(indent=2, ensure_ascii=False)`` wrote before, but row by row
with the C string encoder and no pre-walk of the whole structure (a 100k-row list never
sits in memory as text twice), a long list's records a field at a time, and rows given
as columns (kam.column_pages) taken as they are. DEL and C1 controls become ``\\u00XX``
escapes. Money is a decimal string and dates are ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from kam.column_pages import LazyList, RecordRuns
from kam.values import lazy_pattern


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if hasattr(value, "to_dict"):
        return jsonable(value.to_dict())
    return value


def to_json(data: Any) -> str:
    """JSON text; DEL and C1 controls (which json.dumps leaves raw) become ``\\u00XX``
    escapes, so printing it never drives the terminal."""
    return "".join(json_chunks(data))


_C1 = lazy_pattern(globals(), "_C1", r"[\x7f-\x9f]")  # JSON only: compiled on first use
_quote = json.encoder.encode_basestring  # the C encoder when present (ensure_ascii off)
_BIG = 16
"""A list with more items than this (a list of rows), or a mapping holding one, is
written item by item; a record (a mapping of values) in one go."""
_PAGE = 100
"""Rows of a long list encoded at a time (a field at a time when they are records): as
fast as 500, whose texts and fields held ~6 MB more at once."""


def _c1(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _string(text: str) -> str:
    quoted = _quote(text)
    if quoted.isascii() and "\x7f" not in quoted:  # DEL is ASCII, and escaped too
        return quoted
    return _C1.sub(_c1, quoted)


def _scalar(value: Any) -> str | None:
    """A JSON scalar's text, or None for a container (what jsonable + dumps gave)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return int.__repr__(value)
    if isinstance(value, Decimal):
        return '"' + str(value) + '"'
    if isinstance(value, dt.date):  # datetime too
        return _string(value.isoformat())
    if isinstance(value, str):
        return _string(str(value))
    if isinstance(value, int | float):
        return json.dumps(value)
    return None


def _decimal(value: Decimal) -> str:
    return '"' + str(value) + '"'


#: exact type → its JSON text, for the values rows are made of (no isinstance chain)
_FAST: dict[type, Callable[[Any], str]] = {
    str: _string, int: int.__repr__, Decimal: _decimal,
    type(None): lambda _v: "null", bool: lambda v: "true" if v else "false",
    dt.date: lambda v: '"' + v.isoformat() + '"',
}


class _Heads(dict[Any, str]):
    """A key's line head at one indent (``  "key": ``), each text key's made once: a
    list of rows repeats the same keys (~2M items in a big team's battle map)."""

    def __init__(self, inner: str) -> None:
        super().__init__()
        self.inner = inner

    def __missing__(self, key: Any) -> str:
        head = f"{self.inner}{_string(str(key))}: "
        if type(key) is str:  # 1 and True are one dict key but two texts: not kept
            if len(self) > 4096:
                self.clear()
            self[key] = head
        return head


_HEADS: dict[str, _Heads] = {}


class _DateTexts(dict[Any, str]):
    """A date's JSON text (or None's), each made once (``memo[day]``): a big team's
    milestones repeat ~2k due dates 200k times, pages of 100 rows apart."""

    def __missing__(self, day: Any) -> str:
        if len(self) > 65536:
            self.clear()
        text = self[day] = "null" if day is None else '"' + day.isoformat() + '"'
        return text


_DATE_JSON = _DateTexts()


def _encode(value: Any, indent: str) -> str:
    """One value as indented JSON text, ``indent`` being the current line's."""
    fast = _FAST.get(type(value))
    if fast is not None:
        return fast(value)
    inner = indent + "  "
    if type(value) is dict or isinstance(value, Mapping):
        if not value:
            return "{}"
        heads = _HEADS.get(inner)
        if heads is None:
            heads = _HEADS[inner] = _Heads(inner)
        get = _FAST.get
        parts = [heads[k] + (fast(v) if (fast := get(type(v))) is not None
                             else _encode(v, inner)) for k, v in value.items()]
        return "{\n" + ",\n".join(parts) + "\n" + indent + "}"
    if isinstance(value, list | tuple | set | LazyList):
        if not value:
            return "[]"
        return ("[\n" + ",\n".join([inner + _encode(v, inner) for v in value])
                + "\n" + indent + "]")
    text = _scalar(value)
    if text is not None:
        return text
    if hasattr(value, "to_dict"):
        return _encode(value.to_dict(), indent)
    return json.dumps(jsonable(value))  # not JSON: raises TypeError, as before


def by_object(convert: Callable[[Any], str], values: Sequence[Any]) -> list[str]:
    """``list(map(convert, values))``, ``convert`` called once per distinct object: the
    same object always has the same text where equal values may not (Decimal 1.0 and
    1.00 are equal). A backend's memo shares each amount's object (a big team's 200k
    milestone amounts are a few thousand objects); values mostly distinct objects are
    converted one by one. The values are held by the list while their ids are keys.
    Worth it where the text is costly (``f"{v:,}"``: table and md); ``'"%s"' % v`` (json,
    csv) costs about what the lookup does."""
    held = values if type(values) is list or type(values) is tuple else list(values)
    ids = list(map(id, held))
    objects = dict(zip(ids, held, strict=True))
    if len(objects) * 2 > len(ids):
        return list(map(convert, held))
    made = dict(zip(objects, map(convert, objects.values()), strict=True))
    return list(map(made.__getitem__, ids))


def _texts_json(values: Sequence[Any]) -> list[str] | None:
    """Each value's text as :func:`_encode` writes it, for a column of plain values
    (texts, numbers, money, dates, yes/no, gaps) — a column at a time, each distinct
    hashable value once where equal values have one text (not money: 1.0 and 1.00) —
    or None when a value is of another type."""
    kinds = set(map(type, values))
    if not kinds <= _FAST.keys():
        return None
    if kinds == {str}:
        quoted = list(map(_quote, values))
        joined = "".join(quoted)
        if joined.isascii() and "\x7f" not in joined or not _C1.search(joined):
            return quoted
        return [_C1.sub(_c1, q) for q in quoted]
    if len(kinds) == 1 and Decimal in kinds:
        return list(map('"%s"'.__mod__, values))
    if kinds <= {dt.date, type(None)}:  # due dates: each made once across pages
        return list(map(_DATE_JSON.__getitem__, values))
    if Decimal not in kinds and not (bool in kinds and int in kinds):
        made = {v: _FAST[type(v)](v) for v in set(values)}
        return list(map(made.__getitem__, values))
    fast = _FAST.__getitem__
    return [fast(type(v))(v) for v in values]


def _same_keys(records: Sequence[Any]) -> tuple[str, ...] | None:
    """The text keys every record (an exact dict) has, in the same order, or None."""
    if not records or set(map(type, records)) != {dict}:
        return None
    keys = tuple(records[0])
    if not keys or any(type(k) is not str for k in keys) or not all(
            tuple(r) == keys for r in records):
        return None
    return keys


def _template(keys: Sequence[str], indent: str) -> str:
    """A record's JSON at ``indent`` with a ``%s`` for each value, as _encode lays it."""
    inner = indent + "  "
    return ("{\n" + ",\n".join((inner + _string(k)).replace("%", "%%") + ": %s"
                                for k in keys) + "\n" + indent + "}")


def _column_json(values: Sequence[Any], indent: str) -> list[str]:
    """``[_encode(v, indent) for v in values]``, a column at a time where it can: plain
    values by :func:`_texts_json`, lists of records of the same keys (the battle map's
    milestones) a field at a time."""
    inner = indent + "  "
    if type(values) is RecordRuns and _text_keys(values.keys):  # a column of lists of
        texts = _fields_json(values.keys, values.fields, inner)  # records, as fields
        return [_list_json(texts[at - n:at], inner, indent) if n else "[]" for n, at
                in zip(values.counts, itertools.accumulate(values.counts), strict=True)]
    made = _texts_json(values)
    if made is not None:
        return made
    if set(map(type, values)) <= {list, type(None)}:
        records = [r for v in values if v for r in v]
        made = _records_json(records, inner) if records else []
        if made is not None:
            out: list[str] = []
            at = 0
            for v in values:
                if not v:
                    out.append("null" if v is None else "[]")
                    continue
                out.append(_list_json(made[at:at + len(v)], inner, indent))
                at += len(v)
            return out
    return [_encode(v, indent) for v in values]


def _list_json(texts: list[str], inner: str, indent: str) -> str:
    """A non-empty list as :func:`_encode` lays it, given its items' texts at ``inner``."""
    return "[\n" + inner + (",\n" + inner).join(texts) + "\n" + indent + "]"


def _text_keys(keys: Sequence[Any]) -> bool:
    """Keys a ``%`` template may name (:func:`_same_keys`' condition)."""
    return bool(keys) and all(type(k) is str for k in keys)


def _records_json(records: Sequence[Any], indent: str) -> list[str] | None:
    """Each record's :func:`_encode` at ``indent``, a field at a time (one ``%``
    template per record), or None when they are not dicts of the same text keys."""
    keys = _same_keys(records)
    if keys is None:
        return None
    return _fields_json(keys, [list(map(itemgetter(k), records)) for k in keys], indent)


def _fields_json(keys: Sequence[str], fields: Sequence[Sequence[Any]], indent: str
                 ) -> list[str]:
    """Each record's :func:`_encode` at ``indent`` from its fields (``fields[k]``: every
    record's ``keys[k]``), one ``%`` template per record."""
    inner = indent + "  "
    texts = [_column_json(field, inner) for field in fields]
    return list(map(_template(keys, indent).__mod__, zip(*texts, strict=True)))


def _big(data: Any) -> bool:
    """A long list, or a mapping holding one at any depth: written item by item."""
    kind = type(data)
    if kind is list or kind is tuple:
        return len(data) > _BIG
    if kind is dict or isinstance(data, Mapping):  # a report holds its rows deep down
        for v in data.values():
            inner = type(v)
            if inner in _FAST:  # a plain value: most of a row's, told apart at once
                continue
            if (inner in (list, tuple, dict, LazyList) or isinstance(v, Mapping)) and _big(v):
                return True
        return False
    if kind is LazyList:
        return len(data) > _BIG
    return False


def json_chunks(data: Any, indent: str = "") -> Iterator[str]:
    """The JSON text of ``data`` in pieces (no newline at the end): a big list or mapping
    item by item, so rows stream out as they are encoded."""
    if _big(data):
        inner = indent + "  "
        if isinstance(data, Mapping):
            yield "{"
            sep = "\n"
            for k, v in data.items():
                yield f"{sep}{inner}{_string(str(k))}: "
                yield from json_chunks(v, inner) if _big(v) else (_encode(v, inner),)
                sep = ",\n"
            yield "\n" + indent + "}"
        else:
            yield "["
            sep = "\n"
            if type(data) is LazyList and data.pages is not None:
                for piece in (p for made in data.pages() for p in made.pieces(_PAGE)):
                    if not piece.size:  # rows as columns (kam.column_pages)
                        continue
                    lines = (_fields_json(piece.keys, piece.columns, inner)
                             if _text_keys(piece.keys)
                             else [_encode(row, inner) for row in piece.rows()])
                    yield sep + inner + (",\n" + inner).join(lines)
                    sep = ",\n"
                yield "\n" + indent + "]"
                return
            items = iter(data)
            while page := list(itertools.islice(items, _PAGE)):
                texts = _records_json(page, inner)  # rows: a page of records at a time
                if texts is not None:
                    yield sep + inner + (",\n" + inner).join(texts)
                    sep = ",\n"
                    continue
                for v in page:
                    yield sep + inner
                    yield from json_chunks(v, inner) if _big(v) else (_encode(v, inner),)
                    sep = ",\n"
            yield "\n" + indent + "]"
        return
    if isinstance(data, Iterator):
        data = list(data)
    yield _encode(data, indent)
