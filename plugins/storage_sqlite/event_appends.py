"""The SQLite backend's event appends: one event, many in one go (bulk loads), and
``kam check``'s reminders made from their change tuples (kam.storage.ChangeEvents),
each value's stored form made once where the same value repeats (mixed into
:class:`SQLiteStorage`)."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from kam.errors import StorageError
from kam.kinds import Kind
from kam.storage import JSON_TEXT_PARSED, Record, kind, to_stored


def _json_stored(value: Any) -> str | None:
    """``to_stored("json", value)`` through the C encoder made once (``JSON_TEXT`` makes
    one per call: ~1 s of a big team's first ``kam check``, 100k events' payloads and
    references); the same text for any value an event holds (no cycles)."""
    return None if value is None else JSON_TEXT_PARSED(value)


#: the event fields and types ``append_change_events`` writes (else it goes through
#: ``append_events``)
_CHANGE_FIELDS = ["id", "at", "actor", "kind", "record_id", "payload", "refs"]
_CHANGE_TYPES = ["text", "datetime", "text", "text", "text", "json", "json"]


#: field types whose stored form is the value itself (``to_stored`` returns it)
AS_STORED = frozenset({"text", "int"})
_MAKERS: dict[str, list[Callable[[Any], Any] | None]] = {}


def _stored_makers(k: Kind) -> list[Callable[[Any], Any] | None]:
    """Per field of ``k`` (in order): what makes a value (not None) its stored form —
    ``_json_stored`` for json, None where ``to_stored`` returns the value itself."""
    found = _MAKERS.get(k.name)
    if found is None:
        found = _MAKERS[k.name] = [
            _json_stored if f.type == "json" else None if f.type in AS_STORED
            else functools.partial(to_stored, f.type) for f in k.fields]
    return found


class _ListTexts(dict[tuple[str, ...], str]):
    """The JSON texts of one call's lists of texts, each list met again made once (a
    milestone's reminders share their refs); any other list is encoded each time."""

    def text(self, values: list[Any]) -> str:
        if not all(type(x) is str for x in values):
            return JSON_TEXT_PARSED(values)
        key = tuple(values)
        found = self.get(key)
        if found is None:
            found = self[key] = JSON_TEXT_PARSED(values)
        return found


class EventAppends:
    """``append_event``, ``append_events`` (kam.storage.BulkEvents) and
    ``append_change_events`` (kam.storage.ChangeEvents) on SQLiteStorage's connection,
    inside its transaction."""

    conn: sqlite3.Connection
    _depth: int

    def next_id(self, kind_name: str) -> str:
        raise NotImplementedError  # SQLiteStorage's

    def insert(self, kind_name: str, record: Record) -> None:
        raise NotImplementedError  # SQLiteStorage's

    def _write(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        raise NotImplementedError  # SQLiteStorage's

    def _take_ids(self, kind_name: str, count: int) -> int:
        raise NotImplementedError  # SQLiteStorage's

    def append_event(self, event: Record) -> Record:
        record = dict(event)
        record["id"] = self.next_id("event")
        self.insert("event", record)
        for ref in {record.get("record_id"), *record.get("refs", [])}:
            if ref:
                self._write(
                    "INSERT OR IGNORE INTO event_ref (event_id, ref) VALUES (?, ?)",
                    (record["id"], ref),
                )
        return record

    def append_events(self, events: Sequence[Record]) -> list[Record]:
        """Optional fast path (bulk loads): append many events, ids in order, in one go.

        The same result as calling :meth:`append_event` for each, in order.
        """
        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        if not events:
            return []
        k = kind("event")
        first = self._take_ids("event", len(events))
        names = [f.name for f in k.fields]
        convert = _stored_makers(k)
        prefix = k.prefix
        # only the fields whose stored form is not the value itself are made, each from
        # the last value when it is the same object (a call's events share their time)
        made = [(i, make, [None, None]) for i, make in enumerate(convert) if make is not None]
        lists = _ListTexts()
        out, rows, refs = [], [], []
        for n, event in enumerate(events):
            record = dict(event)
            event_id = record["id"] = f"{prefix}{first + n}"
            out.append(record)
            row = [record.get(name) for name in names]
            for i, make, last in made:
                value = row[i]
                if value is None:
                    continue
                if value is last[0]:
                    row[i] = last[1]
                elif make is _json_stored and type(value) is list:
                    row[i] = lists.text(value)
                else:
                    row[i] = make(value)
                    if make is not _json_stored:  # not a value that may change in place
                        last[0], last[1] = value, row[i]
            rows.append(row)
            for ref in {record.get("record_id"), *record.get("refs", [])}:
                if ref:
                    refs.append((event_id, ref))
        cols = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" * len(names))
        try:
            self.conn.executemany(f"INSERT INTO event ({cols}) VALUES ({marks})", rows)
            self.conn.executemany(
                "INSERT OR IGNORE INTO event_ref (event_id, ref) VALUES (?, ?)", refs)
        except sqlite3.Error as exc:
            from kam.plugins.storage_sqlite.backend import _translate

            raise _translate(exc) from None
        return out

    def append_change_events(self, at: Any, actor: Any,
                             changes: Sequence[tuple[str, str, Record, list[str]]]
                             ) -> list[str]:
        """kam.storage.ChangeEvents: ``append_events``' rows made from the changes'
        tuples (no event record each, the time and actor stored once), their ids."""
        k = kind("event")
        names = [f.name for f in k.fields]
        if names != _CHANGE_FIELDS or [f.type for f in k.fields] != _CHANGE_TYPES:
            return [e["id"] for e in self.append_events([  # not the layout written here
                {"at": at, "actor": actor, "kind": kind_, "record_id": record_id,
                 "payload": dict(payload),
                 "refs": sorted({r for r in refs if r and r != record_id})}
                for kind_, record_id, payload, refs in changes])]
        if self._depth == 0:
            raise StorageError("writes must happen inside storage.transaction()")
        if not changes:
            return []
        first = self._take_ids("event", len(changes))
        prefix = k.prefix
        at_stored = None if at is None else to_stored("datetime", at)
        lists = _ListTexts()
        ids, rows, refs_rows = [], [], []
        for n, (kind_name, record_id, payload, refs) in enumerate(changes):
            event_id = f"{prefix}{first + n}"
            ids.append(event_id)
            sorted_refs = sorted({r for r in refs if r and r != record_id})
            rows.append((event_id, at_stored, actor, kind_name, record_id,
                         JSON_TEXT_PARSED(payload if type(payload) is dict
                                          else dict(payload)), lists.text(sorted_refs)))
            for ref in {record_id, *sorted_refs}:
                if ref:
                    refs_rows.append((event_id, ref))
        try:
            self.conn.executemany(
                "INSERT INTO event (id, at, actor, kind, record_id, payload, refs)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            self.conn.executemany(
                "INSERT OR IGNORE INTO event_ref (event_id, ref) VALUES (?, ?)", refs_rows)
        except sqlite3.Error as exc:
            from kam.plugins.storage_sqlite.backend import _translate

            raise _translate(exc) from None
        return ids
