"""Which single-file plugins may run: safe files, and workspaces the user trusts.

A ``.py`` plugin runs with the user's rights on every command, so kam loads one only
from a folder and a file owned by the user (or root) that nobody else can write; and a
workspace's own ``plugins_dir`` only after the user trusted that workspace with
``kam plugins trust`` (like direnv's ``allow``). Trust is recorded outside the
workspace, in the user's config dir (``$XDG_CONFIG_HOME/kam/trusted``, one resolved
folder a line), so a workspace cannot trust itself.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path


def config_dir() -> Path:
    """kam's folder in the user's config dir."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "kam"


def trusted_file() -> Path:
    return config_dir() / "trusted"


def _key(folder: Path) -> str:
    return str(Path(folder).expanduser().resolve())


def trusted() -> set[str]:
    """The trusted workspace folders (resolved paths)."""
    try:
        text = trusted_file().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {line.strip() for line in text.splitlines() if line.strip()}


def is_trusted(workspace: Path) -> bool:
    return _key(workspace) in trusted()


def trust(workspace: Path, *, remove: bool = False) -> str:
    """Record (or withdraw) trust in ``workspace``; returns the resolved path. The file
    is the user's alone (folder 0700, file 0600) and replaced atomically."""
    key = _key(workspace)
    names = trusted()
    names = names - {key} if remove else names | {key}
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = trusted_file()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("".join(f"{n}\n" for n in sorted(names)))
    os.replace(tmp, path)
    return key


def unsafe(path: Path) -> str | None:
    """Why ``path`` (a plugins folder or file) must not be loaded, or None: owned by
    another user, or writable by group or others. Not checked where there are no Unix
    owners (Windows)."""
    if not hasattr(os, "getuid"):
        return None
    try:
        st = path.stat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if st.st_uid not in (os.getuid(), 0):
        return "is owned by another user"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by group or others (chmod go-w)"
    return None
