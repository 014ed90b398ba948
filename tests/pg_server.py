"""The PostgreSQL server the tests use: a throwaway cluster started once per session.

``KAM_TEST_PG_DSN`` names an existing server instead (a superuser DSN). Each test gets
a fresh database cloned from a migrated template (``CREATE DATABASE ... TEMPLATE``:
~0.2 s). Without a server the postgres tests are skipped, except under ``CI=true``,
where a missing server fails them: CI never passes by skipping a backend.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import Any

import pytest

TEMPLATE = "kam_template"


class PgServer:
    def __init__(self, admin_dsn: str, stop: Any = None) -> None:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        self.admin_dsn = admin_dsn
        self._params = conninfo_to_dict(admin_dsn)
        self._make = make_conninfo
        self._stop = stop
        self._numbers = itertools.count(1)
        self.prefix = f"kam_t{os.getpid()}_"
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        from kam.plugins.storage_postgres.backend import PostgresStorage

        PostgresStorage(self.dsn(TEMPLATE)).close()  # migrated once, cloned per test

    def dsn(self, dbname: str) -> str:
        return str(self._make("", **{**self._params, "dbname": dbname}))

    def fresh(self) -> str:
        """A new, migrated, empty database; its DSN."""
        import psycopg

        name = f"{self.prefix}{next(self._numbers)}"
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.dsn(name)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()


def start() -> PgServer:
    """The server, or a skip (a failure under ``CI=true``) when there is none."""
    reason = ""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        reason = "psycopg is not installed (pip install -e '.[test,postgres]')"
    if not reason:
        if os.environ.get("KAM_TEST_PG_DSN"):
            return PgServer(os.environ["KAM_TEST_PG_DSN"])
        from kam.plugins.storage_postgres import cluster

        try:
            running = cluster.start()
        except cluster.NoServer as exc:
            reason = str(exc)
        else:
            try:
                return PgServer(running.dsn(), running.stop)
            except BaseException:
                running.stop()
                raise
    if os.environ.get("CI") == "true":
        pytest.fail(f"no PostgreSQL server for the postgres tests: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL server: {reason}")


def session_server() -> Iterator[PgServer]:
    server = start()
    try:
        yield server
    finally:
        server.stop()
