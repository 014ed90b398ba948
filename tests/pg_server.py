"""The PostgreSQL server the tests use: a throwaway cluster started once per session.

``KAM_TEST_PG_DSN`` names an existing server instead (a superuser DSN). Each workspace a
test makes gets a database of its own: one cloned from a migrated template
(``CREATE DATABASE ... TEMPLATE``, ~0.2 s), or one an earlier test used, emptied (a few
ms; the databases of a finished test go back to the pool unless their schema changed).
Without a server the postgres tests are skipped, except under ``CI=true``, where a
missing server fails them: CI never passes by skipping a backend.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import Any

import pytest
from kam.kinds import KINDS

#: every kam table emptied (foreign keys off for this session: order does not matter):
#: each record kind's (kam.kinds), the event log, and the backend's own
_EMPTY = ("SET session_replication_role = replica; "
          + " ".join(f"DELETE FROM {t};" for t in (
              *KINDS, "event", "event_ref", "kam_sequence", "kam_team")))


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
        self.template = f"{self.prefix}template"  # one per session: a shared server is fine
        self._free: list[str] = []
        self._used: list[str] = []
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.template}".encode())
            conn.execute(f"CREATE DATABASE {self.template}".encode())
        from kam.plugins.storage_postgres.backend import PostgresStorage

        PostgresStorage(self.dsn(self.template)).close()  # migrated once, cloned per test

    def dsn(self, dbname: str) -> str:
        return str(self._make("", **{**self._params, "dbname": dbname}))

    def fresh(self) -> str:
        """A migrated, empty database; its DSN."""
        import psycopg

        while self._free:
            name = self._free.pop()
            try:
                with psycopg.connect(self.dsn(name), autocommit=True) as conn:
                    conn.execute("SET lock_timeout = '5s'")
                    conn.execute(_EMPTY)
            except psycopg.Error:
                self._drop(name)
                continue
            self._used.append(name)
            return self.dsn(name)
        name = f"{self.prefix}{next(self._numbers)}"
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {self.template}".encode())
        self._used.append(name)
        return self.dsn(name)

    def release(self) -> None:
        """After a test: its databases back to the pool, if their schema is as migrated."""
        import psycopg
        from kam.plugins.storage_postgres.schema import MIGRATIONS

        used, self._used = self._used, []
        for name in used:
            try:
                with psycopg.connect(self.dsn(name), autocommit=True) as conn:
                    row = conn.execute("SELECT array_agg(name ORDER BY name) FROM "
                                       "kam_migrations").fetchone()
                intact = row is not None and row[0] == sorted(n for n, _ in MIGRATIONS)
            except psycopg.Error:
                intact = False
            if intact:
                self._free.append(name)
            else:
                self._drop(name)

    def _drop(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()  # a throwaway cluster goes whole
            return
        for name in {*self._free, *self._used, self.template}:  # on a shared server
            self._drop(name)


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
