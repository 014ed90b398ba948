"""Shared fixtures: a real workspace in a tmp dir, and a CLI runner bound to it."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from kam.testing.cli import CliResult, KamRunner
from kam.workspace import Workspace

TODAY = "2026-03-02"

# Property tests are derandomized unless asked otherwise, so a fresh clone passes or
# fails the same way on every machine (CI included). The random, longer profile is for
# local hunting and the reliability script: KAM_HYPOTHESIS=random pytest ... ; every
# value it finds becomes an explicit @example.
settings.register_profile("ci", derandomize=True, print_blob=True, database=None)
settings.register_profile("random", max_examples=300, print_blob=True)
settings.load_profile(os.environ.get("KAM_HYPOTHESIS", "ci"))


def examples(ci: int) -> int:
    """``max_examples`` of a property test: ``ci`` in CI; the reliability script's long
    random run multiplies it (``KAM_FUZZ_SCALE``)."""
    return ci * int(os.environ.get("KAM_FUZZ_SCALE", "1"))
#: the session's PostgreSQL server, once a test has asked for it (see pg_server)
PG: Any = None

try:
    import psycopg  # noqa: F401 - the postgres extra
except ImportError:  # without it, the modules that import it are skipped (failed in CI)
    if os.environ.get("CI") == "true":
        raise
    collect_ignore = ["test_postgres_backend.py", "test_postgres_team.py",
                      "reliability/test_postgres_team_load.py"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A PostgreSQL server for the session (tests/pg_server.py): skipped without one,
    failed without one under CI=true."""
    global PG
    from pg_server import session_server

    for server in session_server():
        PG = server
        yield server
        PG = None


@pytest.fixture(autouse=True)
def _pg_release() -> Iterator[None]:
    """A test's PostgreSQL databases go back to the pool when it ends."""
    yield
    if PG is not None:
        PG.release()


@pytest.fixture
def pg_dsn(pg_server: Any) -> str:
    """A fresh, migrated, empty PostgreSQL database for this test."""
    return str(pg_server.fresh())


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for var in ("KAM_HOME", "KAM_TODAY", "KAM_USER", "KAM_LANG", "KAM_PLUGINS_DIR",
                "KAM_DISABLE_PLUGINS", "KAM_DEBUG", "KAM_STRICT_PLUGINS", "KAM_DSN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KAM_USER", "tester")
    # trusted workspaces are recorded per test, never in the developer's ~/.config
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # and kam --help's cache (kam.cli.help_cache) is kept per test too
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    # plugin folders the tests create are the user's alone whatever the CI's umask
    # (kam refuses plugin files that group or others can write)
    saved = os.umask(0o022)
    yield
    os.umask(saved)


@pytest.fixture(autouse=True, scope="session")
def _built_in_plugins_only() -> Iterator[None]:
    """kam's own tests run with kam's own plugins, even where a company plugin (CI
    installs examples/acme_kam) is installed in the same environment (session-wide, so
    module-scoped fixtures such as a demo workspace see the same)."""
    import kam.plugin_manager
    from kam.plugin_discovery import entry_points

    def built_in(group: str) -> list[tuple[str, str, str]]:
        return [e for e in entry_points(group) if e[1].startswith("kam.plugins.")]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kam.plugin_manager, "entry_points", built_in)
        yield


def storage_toml(backend: str) -> str:
    """What a hand-written kam.toml needs to name its data: nothing for the file backends,
    a fresh database's DSN for postgres (a table: append it after the top-level keys)."""
    if backend != "postgres":
        return ""
    assert PG is not None, "a postgres test needs the pg_server fixture"
    return f'[storage]\ndsn = "{PG.fresh()}"\n'


def pg_execute(path: Path, sql: str) -> None:
    """Run ``sql`` on a postgres workspace's database as its owner, with foreign keys and
    triggers off (``session_replication_role = replica``): tests damage data this way."""
    import tomllib

    import psycopg

    dsn = tomllib.loads((path / "kam.toml").read_text(encoding="utf-8"))["storage"]["dsn"]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(sql.encode())


#: one command's outcome (kam.testing's, which plugin teams use too)
Result = CliResult


class Kam(KamRunner):
    """``kam`` commands in-process against one workspace (real files, real SQLite), on a
    backend: kam.testing's runner, with a fresh database per postgres workspace."""

    def __init__(self, path: Path, backend: str = "sqlite") -> None:
        super().__init__(path)
        self.backend = backend

    def __call__(self, *args: str, env: Mapping[str, str] | None = None,
                 input: str | None = None) -> CliResult:
        if args[:1] == ("init",) and self.backend == "postgres" and "--dsn" not in args:
            assert PG is not None, "a postgres test needs the pg_server fixture"
            args = (*args, "--dsn", PG.fresh())  # each workspace its own database
        return super().__call__(*args, env=env, input=input)

    def ready_deal(self, amount: str = "1000000", *, owner: str = "张伟",
                   customer: str | None = None, title: str = "智能变电站监控平台",
                   currency: str = "CNY") -> str:
        """A deal walked through every gate of six_stage up to 商务谈判 (negotiation),
        so a contract for it can be signed; returns its id."""
        cu = customer or self.id("customer", "add", "华东电力集团", "--grade", "A")
        dm = self.id("contact", "add", cu, "王建国", "--role", "decision_maker",
                     "--coach", "intervene")
        opp = self.id("opp", "add", cu, title, "--amount", amount, "--currency", currency,
                      "--owner", owner, "--margin", "30", "--expense-budget", "30000",
                      "--category", "解决方案", "--close-date", "2026-12-31",
                      "--importance", "N", "--number", f"PRJ-{title[:4]}")
        self.ok("opp", "edit", opp, "--budget-confirmed", "--budget-amount", amount,
                "--authority", dm, "--need", "平台升级", "--timeline", "2026-12-31",
                "--competition", "两家同行", "--decision-process", "总经理办公会",
                "--customer-owner", "信息中心")
        self.ok("activity", "log", opp, "--type", "demo", "--outcome", "advance")
        self.ok("opp", "check", opp, "proposal.influence_criteria")
        self.ok("opp", "bid", opp, "--price", amount, "--cost",
                str((Decimal(amount) * 7 / 10).quantize(Decimal("0.01"))),
                "--result", "won")
        self.ok("opp", "advance", opp, "--to", "negotiation")
        return opp

    def workspace(self, as_of: str | None = TODAY) -> Workspace:
        return Workspace.open(self.path, as_of=as_of)


@pytest.fixture(params=["sqlite", "csv", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        request.getfixturevalue("pg_server")  # skipped (failed under CI=true) without one
    return str(request.param)


@pytest.fixture
def kam(tmp_path: Path, backend: str) -> Iterator[Kam]:
    k = Kam(tmp_path / "ws", backend)
    k.ok("init", "--backend", backend, "--lang", "en")
    yield k


@pytest.fixture
def ws(kam: Kam) -> Iterator[Workspace]:
    w = kam.workspace()
    yield w
    w.close()
