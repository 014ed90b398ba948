"""The CSV workspace's schema version: ``manifest.json`` and the ordered CSV migrations.

``data/manifest.json`` names the format and the schema version of the files::

    {"format": "kam-csv", "version": 1, "migrations": ["0001_kam_0_1_0"]}

The version is the number of steps in :data:`MIGRATIONS` (never kept by hand). kam
0.1.0 wrote no manifest: a data folder with files but no manifest is at version 1, the
layout of 0.1.0. Opening an older folder runs the missing steps under the writer lock
and commits their files together with the new manifest through the journal, so an
upgrade lands whole or not at all. A folder from a newer kam is refused (exit 4).

A step is a frozen function of :class:`Files` (read a file's text, write a new text);
released steps never change. Adding a field to ``core/kinds.py`` needs no CSV step when
an empty cell is the right value for old rows (a missing column reads as no value and
the next write adds it); a step is needed to give old rows another value
(:func:`add_column`), or to rename or remove a column (docs/storage.md).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from kam.errors import InputError, StorageError

MANIFEST_FILE = "manifest.json"
FORMAT = "kam-csv"


class Files:
    """The data folder as a migration step sees it: reads see earlier steps' writes;
    nothing reaches the disk until every pending step ran (then one journal commit)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.changed: dict[str, str] = {}

    def read(self, name: str) -> str | None:
        """A file's text, or None when there is no such file."""
        if name in self.changed:
            return self.changed[name]
        try:
            with open(self.folder / name, encoding="utf-8", newline="") as fh:
                return fh.read()
        except FileNotFoundError:
            return None
        except UnicodeDecodeError as exc:
            raise InputError(f"{self.folder / name}: not UTF-8 text ({exc.reason})") from None

    def write(self, name: str, text: str) -> None:
        self.changed[name] = text


Step = Callable[[Files], None]


def add_column(kind_name: str, column: str, default: str = "") -> Step:
    """A step: add ``column`` to ``<kind>.csv`` with the cell text ``default`` in every row
    (a missing file or a column already there is left alone)."""

    def step(files: Files) -> None:
        name = f"{kind_name}.csv"
        text = files.read(name)
        if text is None:
            return
        rows = list(csv.reader(io.StringIO(text)))
        if not rows or column in rows[0]:
            return
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*rows[0], column])
        writer.writerows([*cells, default] for cells in rows[1:] if cells)
        files.write(name, out.getvalue())

    step.__name__ = f"add_column_{kind_name}_{column}"
    return step


def _layout_of_0_1_0(files: Files) -> None:
    """The files as kam 0.1.0 writes them (it had no manifest): nothing to change."""


def _outbox(files: Files) -> None:
    """The outbox of event-hook deliveries: an empty ``outbox.csv``."""
    if files.read("outbox.csv") is None:
        files.write("outbox.csv", "id,hook,plugin,event_id,args,status,tries,error,"
                    "next_at,created_at,updated_at\n")


# --- the migrations, in order: append only ---------------------------------------------

MIGRATIONS: tuple[tuple[str, Step], ...] = (
    ("0001_kam_0_1_0", _layout_of_0_1_0),
    ("0002_outbox", _outbox),
)

#: the CSV schema version this kam writes: derived from the list, never kept by hand
SCHEMA_VERSION = len(MIGRATIONS)

#: a data folder without a manifest was written by kam 0.1.0
V0_1_0 = 1


def manifest_text(migrations: tuple[tuple[str, Step], ...] | None = None) -> str:
    """The manifest of a folder at the end of ``migrations`` (default: this kam's)."""
    if migrations is None:
        migrations = MIGRATIONS
    version = len(migrations)
    names = [name for name, _ in migrations]
    return json.dumps({"format": FORMAT, "version": version, "migrations": names},
                      indent=1) + "\n"


def read_version(folder: Path) -> int | None:
    """The version in ``manifest.json``; None when there is none (0.1.0, or a new folder)."""
    path = folder / MANIFEST_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"cannot read {path}: {exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError(f'{path}: not a kam CSV manifest (want {{"format": "{FORMAT}", '
                         f'"version": <number>, ...}})')
    return version


def too_new(found: int, folder: Path, latest: int = SCHEMA_VERSION) -> StorageError:
    return StorageError(
        f"{folder} was written by a newer kam (CSV schema version {found}; this kam knows "
        f"up to {latest}): upgrade kam to open it"
    )


def pending_files(folder: Path, version: int,
                  migrations: tuple[tuple[str, Step], ...] | None = None) -> dict[str, str]:
    """Run the steps after ``version`` (default: this kam's); return every file they
    change plus the new manifest (name → full text), for one journal commit. Nothing
    is written here."""
    if migrations is None:
        migrations = MIGRATIONS
    if version > len(migrations):
        raise too_new(version, folder, len(migrations))
    files = Files(folder)
    for _, step in migrations[version:]:
        step(files)
    files.write(MANIFEST_FILE, manifest_text(migrations))
    return files.changed
