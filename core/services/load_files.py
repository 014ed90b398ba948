"""Reading a team's own files for ``kam load``: CSV in the encodings Excel writes, XLSX
(a sheet by name or index, merged header cells, blank rows) and JSON lines.

Every row keeps its number in the file, so a refusal can name the row a person sees in
Excel. Values stay as the file has them (text, numbers, dates); mapping and validation
happen later, by the record kind's declaration.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kam.errors import InputError

#: tried in order when no ``--encoding`` is given: UTF-8 (with or without BOM), then
#: GB18030, a superset of GBK and GB2312, which Excel in China writes
ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class Sheet:
    """A file's header and rows: ``headers[i]`` is the text (or, under merged header
    cells, the texts from top to bottom) heading column ``i``."""

    headers: list[list[str]]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    encoding: str | None = None


def read(path: Path, *, sheet: str | None = None, encoding: str | None = None) -> Sheet:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path, sheet)
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl(path, encoding)
    if sheet is not None:
        raise InputError("--sheet: only an .xlsx workbook has sheets")
    return _csv(path, encoding)


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputError(f"--encoding: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"the file is not {encoding}: byte {exc.start} "
                             f"({exc.reason})") from None
    for name in ENCODINGS:
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    raise InputError("the file is neither UTF-8 nor GB18030/GBK; name it with --encoding")


def _csv(path: Path, encoding: str | None) -> Sheet:
    text, used = _decode(path.read_bytes(), encoding)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    out: Sheet | None = None
    try:
        for number, row in enumerate(reader, start=1):
            if _blank(list(row)):
                continue
            if out is None:
                out = Sheet([[h.strip()] for h in row], encoding=used)
            else:
                out.rows.append((reader.line_num if reader.line_num else number, list(row)))
    except csv.Error as exc:
        raise InputError(f"{path.name}: not a readable CSV file ({exc})") from None
    if out is None:
        raise InputError(f"{path.name}: the file is empty")
    return out


def _jsonl(path: Path, encoding: str | None) -> Sheet:
    text, used = _decode(path.read_bytes(), encoding)
    records: list[tuple[int, dict[str, Any]]] = []
    keys: dict[str, None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"row {number}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            raise InputError(f"row {number}: a line must be a JSON object")
        records.append((number, item))
        keys.update(dict.fromkeys(str(k) for k in item))
    names = list(keys)
    sheet = Sheet([[k] for k in names], encoding=used)
    sheet.rows = [(n, [item.get(k) for k in names]) for n, item in records]
    return sheet


def _xlsx(path: Path, sheet: str | None) -> Sheet:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:  # not read-only: merged cells are only known to a full workbook
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise InputError(f"{path.name}: not a readable .xlsx workbook ({exc})") from None
    ws = _pick(book, sheet)
    merged = [(r.min_row, r.max_row, r.min_col, r.max_col) for r in ws.merged_cells.ranges]
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for top, bottom, left, right in merged:  # a merged cell's value fills its range
        value = grid[top - 1][left - 1] if top - 1 < len(grid) else None
        for r in range(top - 1, min(bottom, len(grid))):
            for c in range(left - 1, min(right, len(grid[r]))):
                grid[r][c] = value
    first = next((i for i, row in enumerate(grid) if not _blank(row)), None)
    if first is None:
        raise InputError(f"{path.name}: sheet {ws.title!r} is empty")
    # a header row whose cells are merged downwards, or spans a group over the row
    # below, makes the header taller: it ends at the lowest merged header cell
    last = first
    for top, bottom, _, _ in merged:
        if top - 1 == first or first < top - 1 <= last:
            last = max(last, bottom - 1)
    if last == first and any(t - 1 == first and r > lft for t, _, lft, r in merged):
        last = first + 1  # a group title over the columns' own names
    width = max(len(row) for row in grid[first:last + 1])
    headers: list[list[str]] = []
    for c in range(width):
        texts: list[str] = []
        for row in grid[first:last + 1]:
            value = row[c] if c < len(row) else None
            text = "" if value is None else str(value).strip()
            if text and text not in texts:
                texts.append(text)
        headers.append(texts or [""])
    out = Sheet(headers)
    for i in range(last + 1, len(grid)):
        if not _blank(grid[i]):
            out.rows.append((i + 1, grid[i] + [None] * (width - len(grid[i]))))
    return out


def _pick(book: Any, sheet: str | None) -> Any:
    if sheet is None:
        return book.worksheets[0]
    if sheet in book.sheetnames:
        return book[sheet]
    if sheet.isdigit() and 1 <= int(sheet) <= len(book.worksheets):
        return book.worksheets[int(sheet) - 1]
    raise InputError(f"--sheet: no sheet {sheet!r}; the workbook has "
                     + ", ".join(book.sheetnames))
