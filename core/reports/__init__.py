"""Reports: pure functions from stored data to report data. They never format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    """One table of a report: column keys, rows (dicts), and optional totals."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    totals: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""


@dataclass
class Report:
    name: str
    title: str
    as_of: str
    tables: list[Table]
    meta: dict[str, Any] = field(default_factory=dict)
