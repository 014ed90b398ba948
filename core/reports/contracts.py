"""Contract-side sections shared by several reports (filled once contracts exist)."""

from __future__ import annotations

from typing import Any

from kam.reports import Table


def account_tables(ws: Any, customer_id: str) -> list[Table]:
    """The account plan's contracts and receivables (none until contracts are stored)."""
    return []
