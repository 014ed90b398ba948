"""Markdown reports (tables + Mermaid charts): the ``md`` format.

Registered through ``kam_register_formats`` like any company's format plugin;
the rendering code loads only when a report is rendered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kam.api import hookimpl

__version__ = "0.1.0"


def render(report: Any, ws: Any) -> Iterator[str]:
    """The report's Markdown, a line at a time (rows streamed)."""
    from kam.plugins.report_md.markdown import markdown_chunks

    return markdown_chunks(report, ws)


@hookimpl(trylast=True)
def kam_register_formats(register: Any) -> None:
    register("md", render)
