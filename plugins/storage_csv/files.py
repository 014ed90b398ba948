"""The CSV backend's files (plugins/storage_csv): the writer's lock and crash recovery,
each kind's file parsed whole and cached by its stamp, the event log read incrementally,
the id sequence, and the view a caller sees (committed rows, or its own transaction's
copy). backend.py's :class:`CSVStorage` is built on :class:`CSVFiles`."""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kam.errors import InputError, StorageError
from kam.kinds import EVENT, KINDS, Kind
from kam.plugins.storage_csv import checked, journal, locking, reading, versions
from kam.plugins.storage_csv.cells import (
    Row,
    _converted,
    _id_key,
    from_stored,
    parse_rows,
    render_rows,
)
from kam.plugins.storage_csv.journal import EVENTS_FILE
from kam.plugins.storage_csv.kept import Kept
from kam.storage import Record

SEQUENCE_FILE = "sequence.json"
LOCK_FILE = "kam.lock"


def _refs_of(row: Row) -> frozenset[str]:
    refs = set(json.loads(row["refs"])) if row.get("refs") else set()
    if row.get("record_id"):
        refs.add(row["record_id"])
    return frozenset(r for r in refs if r)


@dataclass
class _Table:
    rows: dict[str, Row]
    stamp: tuple[int, int, int] | None
    ordered: bool = True


@dataclass
class _Events:
    rows: list[Row]
    refs: list[frozenset[str]]
    stamp: tuple[int, int] | None  # (inode, bytes parsed)
    next_row: int = 2
    header: list[str] | None = None


@dataclass
class _Tx:
    tables: dict[str, dict[str, Row]] = field(default_factory=dict)
    unordered: set[str] = field(default_factory=set)
    events: list[Row] = field(default_factory=list)
    seq: dict[str, int] | None = None
    seq_changed: bool = False



class CSVFiles:
    """The state of one open CSV workspace folder and reading its files."""

    folder: Path
    lock_timeout: float
    _tables: dict[str, _Table]
    _verdicts: dict[str, tuple[tuple[int, int, int], reading.Verdict]]
    _gets: dict[str, int]
    _kept: Kept
    _events: _Events | None
    _tx: _Tx | None
    _lock_fd: int | None
    _token: int

    # --- locking and recovery ------------------------------------------------------

    def _acquire(self) -> None:
        try:
            fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StorageError(f"cannot open the lock file in {self.folder}: {exc}") from None
        try:
            taken = locking.take(fd, self.lock_timeout)
        except BaseException:
            os.close(fd)
            raise
        if not taken:
            os.close(fd)
            raise StorageError(
                f"the workspace data in {self.folder} is locked by another kam process "
                f"(waited {self.lock_timeout:g}s)"
            )
        self._lock_fd = fd

    def _release(self) -> None:
        if self._lock_fd is not None:
            fd, self._lock_fd = self._lock_fd, None
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._acquire()
        try:
            yield
        finally:
            self._release()

    def _recover(self) -> None:
        """Under the lock: replay a committed journal, sweep an uncommitted one's files."""
        if journal.recover(self.folder):
            self._tables.clear()
            self._events = None

    def _upgrade(self) -> None:
        """Under the lock: bring the files to this kam's schema version.

        A new folder gets the manifest first (then its files); a folder without one was
        written by kam 0.1.0. The pending steps' files and the new manifest are
        committed through the journal together: the upgrade lands whole or not at all.
        """
        version = versions.read_version(self.folder)
        if version == versions.SCHEMA_VERSION:
            return
        if version is None:
            new = not (self.folder / SEQUENCE_FILE).exists() \
                and next(iter(self.folder.glob("*.csv")), None) is None
            version = versions.SCHEMA_VERSION if new else versions.V0_1_0
        changed = versions.pending_files(self.folder, version)
        self._token += 1
        token = f"{os.getpid()}-{time.time_ns()}-{self._token}"
        plan = journal.commit(self.folder, sorted(changed.items()), "", 0, token)
        try:
            journal.apply(self.folder, plan)
        except OSError as exc:
            raise StorageError(f"upgrade of {self.folder} is incomplete ({exc}); it will be "
                               "completed when the workspace is next opened") from None
        self._tables.clear()
        self._events = None

    def _write_file(self, name: str, text: str) -> None:
        journal.write_file(self.folder, name, text)

    def _create_missing(self) -> None:
        created: dict[str, checked.Stamp | None] = {}
        for k in KINDS.values():
            path = self.folder / f"{k.name}.csv"
            if not path.exists():
                self._write_file(path.name, render_rows(k, []))
                created[path.name] = checked.stamp_of(path)
        if not (self.folder / EVENTS_FILE).exists():
            self._write_file(EVENTS_FILE, render_rows(EVENT, []))
            created[EVENTS_FILE] = checked.stamp_of(self.folder / EVENTS_FILE)
        if not (self.folder / SEQUENCE_FILE).exists():
            self._write_file(SEQUENCE_FILE, "{}\n")
        journal.fsync_dir(self.folder)
        if created:  # a header alone is valid: appends to it stay known-good
            checked.note(self.folder, created)

    # --- reading files ---------------------------------------------------------------

    def _check_journal(self) -> None:
        if self._tx is None and self._lock_fd is None and journal.pending(self.folder):
            with self._locked():
                self._recover()

    def _table(self, k: Kind) -> _Table:
        """The committed rows of a kind, reloaded when its file changed."""
        path = self.folder / f"{k.name}.csv"
        cached = self._tables.get(k.name)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            if cached is None or cached.stamp is not None:
                cached = self._tables[k.name] = _Table({}, None)
            return cached
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if cached is not None and cached.stamp == stamp:
            return cached
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                st = os.fstat(fh.fileno())
                text = fh.read()
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        except OSError as exc:
            raise StorageError(f"cannot read {path}: {exc}") from None
        _, rows = parse_rows(k, text, str(path))
        by_id: dict[str, Row] = {}
        ordered = True
        last: tuple[int, str] | None = None
        for n, row in enumerate(rows, start=2):
            rid = row["id"]
            if rid in by_id:
                raise InputError(f"{path} row {n}, column id: duplicate id {rid}")
            key = _id_key(rid)
            if last is not None and key < last:
                ordered = False
            last = key
            by_id[rid] = row
        if not ordered:
            by_id = dict(sorted(by_id.items(), key=lambda kv: _id_key(kv[0])))
        table = _Table(by_id, (st.st_ino, st.st_mtime_ns, st.st_size))
        self._tables[k.name] = table
        return table

    def _committed_events(self) -> _Events:
        path = self.folder / EVENTS_FILE
        cached = self._events
        try:
            fh = open(path, "rb")
        except FileNotFoundError:
            self._events = _Events([], [], None)
            return self._events
        with fh:
            st = os.fstat(fh.fileno())
            if cached is not None and cached.stamp is not None and cached.stamp[0] == st.st_ino \
                    and cached.stamp[1] <= st.st_size:
                if cached.stamp[1] == st.st_size:
                    return cached
                start = cached.stamp[1]
            else:
                cached = _Events([], [], (st.st_ino, 0))
                start = 0
            fh.seek(start)
            data = fh.read()
        cut = data.rfind(b"\n") + 1  # a line still being appended is not there yet
        data = data[:cut]
        if not data:
            self._events = cached
            return cached
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None
        header = None if start == 0 else cached.header
        header, rows = parse_rows(EVENT, text, str(path), first_row=cached.next_row,
                                  header=header)
        cached.header = header or None
        cached.rows.extend(rows)
        cached.refs.extend(_refs_of(r) for r in rows)
        cached.next_row += len(rows)
        cached.stamp = (st.st_ino, start + cut)
        self._events = cached
        return cached

    def _sequence(self) -> dict[str, int]:
        path = self.folder / SEQUENCE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(data, dict) or not all(isinstance(v, int) for v in data.values()):
            raise InputError(f"{path}: must map each kind to its last id number")
        return data

    # --- the view a caller sees (committed + own transaction) ------------------------

    def _rows(self, k: Kind) -> dict[str, Row]:
        if self._tx is not None and k.name in self._tx.tables:
            return self._tx.tables[k.name]
        self._check_journal()
        return self._table(k).rows

    def _ordered(self, k: Kind) -> bool:
        if self._tx is not None and k.name in self._tx.tables:
            return k.name not in self._tx.unordered
        return True

    def _writable(self, k: Kind) -> dict[str, Row]:
        if self._tx is None:
            raise StorageError("writes must happen inside storage.transaction()")
        rows = self._tx.tables.get(k.name)
        if rows is None:
            rows = self._tx.tables[k.name] = dict(self._table(k).rows)
        return rows

    @staticmethod
    def _out(k: Kind, row: Row) -> Record:
        out = dict(row)
        for name, ftype in _converted(k):
            value = out.get(name)
            if value is not None:
                out[name] = from_stored(ftype, value)
        return out

    # --- protocol ----------------------------------------------------------------------

    def _stamp(self, k: Kind) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.folder / f"{k.name}.csv")
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _held(self, k: Kind) -> dict[str, Row] | None:
        """The rows of a kind already in memory and current: this transaction's copy,
        or a whole table parsed earlier (writes, repeated gets) whose file is unchanged."""
        if self._tx is not None and k.name in self._tx.tables:
            return self._tx.tables[k.name]
        self._check_journal()
        cached = self._tables.get(k.name)
        if cached is not None and cached.stamp == self._stamp(k):
            return cached.rows
        return None
