"""What the postgres backend adds beyond the conformance suite: the DSN and passwords,
schema versions, lost connections, and retried transactions."""

from __future__ import annotations

import tomllib
from pathlib import Path

import psycopg
import pytest
from conftest import Kam
from kam.errors import StorageError
from kam.plugins.storage_postgres import schema
from kam.plugins.storage_postgres.backend import PostgresStorage
from kam.plugins.storage_postgres.errors import translate
from kam.services import common
from kam.storage import RetryableError
from kam.workspace import Workspace


def test_init_never_writes_a_password(tmp_path: Path, pg_dsn: str) -> None:
    k = Kam(tmp_path / "ws", "postgres")
    k.ok("init", "--backend", "postgres", "--dsn", f"{pg_dsn} password='s3cret pw'")
    text = (k.path / "kam.toml").read_text(encoding="utf-8")
    assert "s3cret" not in text and "password" not in text
    assert tomllib.loads(text)["storage"]["dsn"] == pg_dsn
    k.ok("customer", "add", "ACME")
    assert [c["name"] for c in k.json("customer", "list")] == ["ACME"]


def test_kam_dsn_wins_over_kam_toml(tmp_path: Path, pg_server: object, pg_dsn: str) -> None:
    import conftest

    k = Kam(tmp_path / "ws", "postgres")
    k.ok("init", "--backend", "postgres", "--dsn", pg_dsn)
    other = conftest.PG.fresh()
    k.ok("customer", "add", "in the other database", env={"KAM_DSN": other})
    assert k.json("customer", "list") == []
    assert len(k.json("customer", "list", env={"KAM_DSN": other})) == 1


def test_init_with_a_dsn_is_postgres_and_uses_that_database(tmp_path: Path,
                                                            pg_server: object) -> None:
    import conftest

    mine, elsewhere = conftest.PG.fresh(), conftest.PG.fresh()
    k = Kam(tmp_path / "ws", "postgres")
    k.ok("init", "--dsn", mine, env={"KAM_DSN": elsewhere})  # --dsn beats KAM_DSN here
    config = tomllib.loads((k.path / "kam.toml").read_text(encoding="utf-8"))
    assert config["backend"] == "postgres"
    k.ok("customer", "add", "ACME")
    with psycopg.connect(mine) as conn:
        assert conn.execute("SELECT name FROM customer").fetchall() == [("ACME",)]


def test_an_unreachable_server_is_exit_4_in_one_line(tmp_path: Path, pg_dsn: str) -> None:
    k = Kam(tmp_path / "ws", "postgres")
    k.ok("init", "--backend", "postgres", "--dsn", pg_dsn)
    r = k("--lang", "en", "customer", "list", env={"KAM_DSN": "host=127.0.0.1 port=1 dbname=x"})
    assert r.exit_code == 4
    assert r.stderr.startswith("kam: cannot connect to the database") and \
        r.stderr.count("\n") == 1
    zh = k("customer", "list", env={"KAM_DSN": "host=127.0.0.1 port=1 dbname=x"})
    assert (zh.exit_code, zh.stderr.startswith("kam: 无法连接数据库：")) == (4, True)


def test_a_lost_connection_writes_nothing(pg_dsn: str) -> None:
    s = PostgresStorage(pg_dsn)
    pid = s.conn.info.backend_pid
    with pytest.raises(StorageError, match="lost the connection.*nothing of this change"):
        with s.transaction():
            s.insert("customer", {"id": s.next_id("customer"), "name": "half"})
            with psycopg.connect(pg_dsn, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            s.insert("customer", {"id": s.next_id("customer"), "name": "other half"})
    s.close()
    again = PostgresStorage(pg_dsn)
    try:
        assert again.count("customer") == 0
        with again.transaction():
            assert again.next_id("customer") == "CU1"  # no id was used up
    finally:
        again.close()


def test_a_database_from_a_newer_kam_is_refused(tmp_path: Path, pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO kam_migrations (name) VALUES ('9999_from_the_future')")
    with pytest.raises(StorageError, match="newer kam .schema version "
                       f"{schema.SCHEMA_VERSION + 1}"):
        PostgresStorage(pg_dsn)


def test_an_unrecorded_schema_is_refused_with_nothing_half_applied(pg_server: object) -> None:
    import conftest

    dsn = conftest.PG.fresh()
    with psycopg.connect(dsn, autocommit=True) as conn:  # tables kam did not record
        conn.execute("DROP TABLE kam_migrations")
    with pytest.raises(StorageError):  # the tables are there but unrecorded: refused whole
        PostgresStorage(dsn)
    with psycopg.connect(dsn, autocommit=True) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT to_regclass('kam_migrations')::text")]
    assert names == [None]  # nothing half-applied


def test_serialization_failures_and_deadlocks_are_retryable(pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        for state in ("40001", "40P01"):
            with pytest.raises(psycopg.Error) as caught:
                conn.execute(f"DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '{state}'; "
                             "END $$")
            assert isinstance(translate(caught.value), RetryableError)


def test_atomic_runs_a_service_again_when_the_database_gave_it_up(kam: Kam) -> None:
    calls: list[int] = []

    @common.atomic
    def flaky(ws: Workspace) -> str:
        from kam.services import customers

        calls.append(1)
        added = customers.add(ws, f"try {len(calls)}")
        if len(calls) < 3:
            raise RetryableError("a concurrent change got in the way")
        return str(added["id"])

    ws = kam.workspace()
    try:
        assert flaky(ws) == "CU1"  # the failed attempts left nothing, not even ids
        assert [c["name"] for c in ws.storage.find("customer")] == ["try 3"]
    finally:
        ws.close()
    assert len(calls) == 3

    @common.atomic
    def hopeless(ws: Workspace) -> None:
        raise RetryableError("always")

    ws = kam.workspace()
    try:
        with pytest.raises(RetryableError):
            hopeless(ws)
    finally:
        ws.close()


PG_TYPES = {"text": "text", "datetime": "text", "json": "text", "int": "bigint",
            "bool": "boolean", "money": "numeric", "decimal": "numeric", "date": "date"}


def test_the_migrated_database_matches_the_kinds(pg_dsn: str) -> None:
    """Every field of core/kinds.py is a column of its type, every ref a foreign key and
    every indexed field indexed, as the replayed SQLite schema is checked."""
    from kam.kinds import EVENT, KINDS

    with psycopg.connect(pg_dsn) as conn:
        columns = {(t, c): d for t, c, d in conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema()")}
        keys = {(t, c, p) for t, c, p in conn.execute(
            "SELECT child.relname, a.attname, parent.relname FROM pg_constraint k"
            " JOIN pg_class child ON child.oid = k.conrelid"
            " JOIN pg_class parent ON parent.oid = k.confrelid"
            " JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]"
            " WHERE k.contype = 'f'")}
        indexed = {(t, c) for t, c in conn.execute(
            "SELECT t.relname, a.attname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
            " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]")}
    missing = []
    for k in (*KINDS.values(), EVENT):
        for f in k.fields:
            found = columns.get((k.name, f.name))
            if found != PG_TYPES[f.type]:
                missing.append(f"{k.name}.{f.name}: {found} is not {PG_TYPES[f.type]}")
            if f.ref and (k.name, f.name, f.ref) not in keys:
                missing.append(f"{k.name}.{f.name}: no foreign key to {f.ref}")
            if f.index and (k.name, f.name) not in indexed:
                missing.append(f"{k.name}.{f.name}: not indexed")
    assert missing == []


def test_kam_team_needs_a_postgres_workspace(tmp_path: Path) -> None:
    k = Kam(tmp_path / "ws", "sqlite")
    k.ok("init", "--lang", "en")
    r = k("team", "list")
    assert r.exit_code == 2 and "needs a postgres workspace" in r.stderr


def test_a_writer_waits_for_another_then_gives_up_with_exit_4(pg_dsn: str) -> None:
    first, second = PostgresStorage(pg_dsn), PostgresStorage(pg_dsn, lock_timeout_ms=200)
    try:
        with first.transaction():
            first.insert("customer", {"id": first.next_id("customer"), "name": "slow"})
            with pytest.raises(StorageError, match="locked by another kam process") as caught:
                with second.transaction():
                    pass
            assert caught.value.exit_code == 4
        assert second.count("customer") == 1  # readers never wait
        with second.transaction():  # and once the first is done, the second writes
            second.insert("customer", {"id": second.next_id("customer"), "name": "next"})
        assert [r["id"] for r in first.find("customer")] == ["CU1", "CU2"]
    finally:
        first.close()
        second.close()
