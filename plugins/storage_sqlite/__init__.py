"""The embedded default backend: one SQLite file (``kam.db``) in the workspace.

This module stays light: the backend (and sqlite-utils) load only when a command
opens the workspace's data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kam.api import hookimpl

__version__ = "0.1.0"


def open_sqlite(path: Path, config: dict[str, Any]) -> Any:
    from kam.plugins.storage_sqlite.backend import SQLiteStorage

    db = Path(path) / "kam.db"
    if not db.exists() and any((Path(path) / "data").glob("*.csv")):
        # a CSV workspace whose kam.toml lost its backend line: never start an empty
        # database beside the real data
        from kam.errors import StorageError

        raise StorageError(f"{path} holds CSV data (data/*.csv) but kam.toml says backend "
                           "sqlite (or nothing); set backend = \"csv\" in kam.toml")
    timeout_ms = int(config.get("storage", {}).get("busy_timeout_ms", 15000))
    return SQLiteStorage(path / "kam.db", busy_timeout_ms=timeout_ms)


@hookimpl
def kam_register_storage(register: Any) -> None:
    register("sqlite", open_sqlite)
