"""Render a :class:`kam.reports.Report` as Markdown: a title with the workspace and the
as-of date, one section per table (cells escaped), Mermaid charts, notes.

The output depends only on the report: the same data and as-of date give the same
bytes (no clock, no absolute paths, stable order).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from kam.api import (
    Chart,
    Report,
    Table,
    cell_rows,
    column_header,
    is_numeric,
    is_zh,
    neutralise,
    pick,
)


def escape(text: str) -> str:
    """A Markdown table cell: no ``|`` breaks the row, no newline breaks the table, and a
    cell a spreadsheet would run as a formula is neutralised."""
    text = neutralise(text)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


#: a cell after the first (cells joined by NUL) that a spreadsheet would run as a formula:
#: a pattern that starts with its one literal (NUL) is searched for by that character —
#: ``(?:^|\0)`` was tried at every character of a page's ~1 MB of milestones
_FORMULA_CELL = re.compile("\0[=+\\-@\t\r]")
#: what the first cell starts with when it is formula-like
_FORMULA_FIRST = frozenset("=+-@\t\r")
PAGE = 2000
"""Rows escaped a column at a time."""
BLOCK = 250
"""Rows' lines passed on as one piece."""


def escaped_column(cells: Sequence[str]) -> list[str]:
    """``[escape(c) for c in cells]``: a column with no formula-like cell escaped in one
    pass over its text (a battle map's 45k milestone cells), else cell by cell."""
    joined = "\0".join(cells)
    if joined.count("\0") != len(cells) - 1 or joined[:1] in _FORMULA_FIRST \
            or _FORMULA_CELL.search(joined):
        return [escape(c) for c in cells]
    joined = joined.replace("\\", "\\\\").replace("|", "\\|")
    joined = joined.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")
    return joined.split("\0") if cells else []


def _words(lang: str) -> dict[str, str]:
    if is_zh(lang):
        words = {"as_of": "截至", "none": "（无）", "charts": "图表", "filters": "筛选",
                 "total": "合计"}
        return {k: pick(lang, v, v) for k, v in words.items()}
    return {"as_of": "as of", "none": "(none)", "charts": "Charts", "filters": "Filters",
            "total": "total"}


def render_markdown(report: Report, ws: Any = None) -> str:
    return "".join(markdown_chunks(report, ws))


def markdown_chunks(report: Report, ws: Any = None) -> Iterator[str]:
    """:func:`render_markdown` a line at a time: a report's rows are written as they come
    (a big team's battle map is never held as one text). Ends with exactly one newline."""
    batch: list[str] = []
    for piece in joined(_lines(report)):
        batch.append(piece)
        # written in blocks (one write per line is slow); a table's page of rows comes
        # as one piece, written at once
        if len(batch) == 500 or len(piece) > 4096:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def joined(lines: Iterable[str]) -> Iterator[str]:
    """``"\\n".join(lines).rstrip("\\n") + "\\n"`` in pieces, without holding the lines."""
    pending, sep = "", ""
    for line in lines:
        piece = sep + line  # the lines joined by newlines, and at the very end
        sep = "\n"          # the newlines (of any line) replaced by one
        body = piece.rstrip("\n")
        if body:
            yield pending + body
            pending = piece[len(body):]
        else:
            pending += piece
    yield "\n"


def _lines(report: Report) -> Iterator[str]:
    w = _words(report.lang)
    yield from (f"# {report.title} · {report.workspace} · {w['as_of']} {report.as_of}", "")
    filters = report.meta.get("filters") or {}
    if filters:
        given = ", ".join(f"{k}={v}" for k, v in sorted(filters.items()))
        yield from (f"{w['filters']}: {escape(given)}", "")
    for t in report.tables:
        yield f"## {t.title or t.name}"
        yield ""
        yield from table_lines(t, report.lang, w)
        yield ""
        if t.note:
            yield from (t.note, "")
    if report.charts:
        yield from (f"## {w['charts']}", "")
        for chart in report.charts:
            yield from ("```mermaid", *mermaid(chart), "```", "")
    for note in report.notes:
        yield from (note, "")


def table_lines(t: Table, lang: str, w: dict[str, str]) -> Iterator[str]:
    if not t.rows and not t.totals:
        yield w["none"]
        return
    headers = [escape(column_header(t, c, lang)) for c in t.columns]
    rules = ["---:" if is_numeric(t, c) else "---" for c in t.columns]
    yield "| " + " | ".join(headers) + " |"
    yield "| " + " | ".join(rules) + " |"
    rows = cell_rows(t, t.rows, lang)  # a page of rows a column at a time
    while page := list(islice(rows, PAGE)):
        if not t.columns:
            yield from ("|  |" for _row in page)
            continue
        columns = [escaped_column(col) for col in zip(*page, strict=True)]
        page.clear()
        # the page's lines a block at a time: one piece down the stream per block of
        # rows, not one per row (a block, not the page: the page's text is not copied
        # whole on its way out)
        lines = map("| {} |".format, map(" | ".join, zip(*columns, strict=True)))
        while block := list(islice(lines, BLOCK)):
            yield "\n".join(block)
    for row in cell_rows(t, t.totals, lang):
        yield "| " + " | ".join(f"**{text}**" if text else "" for text in map(escape, row)) + " |"


def _quote(text: str) -> str:
    return '"' + str(text).replace('"', "'").replace("\n", " ") + '"'


def _number(value: Any) -> str:
    if value is None:
        return "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def mermaid(chart: Chart) -> list[str]:
    if chart.kind == "pie":
        lines = [f"pie title {_quote(chart.title)[1:-1]}"]
        values = chart.series[0].values if chart.series else []
        for label, value in zip(chart.x, values, strict=False):
            if value:
                lines.append(f"    {_quote(label)} : {_number(value)}")
        return lines
    head = "xychart-beta horizontal" if chart.kind == "hbar" else "xychart-beta"
    lines = [head, f"    title {_quote(chart.title)}",
             "    x-axis [" + ", ".join(_quote(x) for x in chart.x) + "]"]
    if chart.y_label:
        lines.append(f"    y-axis {_quote(chart.y_label)}")
    for s in chart.series:
        kind = "line" if s.kind == "line" else "bar"
        lines.append(f"    {kind} [" + ", ".join(_number(v) for v in s.values) + "]")
    return lines
