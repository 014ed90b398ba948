"""Both built-in backends pass the one storage conformance suite of kam.testing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kam.testing import StorageConformance


class TestSQLiteConformance(StorageConformance):
    def open_storage(self, path: Path) -> Any:
        from kam.plugins.storage_sqlite import open_sqlite

        return open_sqlite(path, {})


class TestCSVConformance(StorageConformance):
    def open_storage(self, path: Path) -> Any:
        from kam.plugins.storage_csv import open_csv

        return open_csv(path, {})
