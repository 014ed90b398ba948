"""Markdown reports (tables + Mermaid charts): the ``md`` format.

Registered through ``kam_register_formats`` like any company's format plugin;
the rendering code loads only when a report is rendered.
"""

from __future__ import annotations

from typing import Any

from kam.api import hookimpl

__version__ = "0.1.0"


def render(report: Any, ws: Any) -> str:
    from kam.plugins.report_md.markdown import render_markdown

    return render_markdown(report, ws)


@hookimpl(trylast=True)
def kam_register_formats(register: Any) -> None:
    register("md", render)
