"""Excel workbooks: the ``xlsx`` format, for every report and every list.

Registered through ``kam_register_formats`` like any company's format plugin. A binary
format: the renderer returns bytes, which kam writes to ``--output``. openpyxl loads only
when a workbook is written.
"""

from __future__ import annotations

from typing import Any

from kam.api import hookimpl

__version__ = "0.1.0"


def render(report: Any, ws: Any) -> bytes:
    from kam.plugins.report_xlsx.workbook import render_workbook

    return render_workbook(report, ws)


@hookimpl(trylast=True)
def kam_register_formats(register: Any) -> None:
    register("xlsx", render)
