"""Reports: pure functions from stored data to report data. They never format.

A report is a list of tables (rows of plain values: ``Decimal`` money, ISO dates,
English enum keys) plus optional charts and notes. Renderers (the core's
table/json/csv, plugins' ``md`` and others) turn it into text. ``display`` maps
let a builder say how an enum key reads in the workspace's language without
changing the data that JSON and CSV carry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    """One table of a report: column keys, rows (dicts), and optional totals. ``rows`` may
    be a :class:`kam.output.LazyList` (built anew on each pass, page by page) when there
    are too many to hold; iterated, it gives dicts whatever it holds (its ``pages``, rows
    as columns, are for the built-in renderers: kam.column_pages)."""

    name: str
    columns: list[str]
    rows: Sequence[dict[str, Any]]
    totals: Sequence[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    #: column key → header text (else the shared labels of ``kam.reports.labels``)
    headers: dict[str, str] = field(default_factory=dict)
    #: column key → {stored value → shown value} for human formats (md, table)
    display: dict[str, dict[str, str]] = field(default_factory=dict)
    note: str = ""
    #: the columns that hold numbers (right-aligned), when the rows are too many to look
    #: at twice; else kam.reports.labels.is_numeric looks
    numeric: list[str] | None = None


@dataclass
class Series:
    name: str
    values: list[Any]
    #: ``bar`` or ``line``
    kind: str = "bar"


@dataclass
class Chart:
    """A picture of some numbers (rendered as Mermaid by report_md)."""

    title: str
    x: list[str]
    series: list[Series]
    #: ``bar`` (xychart), ``hbar`` (horizontal xychart, e.g. a funnel) or ``pie``
    kind: str = "bar"
    y_label: str = ""


@dataclass
class Report:
    name: str
    title: str
    as_of: str
    tables: list[Table]
    meta: dict[str, Any] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lang: str = "en"

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)

    @property
    def workspace(self) -> str:
        return str(self.meta.get("workspace", ""))
