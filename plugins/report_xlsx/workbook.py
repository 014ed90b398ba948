"""A report as an xlsx workbook: one sheet per table, the header row frozen and in the
workspace's language, money as numbers in a currency format, dates as dates, columns
as wide as their (CJK-aware) text. Text is always text: a cell that looks like a
formula (``=1+1``) is stored as the string it is, never run by Excel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from kam.api import Report, Table, cell_text, column_header

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60


def _sheet_title(name: str, used: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
    title, n = base, 2
    while title.casefold() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.casefold())
    return title


def _width(value: Any) -> int:
    from wcwidth import wcswidth

    text = value if isinstance(value, str) else (f"{value:,.2f}" if isinstance(value, Decimal)
                                                 else str(value))
    return max((wcswidth(line) for line in text.splitlines() or [""]), default=0)


def _cell(sheet: Any, value: Any, table: Table | None = None, column: str = "",
          lang: str = "en") -> Any:
    from openpyxl.cell import WriteOnlyCell

    if table is not None and isinstance(value, list | tuple | dict):
        value = cell_text(table, column, value, lang)  # as md and table show it
    elif table is not None and isinstance(value, str):
        value = table.display.get(column, {}).get(value, value)  # a key as a reader says it
    cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
    if isinstance(value, Decimal):
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _table(book: Any, table: Table, report: Report, used: set[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(_sheet_title(table.title or table.name, used))
    headers = [column_header(table, c, report.lang) for c in table.columns]
    widths = [_width(h) for h in headers]
    rows = [*table.rows, *table.totals]
    for row in rows:
        for i, c in enumerate(table.columns):
            value = row.get(c)
            if isinstance(value, list | tuple | dict):
                value = cell_text(table, c, value, report.lang)
            elif isinstance(value, str):
                value = table.display.get(c, {}).get(value, value)
            if value is not None:
                widths[i] = max(widths[i], _width(value))
    for i, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(w + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    header_cells = []
    for h in headers:
        cell = _cell(sheet, h)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, row.get(c), table, c, report.lang) for c in table.columns])


def render_workbook(report: Report, ws: Any) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    used: set[str] = set()
    for table in report.tables:
        _table(book, table, report, used)
    if not report.tables:
        book.create_sheet(_sheet_title(report.name, used))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
