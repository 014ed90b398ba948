"""Both built-in backends pass the one storage conformance suite of kam.testing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kam.testing import StorageConformance


class TestSQLiteConformance(StorageConformance):
    def open_storage(self, path: Path) -> Any:
        from kam.plugins.storage_sqlite import open_sqlite

        return open_sqlite(path, {})


class TestCSVConformance(StorageConformance):
    def open_storage(self, path: Path) -> Any:
        from kam.plugins.storage_csv import open_csv

        return open_csv(path, {})


class TestPostgresConformance(StorageConformance):
    """On a fresh database per test (tests/pg_server.py); ``path`` is not used."""

    @pytest.fixture(autouse=True)
    def _database(self, pg_dsn: str) -> None:
        self.dsn = pg_dsn

    def open_storage(self, path: Path) -> Any:
        from kam.plugins.storage_postgres.backend import PostgresStorage

        return PostgresStorage(self.dsn)
