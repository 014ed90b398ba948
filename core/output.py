"""Render results as ``table`` (kam.textable + wcwidth, so Chinese text aligns), ``json``
or ``csv``. One place, so every command prints the same way.

JSON is written by :func:`json_chunks`, byte for byte what ``json.dumps(indent=2,
ensure_ascii=False)`` wrote before, but row by row with the C string encoder and no
pre-walk of the whole structure (a 100k-row list never sits in memory as text twice).

JSON keys are the stable snake_case English keys; money is a decimal string and
dates are ISO 8601. CSV cells that a spreadsheet would run as a formula are
neutralised. Labels (zh/en) apply to ``table`` only; JSON and CSV keep the keys.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any, Protocol, runtime_checkable

from kam.column_pages import ColumnPage, RecordRuns, rows_of
from kam.text import visible
from kam.values import lazy_pattern

FORMATS = ("table", "json", "csv")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Labeler = Callable[[str, Any], Any]


class LazyList(Sequence[Any]):
    """A list made anew on each pass over it (``count`` items from ``produce()``), for rows
    too many to hold at once — a big team's battle map: renderers stream them page by
    page. Indexing or comparing builds the whole list (tests, small reports).

    With ``pages`` (the rows as :class:`kam.column_pages.ColumnPage` s, made anew on each
    call) the built-in renderers take the columns as they are; ``produce`` defaults to
    those pages' rows as dicts."""

    def __init__(self, count: int, produce: Callable[[], Iterator[Any]] | None = None,
                 pages: Callable[[], Iterator[ColumnPage]] | None = None) -> None:
        if produce is None:
            if pages is None:
                raise TypeError("LazyList needs produce or pages")
            made = pages
            produce = lambda: rows_of(made())  # noqa: E731
        self.size = count
        self.produce = produce
        self.pages = pages

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[Any]:
        return self.produce()

    def __getitem__(self, index: Any) -> Any:
        return list(self.produce())[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyList | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LazyList({self.size} items)"


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


def neutralise(text: str) -> str:
    """Defuse spreadsheet formula injection: prefix a quote to risky leading characters."""
    if text and text.startswith(FORMULA_START):
        try:
            Decimal(text)
            return text  # a plain negative number is data, not a formula
        except Exception:
            return "'" + text
    return text


def cell(value: Any) -> str:
    """One value as printed text; control characters are shown as escapes (kam.text)."""
    if type(value) is str:
        return visible(value)
    return visible(_cell(value))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        plain = jsonable(value)
        if isinstance(plain, list) and all(isinstance(v, str) for v in plain):
            return ",".join(plain)
        return json.dumps(plain, ensure_ascii=False, sort_keys=True)
    return str(jsonable(value))


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(cell(row.get(c))) for c in columns])
    return buf.getvalue()


@runtime_checkable
class ColumnLabeler(Protocol):
    """A labeler that also labels a page's column at once (a list's enum column has a
    handful of values: each is looked up once, not once per row)."""

    def __call__(self, column: str, value: Any) -> Any: ...

    def column_labels(self, column: str, values: Sequence[Any]) -> Sequence[Any]: ...


def _cells(rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
           labeler: Labeler | None) -> Iterator[tuple[str, ...]]:
    """Each row's cell texts (labelled), formatted a page's column at a time."""
    from kam.column_text import RECORD_PAGE, columns_of, pages

    return _page_cells(((columns, columns_of(page, columns))
                        for page in pages(rows, RECORD_PAGE)), labeler)


def _page_cells(column_pages: Iterable[tuple[Sequence[str], list[Sequence[Any]]]],
                labeler: Labeler | None) -> Iterator[tuple[str, ...]]:
    from kam.column_text import texts

    for columns, values in column_pages:
        if isinstance(labeler, ColumnLabeler):
            values = [labeler.column_labels(c, v) for c, v in zip(columns, values, strict=True)]
        elif labeler is not None:
            values = [[labeler(c, x) for x in v] for c, v in zip(columns, values, strict=True)]
        yield from zip(*[texts(v) for v in values], strict=True)


def _write_csv_pages(column_pages: Iterable[tuple[Sequence[str], list[Sequence[Any]]]],
                     header: Sequence[str], write: Callable[[str], Any]) -> None:
    """CSV of pages of columns (kam.storage.RecordPages), a page at a time: each page's
    text made a column at a time by :func:`kam.column_text.csv_text` (what csv.writer
    writes, without its look at every character of every cell: ~40 % of ``opp list -f
    csv``'s instructions)."""
    import csv
    import io

    from kam.column_text import csv_text, csv_texts

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(header)
    write(buf.getvalue())
    for _names, values in column_pages:
        write(csv_text([csv_texts(v) for v in values]))


def to_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
             headers: Sequence[str] | None = None, labeler: Labeler | None = None) -> str:
    from kam import textable

    return textable.table(_cells(rows, columns, labeler), list(headers or columns)) or "(none)"


def write_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
                write: Callable[[str], Any], headers: Sequence[str] | None = None,
                labeler: Labeler | None = None) -> None:
    """:func:`to_table` written page by page, with a newline at the end."""
    from kam import textable

    if not textable.write_table(_cells(rows, columns, labeler), write,
                                list(headers or columns)):
        write("(none)")
    write("\n")


def to_pairs(record: Mapping[str, Any], fields: Sequence[str] | None = None,
             labeler: Labeler | None = None,
             names: Callable[[str], str] | None = None) -> str:
    """One record as ``field  value`` lines; ``names`` gives each field's label."""
    from kam import textable

    keys = fields or list(record)
    body = [[names(k) if names else k,
             cell(labeler(k, record.get(k)) if labeler else record.get(k))] for k in keys]
    return textable.table(body)


def stream(data: Iterable[Mapping[str, Any]], fmt: str, columns: Sequence[str],
           write: Callable[[str], Any]) -> None:
    """Write rows as they come (json/csv), so a long list never sits in memory."""
    if fmt == "json":
        first = True
        parts: list[str] = []
        for n, row in enumerate(data):
            parts.append(("[\n  " if first else ",\n  ") + _encode(row, "  "))
            first = False
            if n % 500 == 499:  # a few big writes, not one per row
                write("".join(parts))
                parts.clear()
        parts.append("[]\n" if first else "\n]\n")
        write("".join(parts))
        return
    import csv
    import io
    import itertools

    from kam.column_text import csv_rows
    from kam.storage import RecordPages

    if isinstance(data, RecordPages) and data.csv_text is not None and not columns:
        for piece in data.csv_text():
            write(piece)
        return
    if isinstance(data, RecordPages):
        pages = data.columns(list(columns) if columns else None, stored_text=True)
        first_page = next(pages, None)
        header = list(columns) if first_page is None else first_page[0]
        _write_csv_pages(itertools.chain([] if first_page is None else [first_page], pages),
                         header, write)
        return
    rows = iter(data)
    first_row = next(rows, None)
    if not columns:
        columns = list(first_row or [])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    chained = itertools.chain([] if first_row is None else [first_row], rows)
    if not columns:  # rows with no fields: an empty line each, as csv.writer writes them
        writer.writerows([] for _ in chained)
        write(buf.getvalue())
        return
    for page in csv_rows(chained, columns):  # a page of rows at a time
        writer.writerows(page)
        write(buf.getvalue())
        buf.seek(0)
        buf.truncate()
    write(buf.getvalue())


def write_rows(data: Iterable[Any], fmt: str, columns: Sequence[str] | None,
               write: Callable[[str], Any], labeler: Labeler | None = None,
               headers: Sequence[str] | None = None, none: str = "(none)") -> None:
    """:func:`render` of a list of rows followed by a newline, written as the rows come
    (tables page by page): the same text, without holding it or the rows. ``none`` is
    what an empty table reads (（无） in Chinese)."""
    if fmt == "json":
        stream(data, "json", [], write)
        return
    from kam.storage import RecordPages

    if isinstance(data, RecordPages):  # the columns as read, a page at a time
        pages = data.columns(list(columns) if columns else None, stored_text=fmt == "csv")
        first_page = next(pages, None)
        if first_page is not None:
            paged = itertools.chain([first_page], pages)
            if fmt == "csv":
                _write_csv_pages(paged, first_page[0], write)
                return
            from kam import textable

            textable.write_table(_page_cells(paged, labeler), write,
                                 list(headers or first_page[0]))
            write("\n")
            return
        data = []
    rows = iter(data)
    first = next(rows, None)
    if first is None:
        if fmt == "csv":
            write(to_csv([], list(columns or [])))
        else:
            write(none + "\n")
        return
    cols = list(columns or first.keys())
    chained = itertools.chain([first], rows)
    if fmt == "csv":
        stream(chained, "csv", cols, write)
        return
    write_table(chained, cols, write, headers, labeler)


def render(data: Any, fmt: str, columns: Sequence[str] | None = None,
           labeler: Labeler | None = None, headers: Sequence[str] | None = None,
           names: Callable[[str], str] | None = None) -> str:
    """A list renders as rows, a mapping as one record."""
    if fmt == "json":
        if not isinstance(data, Mapping):
            data = list(data)
        return to_json(data)
    if isinstance(data, Mapping):
        if fmt == "csv":
            cols = list(columns or data.keys())
            return to_csv([data], cols).rstrip("\n")
        return to_pairs(data, columns, labeler, names)
    rows = list(data)
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        return to_csv(rows, cols).rstrip("\n")
    return to_table(rows, cols, headers, labeler)
