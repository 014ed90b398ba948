"""Cells and files of the CSV backend: how a value is stored, written in a cell and
parsed back (with file, row and column named on a bad value), and whole files parsed
and rendered in a kind's column order."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from kam.errors import InputError
from kam.kinds import Kind
from kam.storage import id_number, split_filter
from kam.storage import to_stored as stored_form

CENT = Decimal("0.01")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

csv.field_size_limit(2**31 - 1)

Row = dict[str, Any]  # a stored row: money as int cents, bools 0/1, dates ISO text, json text


# --- values ---------------------------------------------------------------------------


def to_stored(ftype: str, value: Any) -> Any:
    """A record value → its stored form: SQLite's (kam.storage.to_stored) for money,
    booleans and json; dates and text empty → none, decimals and ints as numbers (a CSV
    cell holds only text, so the row keeps the typed value)."""
    if value is None:
        return None
    if ftype in ("money", "bool", "json"):
        return stored_form(ftype, value)
    if ftype in ("date", "datetime"):
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return text or None
    if ftype == "decimal":
        return Decimal(str(value))
    if ftype == "int":
        return int(value)
    text = value if isinstance(value, str) else str(value)
    return text or None


def from_stored(ftype: str, value: Any) -> Any:
    if value is None:
        return None
    if ftype == "money":
        return (Decimal(value) / 100).quantize(CENT)
    if ftype == "bool":
        return bool(value)
    if ftype == "json":
        return json.loads(value)
    if ftype == "date":
        return dt.date.fromisoformat(value)
    return value


def cents_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def to_cell(ftype: str, value: Any) -> str:
    if value is None:
        return ""
    if ftype == "money":
        return cents_text(value)
    if ftype == "bool":
        return "true" if value else "false"
    return str(value)


def _parse_money(text: str) -> int:
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
    if not d.is_finite() or d != d.quantize(CENT):
        raise ValueError(f"{text!r} is not an amount with at most two decimals")
    return int(d * 100)


def _parse_decimal(text: str) -> Decimal:
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not d.is_finite():
        raise ValueError(f"{text!r} is not a number")
    return d


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def _parse_bool(text: str) -> int:
    low = text.strip().lower()
    if low in ("true", "1"):
        return 1
    if low in ("false", "0"):
        return 0
    raise ValueError(f"{text!r} is not true or false")


def _parse_date(text: str) -> str:
    try:
        if _ISO_DATE.match(text):
            dt.date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise ValueError(f"{text!r} is not an ISO date (YYYY-MM-DD)")


def _parse_datetime(text: str) -> str:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date-time") from None
    return text


def _parse_json(text: str) -> str:
    try:
        json.loads(text)
    except ValueError:
        raise ValueError(f"{text!r} is not valid JSON") from None
    return text


_PARSERS: dict[str, Callable[[str], Any] | None] = {
    "text": None,
    "int": _parse_int,
    "bool": _parse_bool,
    "money": _parse_money,
    "decimal": _parse_decimal,
    "date": _parse_date,
    "datetime": _parse_datetime,
    "json": _parse_json,
}


_PASSTHROUGH = {"text", "int", "decimal", "datetime"}
_CONVERTED: dict[Kind, list[tuple[str, str]]] = {}


def _converted(k: Kind) -> list[tuple[str, str]]:
    """The fields of a kind whose stored form differs from the record value."""
    found = _CONVERTED.get(k)
    if found is None:
        found = _CONVERTED[k] = [(f.name, f.type) for f in k.fields
                                 if f.type not in _PASSTHROUGH]
    return found


def _id_key(record_id: str) -> tuple[int, str]:
    return id_number(record_id), record_id


# --- files ----------------------------------------------------------------------------


def check_header(k: Kind, header: list[str], where: str) -> None:
    """A file's header: known columns of the kind, each once, an id among them (the
    full parse and the lazy reads of kam.plugins.storage_csv.reading)."""
    known = set(k.names)
    unknown = [c for c in header if c not in known]
    if unknown:
        raise InputError(f"{where} row 1: unknown column {unknown[0]!r} for {k.name}")
    if len(set(header)) != len(header):
        raise InputError(f"{where} row 1: a column appears twice")
    if "id" not in header:
        raise InputError(f"{where} row 1: no id column")


def parse_rows(k: Kind, text: str, where: str, first_row: int = 2,
               header: list[str] | None = None) -> tuple[list[str], list[Row]]:
    """Parse CSV text into stored rows, naming file, row and column on any bad value.

    Row numbers are spreadsheet rows: the header is row 1.
    """
    reader = csv.reader(io.StringIO(text))
    n = first_row - 1
    try:
        if header is None:
            header = next(reader, None)
            if header is None:
                return [], []
            n = 1
        check_header(k, header, where)
        convs = [(i, name, _PARSERS[k.type_of(name)]) for i, name in enumerate(header)]
        width = len(header)
        rows: list[Row] = []
        blank = dict.fromkeys(k.names)
        for cells in reader:
            n += 1
            if not cells:
                continue
            if len(cells) != width:
                raise InputError(f"{where} row {n}: {len(cells)} cells, the header has {width}")
            row = dict(blank)
            for i, name, parse in convs:
                text_ = cells[i]
                if not text_:
                    continue
                if parse is None:
                    row[name] = text_
                    continue
                try:
                    row[name] = parse(text_)
                except ValueError as exc:
                    raise InputError(f"{where} row {n}, column {name}: {exc}") from None
            if not row["id"]:
                raise InputError(f"{where} row {n}, column id: empty")
            rows.append(row)
    except csv.Error as exc:
        raise InputError(f"{where} row {n + 1}: {exc}") from None
    return header, rows


def render_rows(k: Kind, rows: Sequence[Row], header: bool = True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(k.names)
    types = [(f.name, f.type) for f in k.fields]
    writer.writerows([to_cell(t, r.get(n)) for n, t in types] for r in rows)
    return buf.getvalue()


def predicate(k: Kind, key: str, want: Any) -> Callable[[Row], bool]:
    """A filter (``field`` or ``field__op``) as a test of one stored row."""
    name, op = split_filter(k, key)
    ftype = k.type_of(name)

    def norm(value: Any) -> Any:
        try:
            return to_stored(ftype, value)
        except (ValueError, TypeError, ArithmeticError):
            raise InputError(f"{k.name}.{name}: {value!r} is not a {ftype}") from None

    if op == "isnull":
        if want:
            return lambda r: r[name] is None
        return lambda r: r[name] is not None
    if op == "in":
        items = frozenset(norm(v) for v in want if v is not None)  # stored forms hash
        return lambda r: r[name] is not None and r[name] in items
    if want is None and op in ("eq", "ne"):
        if op == "eq":
            return lambda r: r[name] is None
        return lambda r: r[name] is not None
    w = norm(want)
    if op == "eq":
        return lambda r: r[name] == w
    if op == "ne":
        return lambda r: r[name] != w
    if op == "lt":
        return lambda r: r[name] is not None and r[name] < w
    if op == "le":
        return lambda r: r[name] is not None and r[name] <= w
    if op == "gt":
        return lambda r: r[name] is not None and r[name] > w
    return lambda r: r[name] is not None and r[name] >= w
