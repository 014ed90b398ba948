"""A list of records (``kam opp list`` and the like) as a one-table report, so it can be
written in any report format (xlsx for a manager's spreadsheet, md): headers, labels and
enumerations from the kind's one declaration (kam.kinds)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kam.kinds import KINDS
from kam.reports import Report, Table
from kam.reports.common import new_report, stage_display, vocab_display


def build(ws: Any, kind: str, rows: Iterable[Mapping[str, Any]],
          columns: list[str] | None = None) -> Report:
    declared = KINDS[kind]
    shown = list(columns or declared.columns)
    report = new_report(ws, kind, f"{declared.label[0]}列表", f"{declared.label[1]} list")
    display = {c: vocab_display(ws, name) for c, name in declared.vocab_of().items()
               if c in shown}
    if "stage" in shown:
        try:
            display["stage"] = stage_display(ws, ws.pipeline())
        except Exception:  # noqa: S110 - a stage model that fails to load shows keys
            pass
    headers = {c: declared.header(c, ws.lang) for c in shown if declared.field(c)}
    report.tables.append(Table(kind, shown, [dict(r) for r in rows], title=report.title,
                               headers=headers, display=display))
    return report
