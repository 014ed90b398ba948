"""The CSV backend's writes inside a transaction (insert, update, ids, events): changes
go to the transaction's copy of each table (files.py's view); backend.py commits them."""

from __future__ import annotations

from collections.abc import Sequence

from kam.errors import StorageError
from kam.kinds import EVENT, KINDS, Kind
from kam.plugins.storage_csv.cells import Row, _id_key, to_stored
from kam.plugins.storage_csv.records import CSVReads
from kam.storage import ConflictError, Record, kind, update_types


class CSVWrites(CSVReads):
    """Record writes into the open transaction."""

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
        k, types = update_types(kind_name, changes)
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
