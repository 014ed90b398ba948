"""What the fast-path mixins of :class:`PostgresStorage` call on it: its read helpers,
declared once here (their bodies are the backend's)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from kam.kinds import Kind
from kam.storage import Where


class BackendReads:
    """Declarations only: :class:`PostgresStorage` defines each."""

    def _tuples(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError  # a query's rows as tuples, streamed

    def _pages(self, sql: str, params: Sequence[Any], stream: bool, size: int = 2000,
               text_dates: bool = False
               ) -> Iterator[tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
        raise NotImplementedError  # a query's rows a page at a time, with their names

    def _date_texts(self) -> tuple[bool, Callable[[str], str]]:
        raise NotImplementedError  # how a date column is read as ISO text

    def _sql(self, k: Kind, columns: str, where: Where | None, order_by: Sequence[str],
             limit: int | None = None, offset: int = 0) -> tuple[str, list[Any]]:
        raise NotImplementedError  # a read's SELECT and its parameters
