"""Where plugins and the workspace are found, cheaply enough for start-up: entry points
read from the installed distributions, the workspace folder from the command line,
and whether its kam.toml has plugin settings."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any


def entry_points(group: str) -> list[tuple[str, str, str]]:
    """(name, value, distribution version) of a group's entry points, read straight from
    the installed distributions' ``entry_points.txt``: the same answer as
    ``importlib.metadata.entry_points(group=...)`` (first distribution of a name on
    ``sys.path`` wins) without importing it, which costs tens of ms at every start."""
    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for meta in names:
            if not meta.endswith((".dist-info", ".egg-info")):
                continue
            stem = meta.rsplit(".", 1)[0]
            dist, _, version = stem.partition("-")
            key = dist.lower().replace("-", "_").replace(".", "_")
            if key in seen:
                continue
            folder = os.path.join(entry or ".", meta)
            if not os.path.isdir(folder):
                continue
            seen.add(key)
            try:
                with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            version = version or _version_of(folder)
            section = ""
            for line in text.splitlines():
                line = line.strip()
                if not line or line[0] in "#;":
                    continue
                if line.startswith("[") and line.endswith("]"):
                    section = line[1:-1].strip()
                elif section == group and "=" in line:
                    name, _, value = line.partition("=")
                    found.append((name.strip(), value.strip(), version or "?"))
    return found


def _version_of(folder: str) -> str:
    for file in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(folder, file), encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("Version:"):
                        return line.split(":", 1)[1].strip()
                    if not line.strip():
                        break
        except OSError:
            continue
    return ""


def load_entry_point(value: str) -> Any:
    """``module`` or ``module:attr.attr`` (extras in brackets ignored), as EntryPoint.load."""
    module_name, _, attrs = value.partition(":")
    module = importlib.import_module(module_name.strip())
    for attr in attrs.split("[")[0].strip().split(".") if attrs else []:
        module = getattr(module, attr)
    return module


def _workspace_from_argv(argv: list[str]) -> str | None:
    """``--workspace``/``-w`` among the root options of a ``kam`` command line, if given."""
    takes_value = {"--workspace", "-w", "--as-of", "--lang"}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return None  # the command: root options come before it
        if arg in ("--workspace", "-w"):
            return argv[i + 1] if i + 1 < len(argv) else None
        if arg.startswith("--workspace="):
            return arg.split("=", 1)[1]
        if arg.startswith("-w") and not arg.startswith("--"):
            return arg[2:]
        i += 2 if arg in takes_value else 1
    return None


def workspace_folder(argv: list[str]) -> Path:
    """The workspace a ``kam`` command line will open: ``--workspace``, else
    ``KAM_HOME``, else the user data dir (as :meth:`kam.workspace.Workspace.open`)."""
    given = _workspace_from_argv(argv) or os.environ.get("KAM_HOME")
    if given:
        return Path(given).expanduser()
    return default_path()


def mentions_plugins(text: str) -> bool:
    """Whether kam.toml has plugin settings worth parsing it for: a ``[plugins]`` table
    or a ``plugins_dir`` that is not empty (every kam.toml has ``plugins_dir = ""``)."""
    for line in text.splitlines():
        bare = line.strip()
        if bare.startswith("[") and bare.lstrip("[ ").startswith("plugins"):
            return True
        key, sep, value = bare.partition("=")
        if sep and key.strip() == "plugins_dir" and value.strip() not in ('""', "''", ""):
            return True
    return False


def default_path() -> Path:
    """``KAM_HOME``, else the platform's user data dir; here, not in the workspace
    module, so that start-up does not import that (``kam.workspace.default_path`` calls
    this)."""
    if os.environ.get("KAM_HOME"):
        return Path(os.environ["KAM_HOME"]).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "kam"
