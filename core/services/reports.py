"""Running reports: find one by name, build it, render it, and write it for cron.

Reports and formats come from plugins (``kam_register_reports``,
``kam_register_formats``), the built-in ones included. The core renders every
report as ``table``, ``json`` and ``csv`` itself; a plugin format of one of those
names is ignored (the core's output is what scripts rely on).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kam.errors import InputError, StorageError
from kam.i18n import is_zh, pick
from kam.reports import Report, Table
from kam.workspace import Workspace

CORE_FORMATS = ("table", "json", "csv")
EXTENSIONS = {".xlsx": "xlsx", ".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv",
              ".txt": "table"}


# --- finding and building ------------------------------------------------------------


def catalogue(ws: Workspace) -> list[dict[str, str]]:
    """Every registered report: name, description, and the plugin that supplied it."""
    reg = ws.plugins.reports()
    rows = []
    for name in sorted(reg.items):
        _build, description = _unpack(reg.items[name])
        rows.append({"name": name, "description": description, "plugin": reg.owners[name]})
    return rows


def _unpack(item: Any) -> tuple[Any, str]:
    if isinstance(item, tuple):
        build = item[0]
        description = item[1] if len(item) > 1 and isinstance(item[1], str) else ""
        if not description and isinstance(item[-1], dict):
            description = str(item[-1].get("description", ""))
        return build, description
    return item, ""


def build(ws: Workspace, name: str, record_id: str | None = None,
          **options: Any) -> Report:
    reg = ws.plugins.reports()
    key = (name or "").strip().lower()
    if key not in reg.items:
        known = ", ".join(sorted(reg.items)) or "none"
        raise InputError(f"unknown report {name!r}; available: {known}")
    builder, _ = _unpack(reg.items[key])
    given = {k: v for k, v in options.items() if v is not None and v != ""}
    if record_id:
        given["record_id"] = record_id.strip().upper()
    report = builder(ws, **given)
    if not isinstance(report, Report):
        raise InputError(f"report {key!r} (plugin {reg.owners[key]}) did not return a Report")
    return report


# --- formats ---------------------------------------------------------------------------


def formats(ws: Workspace) -> list[str]:
    return list(CORE_FORMATS) + sorted(f for f in ws.plugins.formats().items
                                       if f not in CORE_FORMATS)


def resolve_format(ws: Workspace, fmt: str | None, output: str | None) -> str:
    """The format asked for, else the one the output file's extension names, else table."""
    if fmt:
        chosen = fmt.strip().lower()
    elif output:
        chosen = EXTENSIONS.get(Path(output).suffix.lower(), "table")
    else:
        chosen = "table"
    if chosen not in CORE_FORMATS and chosen not in ws.plugins.formats().items:
        raise InputError(f"--format: {chosen!r} is not one of {', '.join(formats(ws))}")
    return chosen


def render(ws: Workspace, report: Report, fmt: str, table: str | None = None) -> str | bytes:
    """The report in ``fmt``: text, or bytes for a binary format (xlsx) that only a file
    can hold."""
    parts = chunks(ws, report, fmt, table)
    if isinstance(parts, bytes):
        return parts
    return "".join(parts)


def chunks(ws: Workspace, report: Report, fmt: str,
           table: str | None = None) -> Iterator[str] | bytes:
    """The report in ``fmt`` as pieces of text to write one after another (the core's
    formats stream row by row: a big report is never held as one text), or bytes for a
    binary format."""
    if table:
        try:
            picked = report.table(table)
        except KeyError:
            names = ", ".join(t.name for t in report.tables)
            raise InputError(f"--table: report {report.name} has no table {table!r}; "
                             f"tables: {names}") from None
        report = Report(report.name, report.title, report.as_of, [picked], report.meta,
                        [], [], report.lang)
    if fmt == "json":
        from kam.output import json_chunks

        return _batched(itertools.chain(json_chunks(as_dict(report)), ("\n",)))
    if fmt == "csv":
        return csv_chunks(report)
    if fmt == "table":
        return table_chunks(report)
    render_fn = ws.plugins.formats().items[fmt]
    if isinstance(render_fn, tuple):
        render_fn = render_fn[0]
    out: str | bytes | Iterator[str] = render_fn(report, ws)
    if isinstance(out, bytes):
        return out
    if isinstance(out, str):
        return iter([out if out.endswith("\n") else out + "\n"])
    return out  # pieces, written as they come (the format ends its text with a newline)


def _batched(parts: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """The pieces joined into ones of about ``size`` characters: the JSON writer gives
    two pieces a row, and each write to stdout costs ~3 µs (150k of them: 0.45 s CPU
    for a big team's renewals)."""
    held: list[str] = []
    n = 0
    for part in parts:
        held.append(part)
        n += len(part)
        if n >= size:
            yield "".join(held)
            held.clear()
            n = 0
    if held:
        yield "".join(held)


def as_dict(report: Report) -> dict[str, Any]:
    """The JSON shape: stable English keys; tables by name with rows and totals."""
    return {
        "report": report.name, "title": report.title, "as_of": report.as_of,
        "workspace": report.workspace,
        "meta": {k: v for k, v in report.meta.items() if k != "workspace"},
        "tables": {t.name: {"columns": t.columns, "rows": t.rows, "totals": t.totals}
                   for t in report.tables},
        "notes": report.notes,
    }


def render_csv(report: Report) -> str:
    """One table: plain CSV. Several: each after a ``# name`` line, a blank line between
    (pick one with ``--table``). Cells a spreadsheet would run are neutralised."""
    return "".join(csv_chunks(report))


def csv_chunks(report: Report) -> Iterator[str]:
    """:func:`render_csv` in pieces of 500 rows."""
    import csv
    import io

    from kam.column_text import csv_pages

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    several = len(report.tables) > 1
    for n, t in enumerate(report.tables):
        if several:
            buf.write(("\n" if n else "") + f"# {t.name}\n")
        columns = t.columns
        writer.writerow(columns)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
        # each page's cells a column at a time: neutralise(cell(v)) of each, and the
        # page's csv text a column at a time (kam.column_text)
        yield from csv_pages(t.rows, columns)  # rows as columns where the report made them so
        yield from csv_pages(t.totals, columns)


def title_line(report: Report) -> str:
    if is_zh(report.lang):
        return f"{report.title} · {report.workspace} · 截至 {report.as_of}"
    return f"{report.title} · {report.workspace} · as of {report.as_of}"


def render_table(report: Report) -> str:
    """Aligned text tables (wcwidth: a CJK character takes two columns)."""
    return "".join(table_chunks(report))


def table_chunks(report: Report) -> Iterator[str]:
    """:func:`render_table` in pages (kam.textable: widths fixed per page)."""
    return _rstrip_end(_table_parts(report))


def _table_parts(report: Report) -> Iterator[str]:
    from kam import textable
    from kam.reports.cell_pages import shown_rows
    from kam.reports.labels import column_header, is_numeric

    yield title_line(report) + "\n\n"
    lang = report.lang
    for t in report.tables:
        if t.title:
            yield t.title + "\n"
        columns = t.columns
        body = itertools.chain(shown_rows(t, t.rows, lang), shown_rows(t, t.totals, lang))
        headers = [column_header(t, c, lang) for c in columns]
        right = [is_numeric(t, c) for c in columns]
        wrote = False
        for part in textable.lines(body, headers, right):
            wrote = True
            yield part
        if not wrote:
            yield pick(lang, "（无）", "(none)")
        yield "\n"
        if t.note:
            yield t.note + "\n"
        yield "\n"
    yield "\n".join(report.notes)


def _rstrip_end(parts: Iterator[str]) -> Iterator[str]:
    """The pieces with the newlines at the very end replaced by one (what
    ``text.rstrip("\\n") + "\\n"`` gives), without joining them."""
    pending = ""
    for part in parts:
        body = part.rstrip("\n")
        if body:
            yield pending + body
            pending = part[len(body):]
        else:
            pending += part
    yield "\n"


def today(ws: Workspace, owner: str | None = None, days: int | None = None,
          fmt: str | None = None, limit: int | None = None) -> str:
    """``kam today``, the morning list, rendered in ``fmt`` (default table)."""
    parts: list[str] = []
    write_today(ws, parts.append, owner=owner, days=days, fmt=fmt, limit=limit)
    return "".join(parts)


def write_today(ws: Workspace, write: Callable[[str], Any], owner: str | None = None,
                days: int | None = None, fmt: str | None = None, limit: int | None = None
                ) -> None:
    """:func:`today` written piece by piece. ``limit``: rows listed per table, 0 for all;
    by default :data:`kam.reports.today.SHOWN` in the formats people read (table, md) and
    all in the others (json, csv and plugins' formats, read by programs)."""
    from kam.reports import today as morning

    chosen = resolve_format(ws, fmt, None)
    if limit is None:
        limit = morning.SHOWN if chosen in ("table", "md") else 0
    parts = chunks(ws, morning.build(ws, owner=owner, days=days, limit=limit or None), chosen)
    if isinstance(parts, bytes):
        raise InputError(f"--format {chosen} writes a file: use kam report today --output FILE")
    for part in parts:
        write(part)


# --- writing ---------------------------------------------------------------------------


def output_path(template: str, report: Report) -> Path:
    """``{date}`` → the as-of date, ``{name}`` → the report name (and its record id)."""
    name = report.name
    if report.meta.get("record_id"):
        name = f"{name}-{report.meta['record_id']}"
    text = template.replace("{date}", report.as_of).replace("{name}", name)
    return Path(text).expanduser()


def write_atomic(path: Path, text: str | bytes) -> Path:
    """Write owner-only (0600) through a temp file in the same folder, fsync, rename:
    a reader (or a crash) never sees half a report."""
    import tempfile  # here: its shutil, lzma, bz2 and random cost a report on stdout ~5 ms

    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if path.is_dir():
            raise InputError(f"--output: {path} is a folder")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            os.fchmod(fd, 0o600)
            data = text.encode("utf-8") if isinstance(text, str) else text
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise StorageError(f"--output: cannot write {path}: {exc.strerror or exc}") from None
    return path


def run_to(ws: Workspace, name: str, write: Callable[[str], Any],
           record_id: str | None = None, *, fmt: str | None = None,
           output: str | None = None, table: str | None = None,
           **options: Any) -> Path | None:
    """:func:`run`, writing the text piece by piece to ``write`` (stdout) as it is
    rendered instead of returning it; the path when ``output`` was written."""
    if output:
        return run(ws, name, record_id, fmt=fmt, output=output, table=table, **options)[1]
    chosen = resolve_format(ws, fmt, output)
    parts = chunks(ws, build(ws, name, record_id, **options), chosen, table)
    if isinstance(parts, bytes):
        raise InputError(f"--format {chosen} writes a file: add --output FILE")
    for part in parts:
        write(part)
    return None


def run(ws: Workspace, name: str, record_id: str | None = None, *, fmt: str | None = None,
        output: str | None = None, table: str | None = None,
        **options: Any) -> tuple[str, Path | None]:
    """Build, render, and write when ``output`` is given. Returns (text, path); a binary
    format's text is empty, and it needs ``output``."""
    chosen = resolve_format(ws, fmt, output)
    report = build(ws, name, record_id, **options)
    text = render(ws, report, chosen, table)
    if output:
        return ("" if isinstance(text, bytes) else text,
                write_atomic(output_path(output, report), text))
    if isinstance(text, bytes):
        raise InputError(f"--format {chosen} writes a file: add --output FILE")
    return text, None


__all__ = ["Report", "Table", "build", "catalogue", "chunks", "render", "run", "run_to",
           "write_atomic"]
