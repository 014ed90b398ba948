"""Running reports: find one by name, build it, render it, and write it for cron.

Reports and formats come from plugins (``kam_register_reports``,
``kam_register_formats``), the built-in ones included. The core renders every
report as ``table``, ``json`` and ``csv`` itself; a plugin format of one of those
names is ignored (the core's output is what scripts rely on).
"""

from __future__ import annotations

import os
import tempfile
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
        from kam.output import to_json

        return to_json(as_dict(report)) + "\n"
    if fmt == "csv":
        return render_csv(report)
    if fmt == "table":
        return render_table(report)
    render_fn = ws.plugins.formats().items[fmt]
    if isinstance(render_fn, tuple):
        render_fn = render_fn[0]
    out: str | bytes = render_fn(report, ws)
    if isinstance(out, bytes):
        return out
    return out if out.endswith("\n") else out + "\n"


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
    from kam.output import to_csv

    if len(report.tables) == 1:
        t = report.tables[0]
        return to_csv([*t.rows, *t.totals], t.columns)
    parts = [f"# {t.name}\n" + to_csv([*t.rows, *t.totals], t.columns)
             for t in report.tables]
    return "\n".join(parts)


def title_line(report: Report) -> str:
    if is_zh(report.lang):
        return f"{report.title} · {report.workspace} · 截至 {report.as_of}"
    return f"{report.title} · {report.workspace} · as of {report.as_of}"


def render_table(report: Report) -> str:
    """Aligned text tables (wcwidth: a CJK character takes two columns)."""
    import tabulate as tab
    from kam.reports.labels import column_header, is_numeric, shown

    tab.WIDE_CHARS_MODE = True  # wcwidth: a CJK character takes two columns
    out = [title_line(report), ""]
    for t in report.tables:
        if t.title:
            out.append(t.title)
        body = [[shown(t, c, r.get(c), report.lang) for c in t.columns]
                for r in (*t.rows, *t.totals)]
        headers = [column_header(t, c, report.lang) for c in t.columns]
        align = ["right" if is_numeric(t, c) else "left" for c in t.columns]
        text = tab.tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True,
                            colalign=align) if body else (
            pick(report.lang, "（无）", "(none)"))
        out.append(text)
        if t.note:
            out.append(t.note)
        out.append("")
    out.extend(report.notes)
    return "\n".join(out).rstrip("\n") + "\n"


def today(ws: Workspace, owner: str | None = None, days: int | None = None,
          fmt: str | None = None) -> str:
    """``kam today``, the morning list, rendered in ``fmt`` (default table)."""
    from kam.reports import today as morning

    chosen = resolve_format(ws, fmt, None)
    text = render(ws, morning.build(ws, owner=owner, days=days), chosen)
    if isinstance(text, bytes):
        raise InputError(f"--format {chosen} writes a file: use kam report today --output FILE")
    return text


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


__all__ = ["Report", "Table", "build", "catalogue", "render", "run", "write_atomic"]
