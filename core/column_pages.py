"""Rows handed to the renderers a page of columns at a time (按列交付).

A big report builds its rows a page at a time from columns (the battle map: a page of
contracts and their milestones, read a field at a time), and every built-in renderer
formats a page a column at a time. Rows as dicts in between were made only to be taken
apart again: a 17-key dict per contract and a 5-key dict per milestone (45k and 190k on
a big team), then checked for the same keys and split back into fields. A
:class:`LazyList` (also ``kam.output.LazyList``) with ``pages`` hands the renderers those
columns as they were made; anything else iterating it still gets the same rows as dicts
(:meth:`ColumnPage.rows`), so a format plugin sees no difference.

:class:`RecordRuns` is a column whose cells are lists of records of the same keys (a
contract's milestones), held as the records' fields and each cell's count of records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any


class RecordRuns(Sequence[list[dict[str, Any]]]):
    """A column of lists of records: ``fields[k][i]`` is the ``keys[k]`` of the ``i``-th
    record of the column, cell after cell; cell ``n`` holds ``counts[n]`` of them.
    As a sequence it is the column's lists of dicts (made when asked for)."""

    __slots__ = ("keys", "fields", "counts")

    def __init__(self, keys: tuple[str, ...], fields: Sequence[Sequence[Any]],
                 counts: Sequence[int]) -> None:
        self.keys, self.fields, self.counts = keys, fields, counts

    def __len__(self) -> int:
        return len(self.counts)

    def __getitem__(self, index: Any) -> Any:
        return self.lists()[index]

    def __iter__(self) -> Iterator[list[dict[str, Any]]]:
        return iter(self.lists())

    def pieces(self, bounds: Sequence[tuple[int, int]]) -> list[RecordRuns]:
        """The column's cells ``start:end`` for each of ``bounds`` (in order, adjoining)."""
        starts = [0, *accumulate(self.counts)]
        return [RecordRuns(self.keys, [f[starts[a]:starts[b]] for f in self.fields],
                           self.counts[a:b]) for a, b in bounds]

    def lists(self) -> list[list[dict[str, Any]]]:
        """Each cell's list of records as dicts (the keys in ``keys``' order)."""
        keys = self.keys
        records = [dict(zip(keys, values, strict=True))
                   for values in zip(*self.fields, strict=True)]
        out = []
        at = 0
        for n in self.counts:
            out.append(records[at:at + n])
            at += n
        return out


class ColumnPage:
    """A page of rows as columns: ``columns[k]`` holds every row's ``keys[k]``, in the
    rows' order; a :class:`RecordRuns` column holds lists of records."""

    __slots__ = ("keys", "columns", "size")

    def __init__(self, keys: tuple[str, ...], columns: Sequence[Sequence[Any]],
                 size: int) -> None:
        self.keys, self.columns, self.size = keys, columns, size

    def column(self, key: str) -> Sequence[Any]:
        """The rows' values of ``key`` (``row.get(key)``: None where no row has it)."""
        try:
            return self.columns[self.keys.index(key)]
        except ValueError:
            return [None] * self.size

    def pieces(self, size: int) -> Iterator[ColumnPage]:
        """The page in pages of ``size`` rows or fewer (a renderer's page: what it makes
        at a time is held at once)."""
        if self.size <= size:
            yield self
            return
        bounds = [(a, min(a + size, self.size)) for a in range(0, self.size, size)]
        columns = [c.pieces(bounds) if type(c) is RecordRuns else [c[a:b] for a, b in bounds]
                   for c in self.columns]
        for n, (a, b) in enumerate(bounds):
            yield ColumnPage(self.keys, [c[n] for c in columns], b - a)

    def rows(self) -> list[dict[str, Any]]:
        """The page's rows as dicts, keys in ``keys``' order."""
        if not self.size:
            return []
        columns = [c.lists() if type(c) is RecordRuns else c for c in self.columns]
        keys = self.keys
        return [dict(zip(keys, values, strict=True))
                for values in zip(*columns, strict=True)]


def rows_of(pages: Iterable[ColumnPage]) -> Iterator[dict[str, Any]]:
    """Every page's rows as dicts, a page at a time."""
    for page in pages:
        yield from page.rows()


class LazyList(Sequence[Any]):
    """A list made anew on each pass over it (``count`` items from ``produce()``), for rows
    too many to hold at once — a big team's battle map: renderers stream them page by
    page. Indexing or comparing builds the whole list (tests, small reports).

    With ``pages`` (the rows as :class:`ColumnPage` s, made anew on each
    call) the built-in renderers take the columns as they are; ``produce`` defaults to
    those pages' rows as dicts."""

    def __init__(self, count: int, produce: Callable[[], Iterator[Any]] | None = None,
                 pages: Callable[[], Iterator[ColumnPage]] | None = None) -> None:
        if produce is None:
            if pages is None:
                raise TypeError("LazyList needs produce or pages")
            made = pages
            produce = lambda: rows_of(made())  # noqa: E731
        self.size = count
        self.produce = produce
        self.pages = pages

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[Any]:
        return self.produce()

    def __getitem__(self, index: Any) -> Any:
        return list(self.produce())[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyList | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LazyList({self.size} items)"
