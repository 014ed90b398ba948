"""``kam import``: load an export folder into an empty workspace in one transaction, or
refuse it whole. Files are streamed and checked by :mod:`kam.services.exchange_cells`;
the rows go to the storage in batches (``BulkLoad`` where the backend has it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from kam.errors import InputError
from kam.kinds import EVENT, KINDS, Kind
from kam.services.admin import no_data
from kam.services.exchange import NEUTRALISED, read_manifest
from kam.services.exchange_cells import Ids
from kam.services.exchange_stream import stored_batches
from kam.storage import id_number
from kam.stored import FROM_STORED
from kam.workspace import Workspace

Progress = Callable[[int], None]


def _open_checked(folder: Path, name: str, entry: dict[str, Any]) -> Path:
    path = folder / str(entry["file"])
    if not path.is_file():
        raise InputError(f"{path}: missing (listed in the manifest for {name})")
    return path


def _gap(path: Path, n: int, event: dict[str, Any], kept: dict[str, Any]) -> NoReturn:
    raise InputError(f"{path} row {n}: event {event['id']} would become {kept['id']}; "
                     "events must run EV1, EV2, … without gaps")


def _in_sequence(path: Path, n: int, number: int, batch: Sequence[Sequence[Any]]) -> None:
    """Events run on without a gap: the batch (from row ``n``) holds EV<number>, …"""
    prefix = EVENT.prefix
    expected = prefix + f"\x00{prefix}".join(map(str, range(number, number + len(batch))))
    if "\x00".join([row[0] for row in batch]) == expected:
        return
    for row in batch:
        if row[0] != f"{prefix}{number}":
            _gap(path, n, {"id": row[0]}, {"id": f"{prefix}{number}"})
        n += 1
        number += 1


def _kind_order() -> list[Kind]:
    """Kinds with the ones they reference first, so references always resolve."""
    done: list[Kind] = []
    seen: set[str] = set()

    def visit(k: Kind, path: tuple[str, ...]) -> None:
        if k.name in seen or k.name in path:
            return
        for f in k.fields:
            if f.ref and f.ref in KINDS and f.ref != k.name:
                visit(KINDS[f.ref], (*path, k.name))
        seen.add(k.name)
        done.append(k)

    for k in KINDS.values():
        visit(k, ())
    return done


def _record(k: Kind, row: Sequence[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f, value in zip(k.fields, row, strict=True):
        convert = FROM_STORED.get(f.type)
        out[f.name] = convert(value) if convert is not None and value is not None else value
    return out


def import_(ws: Workspace, folder: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Load an export into this (empty) workspace in one transaction, or refuse it whole.

    Files are streamed (read once, hashed and checked as they go, written in batches),
    so memory stays flat however big the export; a file that fails its SHA-256 is
    reported as such even when a bad row in it is met first.
    """
    from kam import collector

    with collector.paused():
        return _import(ws, folder, progress)


def _import(ws: Workspace, folder: Path, progress: Progress | None) -> dict[str, Any]:
    ws.check_required()
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    manifest = read_manifest(folder)
    neutralised = manifest.get("neutralised") == NEUTRALISED
    files = manifest["files"]
    paths = {name: _open_checked(folder, name, entry) for name, entry in files.items()}
    if not no_data(ws):
        raise InputError(f"{ws.path} is not empty: import needs a new workspace (kam init)")
    from kam.storage import (
        BulkEvents,
        BulkInsert,
        BulkLoad,
        CheckedReferences,
        LoadJournal,
        SequenceAdvance,
    )

    storage = ws.storage
    bulk = storage if isinstance(storage, BulkLoad) else None
    done = 0
    # every reference is checked below (the kinds it names are loaded first): the
    # database need not look each one up again
    with (storage.references_checked() if isinstance(storage, CheckedReferences)
          else contextlib.nullcontext()), (
            storage.load_journal() if isinstance(storage, LoadJournal)
            else contextlib.nullcontext()), storage.transaction(), (
            bulk.deferred_indexes() if bulk is not None else contextlib.nullcontext()):
        seen: dict[str, Ids] = {}
        for k in _kind_order():
            ids = seen[k.name] = Ids(k.prefix)
            if k.name not in files:
                continue
            for batch in stored_batches(paths[k.name], k, files[k.name], neutralised, ids,
                                        seen):
                if bulk is not None:
                    bulk.load_rows(k.name, batch)
                elif isinstance(storage, BulkInsert):
                    storage.insert_many(k.name, [_record(k, row) for row in batch])
                else:
                    for row in batch:
                        storage.insert(k.name, _record(k, row))
                done += len(batch)
                if progress is not None:
                    progress(len(batch))
            top = ids.top
            if top:
                if isinstance(storage, SequenceAdvance):
                    storage.advance_sequence(k.name, top)
                else:
                    while id_number(storage.next_id(k.name)) < top:
                        pass
        path = paths["event"]
        n = 2  # the first event's row in its file
        first = bulk.sequence_value("event") + 1 if bulk is not None else 0
        for batch in stored_batches(path, EVENT, files["event"], neutralised, None, seen):
            if bulk is not None:
                _in_sequence(path, n, first + n - 2, batch)
                n += len(batch)
                bulk.load_rows("event", batch)
            else:
                fresh = [{k: v for k, v in _record(EVENT, row).items() if k != "id"}
                         for row in batch]
                if isinstance(storage, BulkEvents):  # one statement per batch, ids in order
                    stored = storage.append_events(fresh)
                else:
                    stored = [storage.append_event(event) for event in fresh]
                for row, kept in zip(batch, stored, strict=True):
                    if kept["id"] != row[0]:
                        _gap(path, n, {"id": row[0]}, kept)
                    n += 1
            if progress is not None:
                progress(len(batch))
        done += files["event"]["rows"]
    return {"folder": str(folder), "imported": done,
            "rows": {name: entry["rows"] for name, entry in files.items()}}


