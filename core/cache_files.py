"""Where kam keeps what it may recompute (``kam --help``'s text, plugins' validated
settings), and the file stat its caches are checked against. Standard library only:
the cached paths import as little as they can."""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any


def cache_folder() -> str | None:
    """kam's folder in the user's cache folder (``XDG_CACHE_HOME``, else ``~/.cache``;
    ``LOCALAPPDATA`` on Windows), or None."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or (
            os.path.join(os.path.expanduser("~"), ".cache"))
    return os.path.join(base, "kam") if base else None


def file_stat(path: str) -> tuple[int, int, int, int] | None:
    """What a cache compares a file by: mtime, size, mode and owner (None if absent)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_mtime_ns, st.st_size, st.st_mode, getattr(st, "st_uid", 0))


def write_whole(path: str, value: Any) -> None:
    """Replace the cache file ``path`` with ``value`` (marshal), whole or not at all: a
    cache that cannot be written is left as it was."""
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temp, "wb") as fh:
            marshal.dump(value, fh)
        os.replace(temp, path)
    except (OSError, ValueError):
        try:
            os.unlink(temp)
        except OSError:
            pass
