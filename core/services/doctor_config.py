"""``kam doctor``'s look at the workspace folder itself: kam.toml and what lies beside it.

A kam.toml that cannot be loaded stops every other command with one line; doctor
lists all its problems instead. A workspace that holds both a kam.db and CSV data,
or a kam.toml others may write, is reported too.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kam import config as kam_config


def config_problems(folder: Path) -> list[str]:
    """Every problem of the folder's kam.toml (none when it loads cleanly)."""
    from kam.config_schema import problems
    from kam.errors import InputError

    try:
        config = kam_config.load(folder, checked=False)
    except InputError as exc:
        return [str(exc)]
    return [f"{folder / kam_config.FILE}: {key} {problem}"
            for key, problem in problems(config)]


def folder_problems(folder: Path, backend: str) -> list[str]:
    out = []
    toml = folder / kam_config.FILE
    try:
        if toml.stat().st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            out.append(f"{toml}: writable by others (chmod 600 {toml})")
    except OSError as exc:
        out.append(f"{toml}: cannot be read ({exc})")
    has_db = (folder / "kam.db").exists()
    has_csv = any((folder / "data").glob("*.csv"))
    if has_db and has_csv:
        out.append(f"{folder}: holds both kam.db and data/*.csv; backend = {backend!r} "
                   "reads only one of them")
    return out


def check(ws: Any, seen: Any) -> Iterable[str]:
    """The doctor check (kam.services.doctor.CHECKS): kam.toml and the folder."""
    yield from config_problems(ws.path)
    yield from folder_problems(ws.path, str(ws.config.get("backend")))


def unloadable(folder: Path) -> dict[str, Any] | None:
    """Doctor's result when kam.toml itself is broken (no workspace can be opened)."""
    found = config_problems(folder)
    if not found:
        return None
    return {"ok": False, "checks": ["config"], "records": 0, "events": 0,
            "problems": [{"check": "config", "problem": text} for text in found]}
