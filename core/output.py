"""Render results as ``table`` (tabulate + wcwidth, so Chinese text aligns), ``json``
or ``csv``. One place, so every command prints the same way.

JSON keys are the stable snake_case English keys; money is a decimal string and
dates are ISO 8601. CSV cells that a spreadsheet would run as a formula are
neutralised. Labels (zh/en) apply to ``table`` only; JSON and CSV keep the keys.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

FORMATS = ("table", "json", "csv")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Labeler = Callable[[str, Any], Any]


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
    text = json.dumps(jsonable(data), ensure_ascii=False, indent=2, sort_keys=False)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_C1 = re.compile(r"[\x7f-\x9f]")


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
    from kam.text import visible

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


def to_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
             headers: Sequence[str] | None = None, labeler: Labeler | None = None) -> str:
    import tabulate as tab

    tab.WIDE_CHARS_MODE = True  # wcwidth: a CJK character takes two columns
    body = []
    for row in rows:
        body.append([
            cell(labeler(c, row.get(c)) if labeler else row.get(c)) for c in columns
        ])
    if not body:
        return "(none)"
    return tab.tabulate(body, headers=list(headers or columns), tablefmt="simple",
                        disable_numparse=True)


def to_pairs(record: Mapping[str, Any], fields: Sequence[str] | None = None,
             labeler: Labeler | None = None) -> str:
    import tabulate as tab

    tab.WIDE_CHARS_MODE = True
    keys = fields or list(record)
    body = [[k, cell(labeler(k, record.get(k)) if labeler else record.get(k))] for k in keys]
    return tab.tabulate(body, tablefmt="plain", disable_numparse=True)


def stream(data: Iterable[Mapping[str, Any]], fmt: str, columns: Sequence[str],
           write: Callable[[str], Any]) -> None:
    """Write rows as they come (json/csv), so a long list never sits in memory."""
    if fmt == "json":
        first = True
        for row in data:
            write(("[\n" if first else ",\n") + _indent(to_json(row)))
            first = False
        write("[]\n" if first else "\n]\n")
        return
    import csv
    import io
    import itertools

    rows = iter(data)
    first_row = next(rows, None)
    if not columns:
        columns = list(first_row or [])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for n, row in enumerate(itertools.chain([first_row] if first_row else [], rows)):
        writer.writerow([neutralise(cell(row.get(c))) for c in columns])
        if n % 500 == 499:
            write(buf.getvalue())
            buf.seek(0)
            buf.truncate()
    write(buf.getvalue())


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def render(data: Any, fmt: str, columns: Sequence[str] | None = None,
           labeler: Labeler | None = None, headers: Sequence[str] | None = None) -> str:
    """A list renders as rows, a mapping as one record."""
    if fmt == "json":
        if not isinstance(data, Mapping):
            data = list(data)
        return to_json(data)
    if isinstance(data, Mapping):
        if fmt == "csv":
            cols = list(columns or data.keys())
            return to_csv([data], cols).rstrip("\n")
        return to_pairs(data, columns, labeler)
    rows = list(data)
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        return to_csv(rows, cols).rstrip("\n")
    return to_table(rows, cols, headers, labeler)
