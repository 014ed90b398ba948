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

This module is the format (names, the manifest, the cell grammar); writing is
:mod:`kam.services.exchange_export`, loading :mod:`kam.services.exchange_import`, and the
import's streaming cell checks :mod:`kam.services.exchange_cells`.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from kam import __version__, cell_check
from kam.errors import InputError
from kam.kinds import KINDS
from kam.output import neutralise

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

csv.field_size_limit(2**31 - 1)

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


# --- manifest ---------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    """An export folder's manifest, checked (format, version, each file's entry)."""
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



def total_rows(folder: Path) -> int:
    """How many rows an import will write (for a progress bar)."""
    manifest = read_manifest(Path(folder).expanduser())
    return sum(int(entry["rows"]) for entry in manifest["files"].values())
