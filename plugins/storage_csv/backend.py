"""CSV storage: one UTF-8 CSV file per record kind plus an append-only event file.

Layout of the data folder (``<workspace>/data``)::

    customer.csv contact.csv ...   one file per kind, columns in the kind's field order,
                                   rows ordered by numeric id
    events.csv                     the event log, append-only
    sequence.json                  the last id handed out per kind
    manifest.json                  the format and schema version (versions.py)
    kam.lock                       writers hold an exclusive flock on it
    journal.json                   present only while a commit is being applied

Writers take the lock, buffer their changes in memory, and commit by writing every
changed file to a temp file (fsynced), then a small journal naming the renames and
the event bytes to append. Renaming the journal into place is the commit point;
applying it (renames, event append) is idempotent, so a writer killed at any moment
leaves either the old state (no journal: temp files are swept away) or a journal
that the next process replays. Readers never see half a file: kind files only ever
change by rename, and a reader ignores an event line that is not complete yet.

Values: money ``"300000.00"``, dates ISO, booleans ``true``/``false``, json fields as
JSON text in a cell; an empty cell is ``None`` (so an empty text reads back as None).
A hand-edited file with a bad value is an InputError naming file, row and column.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import itertools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kam.errors import InputError, StorageError
from kam.kinds import EVENT, KINDS, Kind
from kam.plugins.storage_csv import checked, journal, locking, reading, rollups, versions
from kam.plugins.storage_csv.cells import (
    Row,
    _converted,
    _id_key,
    from_stored,
    parse_rows,
    predicate,
    render_rows,
    to_stored,
)
from kam.plugins.storage_csv.journal import EVENTS_FILE
from kam.storage import ConflictError, Record, Where, id_number, kind, split_order

SEQUENCE_FILE = "sequence.json"
LOCK_FILE = "kam.lock"


def _nulls_first(name: str) -> Callable[[Record], tuple[bool, Any]]:
    """A sort key on one field: records without a value sort first."""
    return lambda r: (r[name] is not None, r[name])


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


class CSVStorage:
    name = "csv"

    def __init__(self, folder: Path, lock_timeout: float = 15.0) -> None:
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout
        self._tables: dict[str, _Table] = {}
        self._verdicts: dict[str, tuple[tuple[int, int, int], reading.Verdict]] = {}
        self._gets: dict[str, int] = {}
        self._events: _Events | None = None
        self._tx: _Tx | None = None
        self._lock_fd: int | None = None
        self._token = 0
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create {self.folder}: {exc}") from None
        version = versions.read_version(self.folder)
        if version is not None and version > versions.SCHEMA_VERSION:
            raise versions.too_new(version, self.folder)
        if version != versions.SCHEMA_VERSION or not (self.folder / SEQUENCE_FILE).exists() \
                or journal.pending(self.folder) or journal.leftovers(self.folder):
            with self._locked():
                self._recover()
                self._upgrade()
                self._create_missing()

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

    def get(self, kind_name: str, record_id: str) -> Record | None:
        k = kind(kind_name)
        if k is EVENT:
            return next(self._event_rows(where={"id": record_id}), None)
        held = self._held(k)
        if held is None:
            # a few gets scan the file; a command that keeps asking gets the table parsed
            # once and held (the former behaviour)
            self._gets[k.name] = self._gets.get(k.name, 0) + 1
            if self._gets[k.name] <= 8:
                return next(self._read(k, {"id": record_id}, None, (), None, 0), None)
            held = self._table(k).rows
        row = held.get(record_id)
        return None if row is None else self._out(k, row)

    def _select(self, k: Kind, where: Where | None) -> list[Row]:
        rows = self._rows(k)
        preds = [predicate(k, key, want) for key, want in (where or {}).items()]
        if not preds:
            return list(rows.values())
        if len(preds) == 1:
            p = preds[0]
            return [r for r in rows.values() if p(r)]
        return [r for r in rows.values() if all(p(r) for p in preds)]

    def _read(self, k: Kind, where: Where | None, fields: Sequence[str] | None,
              order_by: Sequence[str], limit: int | None, offset: int) -> Iterator[Record]:
        """Records of a kind (only ``fields`` of each when given): from the rows held in
        memory when there are any, else streamed from the file (reading.rows)."""
        orders = [split_order(k, key) for key in order_by or ()]
        end = None if limit is None else offset + int(limit)
        held = self._held(k)
        if held is not None:
            selected = self._select(k, where)
            if orders and not (orders == [("id", False)] and self._ordered(k)):
                for name, desc in reversed(orders):
                    if name == "id":
                        selected.sort(key=lambda r: _id_key(r["id"]), reverse=desc)
                    else:
                        selected.sort(key=_nulls_first(name), reverse=desc)
            if offset or end is not None:
                selected = selected[int(offset):end]
            if fields is None:
                return (self._out(k, r) for r in selected)
            return ({f: rec[f] for f in fields} for rec in (self._out(k, r) for r in selected))
        path = self.folder / f"{k.name}.csv"
        verdict = self._verdict(k, path, ids=True)
        if verdict is None:
            return iter(())
        plain = verdict.ordered and (not orders or orders == [("id", False)])
        keys = list(dict.fromkeys(["id"] + [name for name, _ in orders]))
        found = self._scan_file(path, reading.Scan(k, where, fields, () if plain else keys))
        if plain:
            records: Iterator[Record] = (rec for rec, _ in found)
            if offset or end is not None:
                records = itertools.islice(records, int(offset), end)
            return records
        # rank: the id order (a file in id order: its row order, no id parsing)
        ranked: list[tuple[Any, Record, tuple[Any, ...]]]
        if verdict.ordered:
            ranked = [(n, rec, vals) for n, (rec, vals) in enumerate(found)]
        else:
            ranked = sorted(((_id_key(vals[0]), rec, vals) for rec, vals in found),
                            key=lambda t: t[0])
        pos = {name: i for i, name in enumerate(keys)}
        for n, (name, desc) in enumerate(reversed(orders)):
            if name == "id":
                if n == 0 and not desc:
                    continue  # ranked is in id order already
                if desc:
                    ranked.sort(key=lambda t: t[0], reverse=True)
                else:
                    ranked.sort(key=lambda t: t[0])
            else:
                i = pos[name]
                ranked.sort(key=lambda t: (t[2][i] is not None, t[2][i]), reverse=desc)
        if offset or end is not None:
            ranked = ranked[int(offset):end]
        return (rec for _, rec, _ in ranked)

    def _verdict(self, k: Kind, path: Path, ids: bool) -> reading.Verdict | None:
        """A file checked whole (every cell; ids unique and whether in order): noted in
        checked.json by a writer, else checked now (and noted by this process's next
        commit: a read never writes). None when the file is missing."""
        stamp = checked.stamp_of(path)
        if stamp is None:
            return None
        known = self._verdicts.get(path.name)
        if known is not None and known[0] == stamp:
            return known[1]
        if checked.read(self.folder).get(path.name) == stamp:
            verdict = reading.Verdict(ordered=True, checked=True)
        else:
            try:
                fh = open(path, "rb")
            except OSError as exc:
                raise StorageError(f"cannot read {path}: {exc}") from None
            with fh:
                st = os.fstat(fh.fileno())
                stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                verdict = reading.check_all(reading.complete_lines(fh, str(path), not ids),
                                            str(path), k, ids=ids)
        self._verdicts[path.name] = (stamp, verdict)
        return verdict

    def _scan_file(self, path: Path, scan: reading.Scan
                   ) -> Iterator[tuple[Record, tuple[Any, ...]]]:
        try:
            fh = open(path, "rb")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StorageError(f"cannot read {path}: {exc}") from None
        with fh:
            if path.name == EVENTS_FILE:
                yield from reading.rows(reading.complete_lines(fh, str(path)), str(path), scan)
                return
            text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
            try:
                yield from reading.rows(text, str(path), scan)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None

    def find(
        self,
        kind_name: str,
        where: Where | None = None,
        order_by: Sequence[str] = ("id",),
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Record]:
        return self._read(kind(kind_name), where, None, order_by, limit, offset)

    def select(
        self,
        kind_name: str,
        fields: Sequence[str],
        where: Where | None = None,
        order_by: Sequence[str] = ("id",),
        distinct: bool = False,
        limit: int | None = None,
    ) -> Iterator[Record]:
        """Optional fast path (kam.storage.Selecting): like ``find`` but only ``fields``
        of each record are converted, the other cells of a row are never parsed."""
        k = kind(kind_name)
        for name in fields:
            if k.field(name) is None:
                raise StorageError(f"{k.name} has no field {name!r}")
        fields = list(fields)
        found = self._read(k, where, fields, order_by, None if distinct else limit, 0)
        if not distinct:
            return found
        return self._distinct(found, fields, limit)

    @staticmethod
    def _distinct(found: Iterable[Record], fields: Sequence[str], limit: int | None
                  ) -> Iterator[Record]:
        seen: set[tuple[Any, ...]] = set()
        for rec in found:
            key = tuple(json.dumps(v, sort_keys=True, default=str)
                        if isinstance(v, (list, dict)) else v for v in rec.values())
            if key in seen:
                continue
            seen.add(key)
            yield rec
            if limit is not None and len(seen) >= limit:
                return

    def count(self, kind_name: str, where: Where | None = None) -> int:
        k = kind(kind_name)
        if k is EVENT:
            return sum(1 for _ in self._event_rows(where=where, fields=[]))
        held = self._held(k)
        if held is not None:
            if not where:
                return len(held)
            return len(self._select(k, where))
        return sum(1 for _ in self._read(k, where, [], (), None, 0))

    def ranked(self, kind_name: str, fields: Sequence[str], where: Where | None
               ) -> Iterator[tuple[Any, Record]]:
        """Records (``fields``, which include id) in no particular order, each with a
        rank that sorts as its id does: its row's place in a file in id order."""
        k = kind(kind_name)
        held = self._held(k)
        found = self._read(k, where, fields, (), None, 0)
        known = self._verdicts.get(f"{k.name}.csv")
        if held is None and known is not None and known[1].ordered:
            return enumerate(found)
        return ((_id_key(rec["id"]), rec) for rec in found)

    # optional fast paths (kam.storage.ActivityRollup): streamed passes, see rollups.py

    def latest_calls(self, as_of: dt.date, owner: str | None = None,
                     due_by: dt.date | None = None) -> Iterator[Record]:
        return rollups.latest_calls(self, as_of, owner, due_by)

    def deal_touches(self, as_of: dt.date, customer: str | None = None
                     ) -> Iterator[tuple[str, dt.date, int]]:
        return rollups.deal_touches(self, as_of, customer)

    def call_counts(self, start: dt.date, as_of: dt.date, customer: str | None = None,
                    owner: str | None = None
                    ) -> Iterator[tuple[str | None, dt.date, str | None, int]]:
        return rollups.call_counts(self, start, as_of, customer, owner)

    def _stored(self, k: Kind, record: Record) -> Row:
        types = {f.name: f.type for f in k.fields}
        extra = set(record) - set(types)
        if extra:
            raise StorageError(f"{k.name} has no field(s) {', '.join(sorted(extra))}")
        row = dict.fromkeys(k.names)
        for name, value in record.items():
            row[name] = to_stored(types[name], value)
        return row

    def _check_refs(self, k: Kind, row: Row, names: Sequence[str]) -> None:
        for f in k.fields:
            if f.ref and f.name in names and row.get(f.name) is not None and f.ref in KINDS:
                if not self._exists(KINDS[f.ref], row[f.name]):
                    raise ConflictError(
                        f"storage conflict: {k.name}.{f.name} names a missing {f.ref} "
                        f"{row[f.name]}"
                    )

    def _exists(self, k: Kind, record_id: str) -> bool:
        held = self._held(k)
        if held is not None:
            return record_id in held
        return next(self._read(k, {"id": record_id}, ["id"], (), 1, 0), None) is not None

    def insert(self, kind_name: str, record: Record) -> None:
        k = kind(kind_name)
        if not record.get("id"):
            raise StorageError(f"{k.name} record has no id")
        row = self._stored(k, record)
        if k is EVENT:
            if self._tx is None:
                raise StorageError("writes must happen inside storage.transaction()")
            self._tx.events.append(row)
            return
        rows = self._writable(k)
        rid = row["id"]
        if rid in rows:
            raise ConflictError(f"storage conflict: {k.name} {rid} exists already")
        self._check_refs(k, row, list(record))
        if rows and self._tx is not None:
            last = next(reversed(rows))
            if _id_key(rid) < _id_key(last):
                self._tx.unordered.add(k.name)
        rows[rid] = row

    def insert_many(self, kind_name: str, records: Sequence[Record]) -> None:
        """Optional fast path used by ``kam import``."""
        for record in records:
            self.insert(kind_name, record)

    def update(self, kind_name: str, record_id: str, changes: Record) -> None:
        k = kind(kind_name)
        if k is EVENT:
            raise StorageError("events are append-only")
        types = {f.name: f.type for f in k.fields}
        bad = set(changes) - set(types) | ({"id"} & set(changes))
        if bad:
            raise StorageError(f"cannot update {k.name} field(s) {', '.join(sorted(bad))}")
        if not changes:
            return
        rows = self._writable(k)
        current = rows.get(record_id)
        if current is None:
            raise ConflictError(f"{k.name} {record_id} does not exist")
        row = dict(current)
        for name, value in changes.items():
            row[name] = to_stored(types[name], value)
        self._check_refs(k, row, list(changes))
        rows[record_id] = row

    def next_id(self, kind_name: str) -> str:
        k = kind(kind_name)
        tx = self._tx
        if tx is None:
            raise StorageError("writes must happen inside storage.transaction()")
        if tx.seq is None:
            tx.seq = self._sequence()
        value = tx.seq.get(k.name, 0) + 1
        tx.seq[k.name] = value
        tx.seq_changed = True
        return f"{k.prefix}{value}"

    def advance_sequence(self, kind_name: str, value: int) -> None:
        """Optional: make the next id of a kind follow ``value`` (used by ``kam import``)."""
        k = kind(kind_name)
        if self._tx is None:
            raise StorageError("writes must happen inside storage.transaction()")
        if self._tx.seq is None:
            self._tx.seq = self._sequence()
        if self._tx.seq.get(k.name, 0) < value:
            self._tx.seq[k.name] = value
            self._tx.seq_changed = True

    def append_event(self, event: Record) -> Record:
        record = dict(event)
        record["id"] = self.next_id("event")
        self.insert("event", record)
        return record

    def _event_rows(self, where: Where | None = None,
                    raw: Callable[[dict[str, int]], Callable[[list[str]], bool]] | None = None,
                    tx_test: Callable[[Row], bool] | None = None,
                    fields: Sequence[str] | None = None) -> Iterator[Record]:
        """The event log streamed in order (committed lines, then this transaction's own
        events): ``raw`` builds a test of a line's raw cells from the header, so events
        of other kinds or records are dropped before any cell is decoded."""
        if self._tx is None:
            self._check_journal()
        path = self.folder / EVENTS_FILE
        if self._verdict(EVENT, path, ids=False) is not None:
            for rec, _ in self._scan_file(path, reading.Scan(EVENT, where, fields, raw=raw)):
                yield rec
        if self._tx is not None and self._tx.events:
            preds = [predicate(EVENT, key, want) for key, want in (where or {}).items()]
            for r in list(self._tx.events):
                if (tx_test is None or tx_test(r)) and all(p(r) for p in preds):
                    out = self._out(EVENT, r)
                    yield out if fields is None else {f: out[f] for f in fields}

    def events(
        self,
        record_id: str | None = None,
        kinds: Sequence[str] | None = None,
        after_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Record]:
        wanted = set(kinds) if kinds else None
        passed = [not after_id]  # the after_id event was seen

        def raw(index: dict[str, int]) -> Callable[[list[str]], bool]:
            id_i, kind_i = index["id"], index.get("kind", -1)
            refers = reading.refers_to(index, record_id) if record_id else None

            def test(cells: list[str]) -> bool:
                if not passed[0]:
                    passed[0] = cells[id_i] == after_id
                    return False
                if wanted is not None and (cells[kind_i] if kind_i >= 0 else "") \
                        not in wanted:
                    return False
                return refers is None or refers(cells)
            return test

        def tx_test(r: Row) -> bool:
            if not passed[0]:
                passed[0] = r["id"] == after_id
                return False
            if wanted is not None and r["kind"] not in wanted:
                return False
            return not record_id or record_id in _refs_of(r)

        found = self._event_rows(raw=raw, tx_test=tx_test)
        return found if limit is None else itertools.islice(found, int(limit))

    # --- transactions ------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        tx = self._tx
        if tx is not None:  # nested: a savepoint
            saved = ({n: dict(r) for n, r in tx.tables.items()}, set(tx.unordered),
                     len(tx.events), dict(tx.seq) if tx.seq is not None else None,
                     tx.seq_changed)
            try:
                yield
            except BaseException:
                tx.tables, tx.unordered, n_events, tx.seq, tx.seq_changed = saved
                del tx.events[n_events:]
                raise
            return
        self._acquire()
        try:
            self._recover()
            self._tx = _Tx()
            try:
                yield
            except BaseException:
                self._tx = None
                raise
            done, self._tx = self._tx, None
            self._commit(done)
        finally:
            self._tx = None
            self._release()

    def _commit(self, tx: _Tx) -> None:
        if not tx.tables and not tx.events and not tx.seq_changed:
            return
        self._token += 1
        token = f"{os.getpid()}-{time.time_ns()}-{self._token}"
        new_tables: dict[str, dict[str, Row]] = {}
        files: list[tuple[str, str]] = []
        for name, rows in tx.tables.items():
            k = kind(name)
            if name in tx.unordered:
                rows = dict(sorted(rows.items(), key=lambda kv: _id_key(kv[0])))
            files.append((f"{name}.csv", render_rows(k, list(rows.values()))))
            new_tables[name] = rows
        if tx.seq_changed and tx.seq is not None:
            files.append((SEQUENCE_FILE, json.dumps(tx.seq, sort_keys=True, indent=1) + "\n"))
        before = checked.stamp_of(self.folder / EVENTS_FILE)
        size = before[2] if before is not None else 0
        events_text = render_rows(EVENT, tx.events, header=size == 0) if tx.events else ""
        plan = journal.commit(self.folder, files, events_text, size, token)
        try:
            journal.apply(self.folder, plan)
        except OSError as exc:
            self._tables.clear()
            self._events = None
            raise StorageError(
                f"commit to {self.folder} is incomplete ({exc}); it will be completed when "
                "the workspace is next opened"
            ) from None
        notes: dict[str, checked.Stamp | None] = {}
        for name, rows in new_tables.items():
            stamp = checked.stamp_of(self.folder / f"{name}.csv")
            if stamp is not None:
                self._tables[name] = _Table(rows, stamp)
                self._verdicts[f"{name}.csv"] = (stamp, reading.Verdict(True, True))
                notes[f"{name}.csv"] = stamp
        if tx.events:
            self._events = None
            # appended to a log known to be good (or a new one): still good
            known = self._verdicts.get(EVENTS_FILE)
            good = before is None or (known is not None and known[0] == before) \
                or checked.read(self.folder).get(EVENTS_FILE) == before
            notes[EVENTS_FILE] = checked.stamp_of(self.folder / EVENTS_FILE) if good else None
        for name, (stamp, verdict) in list(self._verdicts.items()):
            # files this process checked whole on reading, still as they were
            if name not in notes and verdict.ordered \
                    and checked.stamp_of(self.folder / name) == stamp:
                notes[name] = stamp
        if notes:
            checked.note(self.folder, notes)

    # --- optional extras ---------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """Optional (``kam doctor``): parse every file strictly; check ids and sequences."""
        problems: list[str] = []
        if journal.pending(self.folder):
            with self._locked():
                self._recover()
        self._tables.clear()
        self._events = None
        try:
            version = versions.read_version(self.folder)
            if version != versions.SCHEMA_VERSION:
                problems.append(f"{self.folder / versions.MANIFEST_FILE}: schema version "
                                f"{version}, this kam writes {versions.SCHEMA_VERSION}")
        except (InputError, StorageError) as exc:
            problems.append(str(exc))
        try:
            seq = self._sequence()
        except InputError as exc:
            problems.append(str(exc))
            seq = {}
        for k in KINDS.values():
            try:
                rows = self._table(k).rows
            except InputError as exc:
                problems.append(str(exc))
                continue
            top = max((id_number(r) for r in rows), default=0)
            if top > seq.get(k.name, 0):
                problems.append(f"{self.folder / SEQUENCE_FILE}: {k.name} is at "
                                f"{seq.get(k.name, 0)} but {k.prefix}{top} exists")
            wrong = [r for r in rows if not r.startswith(k.prefix)
                     or not r[len(k.prefix):].isdigit()]
            if wrong:
                problems.append(f"{self.folder / f'{k.name}.csv'}: id {wrong[0]} is not a "
                                f"{k.name} id")
        try:
            events = self._committed_events()
            if self._events is not None:
                path = self.folder / EVENTS_FILE
                if path.exists() and os.stat(path).st_size != events.stamp[1]:
                    problems.append(f"{path}: the last line is incomplete")
                seen: set[str] = set()
                for n, r in enumerate(events.rows, start=2):
                    if r["id"] in seen:
                        problems.append(f"{path} row {n}, column id: duplicate id {r['id']}")
                    seen.add(r["id"])
                top = max((id_number(r["id"]) for r in events.rows), default=0)
                if top > seq.get("event", 0):
                    problems.append(f"{self.folder / SEQUENCE_FILE}: event is at "
                                    f"{seq.get('event', 0)} but EV{top} exists")
        except InputError as exc:
            problems.append(str(exc))
        known = {f"{k.name}.csv" for k in KINDS.values()} | {EVENTS_FILE}
        for path in sorted(self.folder.glob("*.csv")):
            if path.name not in known:
                problems.append(f"{path}: not a file of any known record kind")
        return problems + self._file_problems(known)

    def _file_problems(self, data_files: set[str]) -> list[str]:
        """Every kind's file is there, each is a plain file inside this folder (not a
        link to elsewhere), and nothing else lives here but kam's own bookkeeping."""
        problems = [f"{self.folder / name}: missing (its records are gone)"
                    for name in sorted(data_files) if not (self.folder / name).exists()]
        own = data_files | {SEQUENCE_FILE, LOCK_FILE, versions.MANIFEST_FILE,
                            checked.CHECKED_FILE}
        for path in sorted(self.folder.iterdir()):
            if path.is_symlink() or (path.name in own and not path.is_file()):
                problems.append(f"{path}: not a plain file in {self.folder} (a link or a "
                                "folder); kam's data must live inside data/")
            elif path.name == journal.JOURNAL_FILE:
                problems.append(f"{path}: a commit journal that could not be applied")
            elif path.name not in own and not path.name.endswith(".csv"):
                problems.append(f"{path}: not a kam file (stray or left over)")
        return problems

    def close(self) -> None:
        self._release()
        self._tables.clear()
        self._events = None


if TYPE_CHECKING:  # mypy holds the backend to the signatures of what it offers
    import kam.storage as kam_storage

    def _offers(s: CSVStorage) -> tuple[
        kam_storage.Storage, kam_storage.Selecting, kam_storage.BulkInsert,
        kam_storage.SequenceAdvance, kam_storage.ActivityRollup
    ]:
        return (s, s, s, s, s)
