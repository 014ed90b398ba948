"""``kam import``'s file reading: one export file read once (hashed and scanned as it
goes), parsed as a stream, checked, and handed on as batches of rows in stored form.

A batch from a plain file is checked column by column
(:mod:`kam.services.exchange_columns`); a batch those checks cannot vouch for, or from a
file that is not plain, is checked row by row (:mod:`kam.services.exchange_cells`),
which names the first bad row and column: the same values and the same refusals either
way. A file whose bytes do not match the manifest's SHA-256 is reported as that,
whatever else is wrong in it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from functools import partial
from itertools import islice
from operator import is_not
from pathlib import Path
from typing import Any

from kam import cell_check
from kam.errors import InputError
from kam.kinds import KINDS, Kind
from kam.services.exchange_cells import (
    Ids,
    Unsure,
    fast_cells,
    plain_number,
    slow_row,
)
from kam.services.exchange_columns import column_checks
from kam.stored import to_stored

#: rows per batch handed to the storage
BATCH = 1000
_NOT_NONE = partial(is_not, None)


class HashingReader(io.RawIOBase):
    """A file read once, hashed as it goes; ``plain`` turns False at the first byte
    that asks for the full per-cell check (a control character or a JSON escape that may
    stand for one): until then a cell's text needs no scan of its own.

    Rows reach the csv reader only after their bytes passed through here, so ``plain``
    is always up to date for the row being checked."""

    #: every byte but C0 controls (TAB and LF allowed) and DEL: ``translate`` deleting
    #: these leaves the controls, ten times faster than a regex search
    _NOT_C0 = bytes(b for b in range(256) if b in (9, 10) or 32 <= b < 127 or b > 127)
    _C1 = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080–U+009F in UTF-8
    _ESCAPE = re.compile(rb"\\[bfru]")

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.sha = hashlib.sha256()
        self.plain = True
        self._tail = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.fh.readinto(buffer)
        if n:
            data = bytes(memoryview(buffer)[:n])
            self.sha.update(data)
            if self.plain:
                edge = self._tail + data[:1]  # a pair split between two reads
                if (data.translate(None, self._NOT_C0)
                        or (b"\xc2" in data and self._C1.search(data))
                        or (b"\\" in data and self._ESCAPE.search(data))
                        or self._C1.match(edge) or self._ESCAPE.match(edge)):
                    self.plain = False
            self._tail = data[-1:]
        return n or 0

    def digest(self) -> str:
        """The SHA-256 of the whole file (reading what is left of it)."""
        for data in iter(lambda: self.fh.read(1 << 20), b""):
            self.sha.update(data)
        return self.sha.hexdigest()

    def close(self) -> None:
        self.fh.close()
        super().close()




def stored_batches(path: Path, k: Kind, entry: dict[str, Any], neutralised: bool,
                   ids: Ids | None, seen: dict[str, Ids]) -> Iterator[list[Sequence[Any]]]:
    """One file's rows in stored form (the kind's field order), checked, in batches; any
    problem → ``InputError`` naming file, row and column. ``ids`` notes the kind's ids
    (duplicates refused; None: not kept), ``seen`` holds the kinds loaded before, which
    references must name."""
    reader = HashingReader(path)
    try:
        text = io.TextIOWrapper(io.BufferedReader(reader, 1 << 16), encoding="utf-8",
                                newline="")
        try:
            yield from _checked_batches(path, k, entry, neutralised, ids, seen, text, reader)
        except (InputError, UnicodeDecodeError) as exc:
            if reader.digest() != entry["sha256"]:
                raise InputError(f"{path}: SHA-256 does not match the manifest "
                                 "(changed or damaged)") from None
            if isinstance(exc, UnicodeDecodeError):
                raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None
            raise
    finally:
        reader.close()


def _checked_batches(path: Path, k: Kind, entry: dict[str, Any], neutralised: bool,
                     ids: Ids | None, seen: dict[str, Ids], text: io.TextIOWrapper,
                     reader: HashingReader) -> Iterator[list[Sequence[Any]]]:
    lines = csv.reader(text)
    header = next(lines, None)  # a csv.Error here is one in row 1 (below)
    if header is None:
        raise InputError(f"{path}: empty file (no header row)")
    unknown = [c for c in header if k.field(c) is None]
    if unknown:
        raise InputError(f"{path} row 1: unknown column {unknown[0]!r} for {k.name}")
    if len(set(header)) != len(header) or "id" not in header:
        raise InputError(f"{path} row 1: needs an id column and no column twice")
    check = _FileCheck(path, k, header, neutralised, ids, seen)
    n = 1  # rows read, the header included
    count = 0
    while True:
        block: list[list[str]] = []
        exc: csv.Error | None = None
        try:
            block.extend(islice(lines, BATCH))  # rows read before a csv.Error stay
        except csv.Error as error:
            exc = error
        if block:
            rows = check.block(block, n + 1, reader.plain)
            n += len(block)
            count += len(rows)
            if rows:
                yield rows
        if exc is not None:
            raise InputError(f"{path} row {n + 1}: {exc}")
        if len(block) < BATCH:
            break
    if reader.digest() != entry["sha256"]:
        raise InputError(f"{path}: SHA-256 does not match the manifest (changed or damaged)")
    rows = entry["rows"]
    if count != rows:
        raise InputError(f"{path}: {count} rows, the manifest says {rows}")


class _FileCheck:
    """One file's checks: cells by the header's columns, ids, references."""

    def __init__(self, path: Path, k: Kind, header: list[str], neutralised: bool,
                 ids: Ids | None, seen: dict[str, Ids]) -> None:
        self.path, self.k, self.header, self.neutralised = path, k, header, neutralised
        self.ids = ids
        self.types = [(name, k.type_of(name)) for name in header]
        self.fast = fast_cells(k, header, neutralised)
        self.columns = column_checks(k, header, neutralised)
        names = k.names
        self.width = len(names)
        self.place = (None if list(header) == list(names)
                      else [names.index(h) for h in header])
        #: per field of the kind, its column in the file (None: absent, left empty)
        self.order = [header.index(n) if n in header else None for n in names]
        self.at_id = names.index("id")
        self.refs = [(names.index(f.name), f, seen.get(f.ref) or Ids(""), f.ref == k.name)
                     for f in k.fields if f.ref in KINDS]
        self.own = Ids(k.prefix)  # for the id column's numbers when ids are not kept

    def block(self, cells: list[list[str]], first: int,
              plain: bool) -> list[Sequence[Any]]:
        """A block of csv rows (the first is row ``first`` of the file) → stored rows;
        column by column when it can vouch for them, else row by row."""
        if plain and set(map(len, cells)) == {len(self.header)}:
            try:
                return self._columns(cells)
            except Exception:  # Unsure, or any error: the careful way names it
                pass
        out: list[Sequence[Any]] = []
        for n, row in enumerate(cells, first):
            if row:
                out.append(self._row(row, n, plain))
        return out

    def _columns(self, cells: list[list[str]]) -> list[Sequence[Any]]:
        columns = [check(col) for check, col in zip(self.columns, zip(*cells, strict=True),
                                                      strict=True)]
        if self.place is not None:
            nones = [None] * len(cells)
            columns = [nones if at is None else columns[at] for at in self.order]
        ids = self.ids
        if ids is None:  # ids not kept (events): plain ones are valid ones
            if not self.own.plain(columns[self.at_id]):
                raise Unsure
        else:
            numbers = ids.numbers(columns[self.at_id])  # all plain: all valid
            if not ids.new(numbers):
                raise Unsure
            for at, _, targets, same_kind in self.refs:
                if same_kind:
                    raise Unsure  # it may name a row of this batch: row by row
                named = list(filter(_NOT_NONE, columns[at]))  # "" ('): not an id either
                if not targets.known(targets.numbers(named)):
                    raise Unsure
            ids.note(numbers)
        return list(zip(*columns, strict=True))

    def _row(self, cells: list[str], n: int, plain: bool) -> Sequence[Any]:
        path, k, header = self.path, self.k, self.header
        if len(cells) != len(header):
            raise InputError(f"{path} row {n}: {len(cells)} cells, the header has "
                             f"{len(header)}")
        stored: list[Any] | None = None
        if plain:
            try:
                stored = [cell(t) for cell, t in zip(self.fast, cells, strict=False)]
            except Exception:  # the reference names what is wrong
                stored = None
        if stored is None:
            record = slow_row(k, path, n, self.types, cells, self.neutralised)
            stored = [to_stored(ftype, record[name]) for name, ftype in self.types]
        if self.place is not None:
            full: list[Any] = [None] * self.width
            for i, value in zip(self.place, stored, strict=True):
                full[i] = value
            stored = full
        rid = stored[self.at_id]
        if plain_number(rid, k.prefix) < 0:
            try:
                cell_check.record_id(rid or "", k.prefix, k.name)
            except ValueError as exc:
                raise InputError(f"{path} row {n}, column id: {exc}") from None
        ids = self.ids
        if ids is not None:
            if not ids.add(rid):
                raise InputError(f"{path}: id {rid} appears twice")
            for at, f, targets, _ in self.refs:
                value = stored[at]
                if value is not None and value not in targets:
                    raise InputError(f"{path}: {rid} {f.name} names {value}, which is "
                                     f"not in the export")
        return stored
