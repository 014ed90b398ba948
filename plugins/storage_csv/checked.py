"""Which data files are known to be valid, so a read need not check every cell again.

Every read used to parse every cell of a kind's file to catch a bad hand edit; a lazy
read converts only the cells it needs, so the check is kept apart: a file is checked
whole once (every cell, ids unique and in order), and its stamp — (inode, mtime in ns,
size) — is noted in ``checked.json``. A file written by kam is valid by construction
and noted by the writer, which also notes the files its process checked whole on
reading (a read alone never writes). Any edit by hand changes the stamp, so the next
read checks the file again and names the file, row and column of a bad value as before. The note
is a cache: losing it only costs one more check.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

CHECKED_FILE = "checked.json"

Stamp = tuple[int, int, int]


def stamp_of(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def read(folder: Path) -> dict[str, Stamp]:
    try:
        data = json.loads((folder / CHECKED_FILE).read_text(encoding="utf-8"))
        return {str(name): (int(s[0]), int(s[1]), int(s[2])) for name, s in data.items()}
    except (OSError, ValueError, TypeError, AttributeError, IndexError, KeyError):
        return {}


def note(folder: Path, stamps: dict[str, Stamp | None]) -> None:
    """Add files' stamps to the note (None: forget the file). Only writers call it,
    under the workspace lock: a read never changes the workspace's bytes."""
    try:
        known = read(folder)
        for name, st in stamps.items():
            if st is None:
                known.pop(name, None)
            else:
                known[name] = st
        tmp = folder / f".{CHECKED_FILE}.{os.getpid()}.tmp"
        fh = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fh, "w", encoding="utf-8") as out:
            json.dump(known, out, sort_keys=True)
        os.replace(tmp, folder / CHECKED_FILE)
    except OSError:
        return  # a cache: the next read checks the files again
