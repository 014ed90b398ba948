"""``kam export`` / ``kam import``: a backend-neutral, versioned folder of CSV files.

The folder holds one CSV per record kind (columns in the kind's field order, rows
by id), ``events.csv`` (the event log in order) and ``manifest.json`` (format
version, kam version, and per file its columns, row count and SHA-256). The
output is stable: the same data gives the same bytes from any backend, so
SQLite → export → import into a CSV workspace → export is byte-identical.

Cells: money ``"300000.00"``, dates ISO, booleans ``true``/``false``, json as
JSON text, empty = none. Text cells are neutralised against spreadsheet formula
injection (a leading ``'`` before ``= + - @``, tab or CR); a text that itself
starts with ``'`` gets one more, so import removes exactly one leading quote and
every value round-trips exactly (the manifest says ``"neutralised": "leading-quote"``).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from kam import __version__, cell_check
from kam.errors import InputError
from kam.kinds import EVENT, KINDS, Kind
from kam.output import FORMULA_START, neutralise
from kam.storage import id_number
from kam.workspace import Workspace

FORMAT = "kam-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
EVENTS_FILE = "events.csv"
NEUTRALISED = "leading-quote"
#: personal data (PII) that ``--redact`` drops, per kind
PERSONAL: dict[str, tuple[str, ...]] = {"contact": ("phone", "email", "note", "fields"),
                                         "activity": ("note", "next_step"),
                                         # copies of records handed to event hooks
                                         "outbox": ("args", "error")}
BATCH = 2000
#: rows per block written to an export file
BLOCK = 500

csv.field_size_limit(2**31 - 1)

Progress = Callable[[int], None]


# --- cells ------------------------------------------------------------------------------


def protect(text: str) -> str:
    """Neutralise a formula, reversibly: exactly one leading quote is added or none."""
    if text.startswith("'"):
        return "'" + text
    return neutralise(text)


def decode(ftype: str, text: str, neutralised: bool, name: str = "value") -> Any:
    """Cell text → record value by kam's one grammar (kam.cell_check); ``ValueError``
    says what is wrong with it."""
    if ftype == "text" and neutralised and text.startswith("'"):
        text = text[1:]
        if text == "":
            return ""
    return cell_check.decode(name, ftype, text)


# --- export -----------------------------------------------------------------------------
# Rows travel in the storage's *stored form* (kam.storage.StoredRows): money as integer
# cents, json as its canonical text. A backend that stores that form (SQLite) hands rows
# over undecoded; for any other, ``stored_form`` of ``find``'s records is the reference.


def _to_stored(ftype: str, value: Any) -> Any:
    """One record value → its stored form (what the SQLite backend writes)."""
    if value is None:
        return None
    if ftype == "money":
        return int((Decimal(value) * 100).to_integral_value())
    if ftype == "bool":
        return 1 if value else 0
    if ftype == "json":
        return _JSON_TEXT(value)
    if ftype in ("date", "datetime"):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if ftype == "decimal":
        return str(value)
    return value


_JSON_TEXT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


def _json_text_fast() -> Callable[[Any], str]:
    """``_JSON_TEXT`` through the C encoder made once (``encode`` makes one per call),
    for parsed JSON (no cycles, so no cycle check); the same text."""
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)  # the C accelerator, absent on PyPy
    if make is None:
        return _JSON_TEXT
    chunks = make(None, str, encoder.encode_basestring, None, ": ", ", ", True, False, True)
    return lambda value: "".join(chunks(value, 0))


_JSON_TEXT_PARSED = _json_text_fast()


def stored_form(k: Kind, record: dict[str, Any]) -> tuple[Any, ...]:
    """A record as ``find`` gives it → its row in stored form (the reference for
    ``StoredRows.stored_rows``)."""
    return tuple(_to_stored(f.type, record.get(f.name)) for f in k.fields)


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
            row = (*row[:at_payload], _JSON_TEXT(kept), *row[at_payload + 1:])
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


def _write_kind(path: Path, k: Kind, rows: Iterable[tuple[Any, ...]],
                blank: tuple[str, ...] = ()) -> dict[str, Any]:
    """Stream one kind's stored rows into its CSV file, a block of rows at a time.

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
        files[k.name] = _write_kind(folder / f"{k.name}.csv", k, _stored_rows(storage, k),
                                    blank)
    events = _stored_rows(storage, EVENT)
    if redact:
        events = _redact_events(events)
    files["event"] = _write_kind(folder / EVENTS_FILE, EVENT, events)
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


# --- import -----------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: missing (not a kam export folder)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"{path}: not a kam export manifest")
    version = manifest.get("version")
    if version != FORMAT_VERSION:
        raise InputError(f"{path}: export format version {version!r}; this kam reads "
                         f"version {FORMAT_VERSION} (made by kam {manifest.get('kam_version')})")
    files = manifest.get("files")
    if not isinstance(files, dict) or "event" not in files:
        raise InputError(f"{path}: no file list")
    for name, entry in files.items():
        if name != "event" and name not in KINDS:
            raise InputError(f"{path}: record kind {name!r} is unknown to this kam "
                             f"(kam {__version__}); importing would lose it")
        if not isinstance(entry, dict) or not {"file", "rows", "sha256"} <= set(entry):
            raise InputError(f"{path}: entry for {name!r} needs file, rows and sha256")
        if not (isinstance(entry["file"], str)
                and re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*\.csv", entry["file"])):
            raise InputError(f"{path}: file name {entry['file']!r} must be a plain NAME.csv "
                             "in the export folder")
        rows = entry["rows"]
        if isinstance(rows, bool) or not isinstance(rows, int) or not 0 <= rows < 10**12:
            raise InputError(f"{path}: rows for {name!r} must be a whole number")
        if not (isinstance(entry["sha256"], str)
                and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])):
            raise InputError(f"{path}: sha256 for {name!r} must be 64 hex digits")
    return manifest


class _HashingReader(io.RawIOBase):
    """A file read once, hashed as it goes; ``plain`` turns False at the first byte
    that asks for the full per-cell check (a control character or a JSON escape that may
    stand for one): until then a cell's text needs no scan of its own.

    Rows reach the csv reader only after their bytes passed through here, so ``plain``
    is always up to date for the row being checked."""

    _C0 = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")  # and DEL
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
                seen = self._tail + data
                if (self._C0.search(seen) or (b"\xc2" in seen and self._C1.search(seen))
                        or (b"\\" in seen and self._ESCAPE.search(seen))):
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


def _open_checked(folder: Path, name: str, entry: dict[str, Any]) -> Path:
    path = folder / str(entry["file"])
    if not path.is_file():
        raise InputError(f"{path}: missing (listed in the manifest for {name})")
    return path


class _Ids:
    """The ids of one kind seen so far: a bitmap of their numbers while they are plain
    (``CU12``: the prefix, 1–15 digits, no leading zero, below 2^23), a set for the rest;
    a million activities take 125 kB instead of ~100 MB of strings."""

    LIMIT = 1 << 23

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.bits = bytearray()
        self.other: set[str] = set()

    def add(self, rid: str) -> bool:
        """Note an id; False when it was there already."""
        n = _plain_number(rid, self.prefix)
        if n < 0 or n >= self.LIMIT:
            if rid in self.other:
                return False
            self.other.add(rid)
            return True
        byte, bit = n >> 3, 1 << (n & 7)
        bits = self.bits
        if byte >= len(bits):
            bits.extend(bytes(max(byte + 1 - len(bits), len(bits))))
        if bits[byte] & bit:
            return False
        bits[byte] |= bit
        return True

    def __contains__(self, rid: object) -> bool:
        n = _plain_number(rid, self.prefix)
        if n < 0 or n >= self.LIMIT:
            return rid in self.other
        byte = n >> 3
        return byte < len(self.bits) and bool(self.bits[byte] & (1 << (n & 7)))


def _plain_number(rid: Any, prefix: str) -> int:
    """The number of a plain id of a kind (its prefix, then digits without a leading
    zero: ``CU12``), else -1. A plain id is a valid one (kam.cell_check.record_id)."""
    try:
        n = int(rid[len(prefix):])
    except (TypeError, ValueError):
        return -1
    return n if n < 10**15 and rid == f"{prefix}{n}" else -1


class _Unsure(Exception):
    """The fast check cannot vouch for a cell: the row goes the reference way."""


def _slow_row(k: Kind, path: Path, n: int, types: list[tuple[str, str]],
              cells: list[str], neutralised: bool) -> dict[str, Any]:
    """The reference: each cell decoded by kam's one grammar (names file, row, column)."""
    record: dict[str, Any] = {}
    for (name, ftype), text_ in zip(types, cells, strict=True):
        try:
            record[name] = cell_check.enum_value(
                k.name, name, decode(ftype, text_, neutralised, name))
        except ValueError as exc:
            raise InputError(f"{path} row {n}, column {name}: {exc}") from None
    if k.name == "event":
        _check_event_cells(path, n, record)
    return record


def _fast_cells(k: Kind, header: list[str], neutralised: bool) -> list[Callable[[str], Any]]:
    """Per column, cell text → stored value for cells in a plain file, the same value the
    reference gives (``decode`` then the stored form), or ``_Unsure``/any error to send
    the row the reference way. Repeating values (dates, numbers) are checked once."""
    from kam.vocab import VOCAB

    out: list[Callable[[str], Any]] = []
    for name in header:
        ftype = k.type_of(name)
        vocab = cell_check.ENUMS.get((k.name, name))
        keys = frozenset(VOCAB.get(vocab, ())) if vocab and vocab in VOCAB else None
        out.append(_fast_cell(name, ftype, keys, neutralised))
    return out


#: json shapes (kam.cell_check.JSON_SHAPES) checked without a generic walk
_SHAPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "{}": lambda v: type(v) is dict,
    "[str]": lambda v: type(v) is list and all(type(x) is str for x in v),
    "[{}]": lambda v: type(v) is list and all(type(x) is dict for x in v),
}
#: a list of texts with nothing to escape, written as json.dumps writes it: its own
#: canonical form, and (in a plain file) holding no control character
_PLAIN_TEXTS = re.compile(r'\[(?:"[^"\\\x00-\x1f]*"(?:, "[^"\\\x00-\x1f]*")*)?\]')
_MONEY = re.compile(r"-?[0-9]{1,15}\.[0-9]{2}")
_EMPTY_JSON = {"[]": ("[{}]", "[str]", ""), "{}": ("{}", "{str}", "")}


def _fast_cell(name: str, ftype: str, keys: frozenset[str] | None,
               neutralised: bool) -> Callable[[str], Any]:
    memo: dict[str, Any] = {}
    if keys is not None and ftype not in ("text", "json"):
        def unsure(text: str) -> Any:
            raise _Unsure
        return unsure

    def remembered(text: str) -> Any:
        found = memo.get(text)
        if found is None:
            value = _to_stored(ftype, decode(ftype, text, False, name))
            if len(memo) > 100_000:
                memo.clear()
            found = memo[text] = value
        return found

    if ftype == "text":
        def text_cell(text: str) -> Any:
            if not text:
                return None
            if neutralised and text[0] == "'":
                text = text[1:]
            if keys is not None and text not in keys:
                raise _Unsure
            return text
        return text_cell
    if ftype == "money":
        fullmatch = _MONEY.fullmatch

        def money_cell(text: str) -> Any:
            if not text:
                return None
            if fullmatch(text) is None:
                raise _Unsure
            return int(text.replace(".", ""))
        return money_cell
    if ftype == "bool":
        return {"": None, "true": 1, "false": 0}.__getitem__
    if ftype in ("int", "decimal", "date"):
        get = memo.get

        def memo_cell(text: str) -> Any:
            value = get(text)
            if value is None and text:
                value = remembered(text)
            return value
        return memo_cell
    if ftype == "datetime":
        days: set[str] = set()
        times: set[str] = set()

        def datetime_cell(text: str) -> Any:
            if not text:
                return None
            day, rest = text[:10], text[10:]
            if day in days and rest in times:
                return text
            if decode(ftype, text, False, name) != text or len(text) < 16 or text[10] not in "T ":
                raise _Unsure
            # valid and already stripped: its date and its time are each valid alone
            if len(days) > 100_000 or len(times) > 100_000:
                days.clear()
                times.clear()
            days.add(day)
            times.add(rest)
            return text
        return datetime_cell
    if ftype == "json":
        shape = cell_check.JSON_SHAPES.get(name, "")
        shape_ok = _SHAPE_CHECKS.get(shape) or (lambda v: cell_check._shape_ok(shape, v))
        texts_only = _PLAIN_TEXTS.fullmatch if shape == "[str]" and keys is None else None
        scan = json.JSONDecoder(parse_float=lambda s: _json_float(s, name),
                                parse_int=_json_int,
                                parse_constant=_no_constant).scan_once  # type: ignore[attr-defined]

        def json_cell(text: str) -> Any:
            if not text:
                return None
            empty = _EMPTY_JSON.get(text)
            if empty is not None:
                if shape not in empty:
                    raise _Unsure
                return text
            if texts_only is not None and texts_only(text) is not None:
                return text  # ["OP1", "CU2"]: valid, checked and canonical as it stands
            value, end = scan(text, 0)  # StopIteration (not JSON) → the reference way
            if end != len(text) or not shape_ok(value):
                raise _Unsure
            if keys is not None and not set(value) <= keys:
                raise _Unsure
            canonical = _JSON_TEXT_PARSED(value)
            return text if canonical == text else canonical
        return json_cell
    raise ValueError(f"unknown field type {ftype}")


def _json_float(text: str, name: str) -> float:
    from kam import values

    values.number(text, name)
    return float(text)


def _json_int(text: str) -> int:
    """JSON whole numbers of 16 digits and more (10^15 and beyond) are refused."""
    if len(text) > (16 if text[0] == "-" else 15):
        raise _Unsure
    return int(text)


def _no_constant(text: str) -> Any:
    raise _Unsure


def _stored_batches(path: Path, k: Kind, entry: dict[str, Any], neutralised: bool,
                    ids: _Ids | None, seen: dict[str, _Ids]) -> Iterator[list[Sequence[Any]]]:
    """One file's rows in stored form, checked, in batches; any problem → ``InputError``
    naming file, row and column. A file whose bytes do not match the manifest's SHA-256
    is reported as that, whatever else is wrong in it."""
    reader = _HashingReader(path)
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
                     ids: _Ids | None, seen: dict[str, _Ids], text: io.TextIOWrapper,
                     reader: _HashingReader) -> Iterator[list[Sequence[Any]]]:
    lines = csv.reader(text)
    n = 1
    count = 0
    try:
        header = next(lines, None)
        if header is None:
            raise InputError(f"{path}: empty file (no header row)")
        unknown = [c for c in header if k.field(c) is None]
        if unknown:
            raise InputError(f"{path} row 1: unknown column {unknown[0]!r} for {k.name}")
        if len(set(header)) != len(header) or "id" not in header:
            raise InputError(f"{path} row 1: needs an id column and no column twice")
        types = [(name, k.type_of(name)) for name in header]
        fast = _fast_cells(k, header, neutralised)
        names = k.names
        width = len(names)
        place = None if list(header) == list(names) else [names.index(h) for h in header]
        at_id = names.index("id")
        refs = [(names.index(f.name), f, seen.get(f.ref) or _Ids("")) for f in k.fields
                if f.ref in KINDS]
        prefix = k.prefix
        batch: list[Sequence[Any]] = []
        for cells in lines:
            n += 1
            if not cells:
                continue
            if len(cells) != len(header):
                raise InputError(f"{path} row {n}: {len(cells)} cells, the header has "
                                 f"{len(header)}")
            stored: list[Any] | None = None
            if reader.plain:
                try:
                    stored = [cell(t) for cell, t in zip(fast, cells, strict=False)]
                except Exception:
                    stored = None
            if stored is None:
                record = _slow_row(k, path, n, types, cells, neutralised)
                stored = [_to_stored(ftype, record[name]) for name, ftype in types]
            if place is not None:
                full: list[Any] = [None] * width
                for i, value in zip(place, stored, strict=True):
                    full[i] = value
                stored = full
            rid = stored[at_id]
            if _plain_number(rid, prefix) < 0:
                try:
                    cell_check.record_id(rid or "", prefix, k.name)
                except ValueError as exc:
                    raise InputError(f"{path} row {n}, column id: {exc}") from None
            if ids is not None:
                if not ids.add(rid):
                    raise InputError(f"{path}: id {rid} appears twice")
                for at, f, targets in refs:
                    value = stored[at]
                    if value is not None and value not in targets:
                        raise InputError(f"{path}: {rid} {f.name} names {value}, which is "
                                         f"not in the export")
            count += 1
            batch.append(stored)
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch
    except csv.Error as exc:
        raise InputError(f"{path} row {n + 1}: {exc}") from None
    if reader.digest() != entry["sha256"]:
        raise InputError(f"{path}: SHA-256 does not match the manifest (changed or damaged)")
    rows = entry["rows"]
    if count != rows:
        raise InputError(f"{path}: {count} rows, the manifest says {rows}")


def _check_event_cells(path: Path, n: int, record: dict[str, Any]) -> None:
    """The event log's json cells have one shape each: refs a list of ids, payload an
    object; anything else would break history, doctor and export later."""
    refs, payload = record.get("refs"), record.get("payload")
    if refs is not None and not (isinstance(refs, list)
                                 and all(isinstance(r, str) for r in refs)):
        raise InputError(f"{path} row {n}, column refs: {refs!r} is not a list of ids")
    if payload is not None and not isinstance(payload, dict):
        raise InputError(f"{path} row {n}, column payload: {payload!r} is not an object")


def _gap(path: Path, n: int, event: dict[str, Any], kept: dict[str, Any]) -> NoReturn:
    raise InputError(f"{path} row {n}: event {event['id']} would become {kept['id']}; "
                     "events must run EV1, EV2, … without gaps")


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


#: stored value (not None) → record value, per field type (the fallback's inverse of
#: ``_to_stored``); absent = as stored
_FROM_STORED: dict[str, Callable[[Any], Any]] = {
    "money": lambda cents: Decimal(cents).scaleb(-2), "bool": bool,
    "json": json.loads, "date": dt.date.fromisoformat, "decimal": Decimal}


def _record(k: Kind, row: Sequence[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f, value in zip(k.fields, row, strict=True):
        convert = _FROM_STORED.get(f.type)
        out[f.name] = convert(value) if convert is not None and value is not None else value
    return out


def _is_empty(ws: Workspace) -> bool:
    storage = ws.storage
    if any(storage.count(k.name) for k in KINDS.values()):
        return False
    return next(iter(storage.events(limit=1)), None) is None


def import_(ws: Workspace, folder: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Load an export into this (empty) workspace in one transaction, or refuse it whole.

    Files are streamed (read once, hashed and checked as they go, written in batches),
    so memory stays flat however big the export; a file that fails its SHA-256 is
    reported as such even when a bad row in it is met first.
    """
    ws.check_required()
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    manifest = read_manifest(folder)
    neutralised = manifest.get("neutralised") == NEUTRALISED
    files = manifest["files"]
    paths = {name: _open_checked(folder, name, entry) for name, entry in files.items()}
    if not _is_empty(ws):
        raise InputError(f"{ws.path} is not empty: import needs a new workspace (kam init)")
    from kam.storage import BulkEvents, BulkInsert, BulkLoad, SequenceAdvance

    storage = ws.storage
    bulk = storage if isinstance(storage, BulkLoad) else None
    done = 0
    with storage.transaction(), (bulk.deferred_indexes() if bulk is not None
                                 else contextlib.nullcontext()):
        seen: dict[str, _Ids] = {}
        for k in _kind_order():
            ids = seen[k.name] = _Ids(k.prefix)
            if k.name not in files:
                continue
            top = 0
            for batch in _stored_batches(paths[k.name], k, files[k.name], neutralised, ids,
                                         seen):
                top = max(top, *(id_number(row[0]) for row in batch))
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
            if top:
                if isinstance(storage, SequenceAdvance):
                    storage.advance_sequence(k.name, top)
                else:
                    while id_number(storage.next_id(k.name)) < top:
                        pass
        path = paths["event"]
        n = 2  # the first event's row in its file
        first = bulk.sequence_value("event") + 1 if bulk is not None else 0
        for batch in _stored_batches(path, EVENT, files["event"], neutralised, None, seen):
            if bulk is not None:
                for row in batch:
                    expected = f"{EVENT.prefix}{first + n - 2}"
                    if row[0] != expected:
                        _gap(path, n, {"id": row[0]}, {"id": expected})
                    n += 1
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


def total_rows(folder: Path) -> int:
    """How many rows an import will write (for a progress bar)."""
    manifest = read_manifest(Path(folder).expanduser())
    return sum(int(entry["rows"]) for entry in manifest["files"].values())
