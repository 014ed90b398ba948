"""A kind's file parsed once for the reads of one open workspace: the columns its
roll-ups read, kept as text while the file is unchanged.

A report reads one kind's file several times: the targets report reads the deals for
the won sums, the open sums, the open deals' pipelines and the closed deals' stage
reach. Each read parsed the whole file again (csv.reader: ~0.03–0.1 s a read of
medium's 8 MB of deals). Here the first roll-up's read parses the file once and keeps
the cells of a few columns (``ALONG``: what the roll-ups of the kind read, plus
whatever was asked), each column's cells joined into one string (SEP). Later reads
split the columns they need again (in C) instead of parsing the file; a plain read
(records.py ``_read``) uses them when they hold every column it reads.

Kept only for a file checked whole (its stamp — inode, mtime in ns, size — is the one
the read's verdict was made for) and no bigger than ``KEEP_MAX``: a larger file is
streamed by each read as before, so memory stays bounded. Any change to the file
(kam's commit renames a new file into place; an edit by hand changes its stamp) makes
the kept columns stale: the next read parses the file again.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from kam.kinds import Kind
from kam.plugins.storage_csv import checked

#: the largest file whose columns are kept (bytes); medium's deals are 8 MB (~4 MB kept
#: for their twelve columns, most of it the stage histories)
KEEP_MAX = 24 << 20

#: the columns kept of a kind whenever its file is parsed for keeping: what the
#: reports' roll-ups over it read, so one parse serves them all
ALONG: dict[str, tuple[str, ...]] = {
    "opportunity": ("id", "owner", "currency", "customer_id", "category", "amount",
                    "closed_at", "close_date", "pipeline", "stage", "status",
                    "stage_history"),
}

#: the kinds whose files are kept. Not the calls: their two roll-ups (the activity
#: report) read 100k rows of a few short cells, and making the cells again from kept
#: text cost about as much as the second parse it saved (measured: 0.86–0.97 s for
#: both roll-ups against 0.86–0.93 s streamed twice); a wide file of few rows (the
#: deals: 49 columns, 10k rows, 4 reads for targets) gains.
KEPT_KINDS = frozenset(ALONG)

#: joins a column's kept cells into one string: a column is one object, not one a cell
#: (10k deals' owners: one string, not 10k strings of ~60 bytes each), and splitting it
#: again (str.split, in C: ~1 ms for 10k cells) costs far less than parsing the file.
#: A file with this character in a kept cell is not kept.
SEP = "\x1f"

#: rows parsed before their kept cells are joined into the columns
BATCH = 4096


@dataclass
class Columns:
    """One file's kept columns: each of ``names`` present in the file as its cells in
    file order joined by SEP, and how many rows there are."""

    stamp: checked.Stamp
    texts: dict[str, str]
    rows: int
    lacking: frozenset[str]

    def holds(self, names: Sequence[str]) -> bool:
        return all(n in self.texts or n in self.lacking for n in names)

    def column(self, name: str) -> list[str]:
        """The cells of one column ("" for each row when the file lacks it)."""
        if not self.rows:
            return []
        text = self.texts.get(name)
        return text.split(SEP) if text is not None else [""] * self.rows

    def of(self, names: Sequence[str]) -> Iterator[tuple[str, ...]]:
        """Each row's cells of ``names`` as a tuple, in file order."""
        return zip(*[self.column(n) for n in names], strict=True)


class Kept:
    """The kept cells of one open workspace's files (by file name), and the answers
    kept by one roll-up for a later one (``keep``/``answer``)."""

    def __init__(self) -> None:
        self._files: dict[str, Columns] = {}
        self._answers: dict[str, tuple[Hashable, tuple[checked.Stamp | None, ...], Any]] = {}

    def clear(self) -> None:
        self._files.clear()
        self._answers.clear()

    def keep(self, name: str, key: Hashable, stamps: tuple[checked.Stamp | None, ...],
             value: Any) -> None:
        """Keep ``value``, computed for ``key`` from files with ``stamps`` (taken before
        they were read: a file changed while it was read has another stamp now, so the
        answer is never taken for the file as it is)."""
        self._answers[name] = (key, stamps, value)

    def answer(self, name: str, key: Hashable, paths: Sequence[Path]) -> Any:
        """What was kept under ``name`` for ``key`` while every one of ``paths`` still
        has the stamp it had then; else None."""
        kept = self._answers.get(name)
        if kept is None or kept[0] != key or None in kept[1] \
                or tuple(checked.stamp_of(p) for p in paths) != kept[1]:
            return None
        return kept[2]

    def current(self, path: Path, names: Sequence[str]) -> Columns | None:
        """The kept cells of ``path`` when they are current and hold ``names``."""
        kept = self._files.get(path.name)
        if kept is None or not kept.holds(names) or checked.stamp_of(path) != kept.stamp:
            return None
        return kept

    def columns(self, path: Path, k: Kind, names: Sequence[str], stamp: checked.Stamp
                ) -> Columns | None:
        """The kept cells of ``path`` holding ``names``, parsing the file once (keeping
        ``ALONG``'s and those kept before too) when they are not kept yet. ``stamp`` is
        the one the caller's verdict holds for the file; None when the file has another
        one now (changed since: the caller streams it), is bigger than ``KEEP_MAX`` or
        has SEP in a cell to keep."""
        kept = self.current(path, names)
        if kept is not None:
            return kept
        if stamp[2] > KEEP_MAX:
            return None
        old = self._files.get(path.name)
        wanted = list(dict.fromkeys([*ALONG.get(k.name, ()), *names,
                                     *(old.texts if old is not None and old.stamp == stamp
                                       else ())]))
        try:
            fh = open(path, encoding="utf-8", newline="")
        except OSError:
            return None
        with fh:
            st = os.fstat(fh.fileno())
            if (st.st_ino, st.st_mtime_ns, st.st_size) != stamp:
                return None
            try:
                found = _parse(fh, wanted, stamp)
            except (csv.Error, UnicodeDecodeError, IndexError):
                return None  # not as checked after all: the streamed read says why
        if found is not None:
            self._files[path.name] = found
        return found


def _parse(fh: TextIO, wanted: Sequence[str], stamp: checked.Stamp) -> Columns | None:
    reader = csv.reader(fh)
    header = next(reader, None)
    if header is None:
        return Columns(stamp, {}, 0, frozenset(wanted))
    present = [n for n in wanted if n in header]
    lacking = frozenset(n for n in wanted if n not in header)
    if len(present) < 2:
        return None
    get = itemgetter(*[header.index(n) for n in present])
    chunks: list[list[str]] = [[] for _ in present]
    rows = 0
    # a batch at a time, so only the joined text outlives it: every row of a checked
    # file has the header's width; filter drops blank lines
    body = filter(None, reader)
    while batch := list(map(get, islice(body, BATCH))):
        rows += len(batch)
        for chunk, cells in zip(chunks, zip(*batch, strict=True), strict=True):
            chunk.append(SEP.join(cells))
    texts = {name: SEP.join(chunk) for name, chunk in zip(present, chunks, strict=True)}
    if any(text.count(SEP) != rows - 1 for text in texts.values()) and rows:
        return None  # a cell holds SEP itself
    return Columns(stamp, texts, rows, lacking)
