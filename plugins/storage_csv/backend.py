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

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kam.errors import StorageError
from kam.kinds import EVENT
from kam.plugins.storage_csv import checked, journal, reading, versions
from kam.plugins.storage_csv.cells import Row, _id_key, render_rows
from kam.plugins.storage_csv.doctor import CSVDoctor
from kam.plugins.storage_csv.files import LOCK_FILE, SEQUENCE_FILE, _Table, _Tx
from kam.plugins.storage_csv.journal import EVENTS_FILE
from kam.plugins.storage_csv.kept import Kept
from kam.plugins.storage_csv.writes import CSVWrites
from kam.storage import kind

__all__ = ["CSVStorage", "LOCK_FILE", "SEQUENCE_FILE"]


class CSVStorage(CSVDoctor, CSVWrites):
    """One workspace's data folder: files.py (lock, recovery, files), records.py
    (reads), writes.py (changes in a transaction), doctor.py (checks); here opening,
    the transaction and its commit."""

    name = "csv"

    def __init__(self, folder: Path, lock_timeout: float = 15.0) -> None:
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout
        self._tables = {}
        self._verdicts = {}
        self._gets = {}
        self._kept = Kept()
        self._events = None
        self._tx = None
        self._lock_fd = None
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

    def close(self) -> None:
        self._release()
        self._tables.clear()
        self._kept.clear()
        self._events = None


if TYPE_CHECKING:  # mypy holds the backend to the signatures of what it offers
    import kam.storage as kam_storage

    def _offers(s: CSVStorage) -> tuple[
        kam_storage.Storage, kam_storage.Selecting, kam_storage.BulkInsert,
        kam_storage.SequenceAdvance, kam_storage.ActivityRollup, kam_storage.StageMoves,
        kam_storage.StageReach, kam_storage.DealMonthSums, kam_storage.StalledDeals,
        kam_storage.AgingSums, kam_storage.PipelineSums, kam_storage.MilestoneViews
    ]:
        return (s, s, s, s, s, s, s, s, s, s, s, s)
