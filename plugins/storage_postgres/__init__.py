"""The PostgreSQL backend: one shared database for a team (``pip install 'kam[postgres]'``).

This module stays light: psycopg and the backend load only when a command opens a
postgres workspace's data. The DSN comes from ``KAM_DSN`` when set, else from
``[storage] dsn`` in kam.toml (written by ``kam init --dsn``, never with a password),
else libpq's own defaults (``PGHOST``, ``PGSERVICE`` and the service file, ``~/.pgpass``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kam.api import hookimpl

__version__ = "0.1.0"


def dsn_of(config: dict[str, Any]) -> str:
    """The connection string: ``KAM_DSN``, else kam.toml's ``storage.dsn``, else ``""``
    (libpq's environment and service file decide)."""
    env = os.environ.get("KAM_DSN")
    if env:
        return env
    storage = config.get("storage", {})
    return str(storage.get("dsn") or "") if isinstance(storage, dict) else ""


def open_postgres(path: Path, config: dict[str, Any]) -> Any:
    from kam.plugins.storage_postgres.backend import PostgresStorage

    storage = config.get("storage", {})
    timeout_ms = int(storage.get("lock_timeout_ms", 15000)) if isinstance(storage, dict) \
        else 15000
    return PostgresStorage(dsn_of(config), lock_timeout_ms=timeout_ms)


@hookimpl
def kam_register_commands(app: Any) -> None:
    from kam.plugins.storage_postgres.team_cli import register

    register(app)


@hookimpl
def kam_register_storage(register: Any) -> None:
    register("postgres", open_postgres)
