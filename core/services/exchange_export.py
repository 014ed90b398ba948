"""``kam export``: the whole workspace as a folder of CSV files and a manifest, streamed.

Rows travel in the storage's *stored form* (kam.stored, kam.storage.StoredRows): money as
integer cents, json as its canonical text. A backend that stores that form (SQLite) hands
rows over undecoded; for any other, ``stored_form`` of ``find``'s records is the
reference. The format itself is :mod:`kam.services.exchange`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from kam import __version__
from kam.errors import InputError
from kam.kinds import EVENT, KINDS, Kind
from kam.output import FORMULA_START
from kam.services.exchange import (
    EVENTS_FILE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    NEUTRALISED,
    PERSONAL,
    protect,
)
from kam.stored import JSON_TEXT, to_stored
from kam.workspace import Workspace

#: rows per block written to an export file
BLOCK = 500


def stored_form(k: Kind, record: dict[str, Any]) -> tuple[Any, ...]:
    """A record as ``find`` gives it → its row in stored form (the reference for
    ``StoredRows.stored_rows``)."""
    return tuple(to_stored(f.type, record.get(f.name)) for f in k.fields)


def _stored_rows(storage: Any, k: Kind) -> Iterator[tuple[Any, ...]]:
    from kam.storage import StoredRows

    if isinstance(storage, StoredRows):
        return storage.stored_rows(k.name)
    records = storage.events() if k is EVENT else storage.find(k.name, order_by=("id",))
    return (stored_form(k, r) for r in records)


_RISKY = "'" + "".join(FORMULA_START)


def _money_cell(v: Any) -> Any:
    if type(v) is int:  # cents → "123.45", exactly what f"{Decimal:.2f}" prints
        digits = str(abs(v)).rjust(3, "0")
        return f"{'-' if v < 0 else ''}{digits[:-2]}.{digits[-2:]}"
    return v if v is None else f"{Decimal(v).scaleb(-2):.2f}"


def _bool_cell(v: Any) -> Any:
    return v if v is None else "true" if v else "false"


def _blank(v: Any) -> str:
    return ""


def _redact_payload(event_kind: str, payload: Any) -> Any:
    kind = next((k for k in PERSONAL if event_kind.startswith(f"{k}.")), None)
    if kind is None or not isinstance(payload, dict):
        return payload
    kept = {k: v for k, v in payload.items() if k not in PERSONAL[kind]}
    if isinstance(kept.get("diff"), dict):  # an edit's old → new values of those fields too
        kept["diff"] = {k: v for k, v in kept["diff"].items() if k not in PERSONAL[kind]}
    return kept


def _redact_events(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Drop personal keys from contact, activity and outbox events' payloads."""
    names = EVENT.names
    at_kind, at_payload = names.index("kind"), names.index("payload")
    prefixes = tuple(f"{k}." for k in PERSONAL)
    for row in rows:
        kind, payload = row[at_kind], row[at_payload]
        if kind and payload and str(kind).startswith(prefixes):
            kept = _redact_payload(kind, json.loads(payload))
            row = (*row[:at_payload], JSON_TEXT(kept), *row[at_payload + 1:])
        yield row


class _HashingWriter:
    """Write a CSV file (owner-only) while counting rows and hashing its bytes."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        self.fh = os.fdopen(fd, "wb")
        self.sha = hashlib.sha256()
        self.rows = 0
        self.buf = io.StringIO()
        self.csv = csv.writer(self.buf, lineterminator="\n")
        self.csv.writerow(columns)

    def write(self, rows: list[list[str]]) -> None:
        self.csv.writerows(rows)
        self.rows += len(rows)
        self.flush()

    def flush(self) -> None:
        data = self.buf.getvalue().encode("utf-8")
        self.buf.seek(0)
        self.buf.truncate()
        self.sha.update(data)
        self.fh.write(data)

    def close(self) -> str:
        self.flush()
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        return self.sha.hexdigest()


def write_kind(path: Path, k: Kind, rows: Iterable[tuple[Any, ...]],
               blank: tuple[str, ...] = ()) -> dict[str, Any]:
    """Stream one kind's stored rows into its CSV file (owner-only), a block of rows at a
    time; its manifest entry (file, rows, sha256, columns).

    The csv writer prints ``None`` as an empty cell and numbers and texts as they are,
    which is each cell's export form except for money (cents → ``"12.34"``), booleans
    (``true``/``false``) and texts that start like a formula (``protect``).
    """
    columns = list(k.names)
    texts = [i for i, f in enumerate(k.fields) if f.type == "text" and f.name not in blank]
    convert = [(i, _blank if f.name in blank else _money_cell if f.type == "money"
                else _bool_cell) for i, f in enumerate(k.fields)
               if f.name in blank or f.type in ("money", "bool")]
    out = _HashingWriter(path, columns)
    block: list[list[Any]] = []
    risky = _RISKY
    for row in rows:
        cells = list(row)
        for i in texts:
            v = cells[i]
            if type(v) is str and v and v[0] in risky:
                cells[i] = protect(v)
        for i, fn in convert:
            cells[i] = fn(cells[i])
        block.append(cells)
        if len(block) >= BLOCK:
            out.write(block)
            block = []
    out.write(block)
    digest = out.close()
    return {"file": path.name, "rows": out.rows, "sha256": digest, "columns": columns}


def _prepare_folder(folder: Path) -> None:
    """Create the folder (owner-only), or reuse an empty one or an earlier export's
    (made owner-only too); refuse anything else, a foreign manifest.json included."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise InputError(f"{folder} is not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        manifest = folder / MANIFEST
        if manifest.is_symlink() or not manifest.is_file() or not _ours(manifest):
            raise InputError(f"{folder} is not empty and not an earlier kam export")
        manifest.unlink()  # an interrupted export must not look complete
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)  # an existing folder may have been made 0777
    except OSError as exc:
        raise InputError(f"{folder}: cannot be written ({exc.strerror})") from None


def _ours(manifest: Path) -> bool:
    """Whether a manifest.json was written by kam export (and may be replaced)."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT


def export(ws: Workspace, folder: Path, *, redact: bool = False) -> dict[str, Any]:
    """Write the whole workspace to ``folder``; the manifest is written last."""
    folder = Path(folder).expanduser()
    _prepare_folder(folder)
    storage = ws.storage
    files: dict[str, Any] = {}
    for k in KINDS.values():
        blank = PERSONAL.get(k.name, ()) if redact else ()
        files[k.name] = write_kind(folder / f"{k.name}.csv", k, _stored_rows(storage, k),
                                    blank)
    events = _stored_rows(storage, EVENT)
    if redact:
        events = _redact_events(events)
    files["event"] = write_kind(folder / EVENTS_FILE, EVENT, events)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "kam_version": __version__,
        "neutralised": NEUTRALISED,
        "redacted": redact,
        "files": files,
    }
    tmp = folder / f".{MANIFEST}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / MANIFEST)
    return {"folder": str(folder), "redacted": redact,
            "rows": {name: f["rows"] for name, f in files.items()}}

