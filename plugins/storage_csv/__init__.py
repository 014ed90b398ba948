"""A backend whose data is a folder of UTF-8 CSV files: human-readable and diff-able.

This module stays light: the backend loads only when a command opens the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kam.api import hookimpl

__version__ = "0.1.0"

#: the data folder inside the workspace
DATA_DIR = "data"


def open_csv(path: Path, config: dict[str, Any]) -> Any:
    from kam.plugins.storage_csv.backend import CSVStorage

    timeout = float(config.get("storage", {}).get("lock_timeout_s", 15))
    return CSVStorage(Path(path) / DATA_DIR, lock_timeout=timeout)


@hookimpl
def kam_register_storage(register: Any) -> None:
    register("csv", open_csv)
