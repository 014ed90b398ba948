"""The postgres backend side by side with SQLite (``run.py``'s ``postgres`` section).

On a throwaway PostgreSQL cluster started here (PostgreSQL's durable defaults: fsync on),
on the same machine as the client: ``kam import`` of the generated data into each
backend, the reports (their JSON compared), everyday commands, one mutation, and
16 concurrent writers' throughput. Nothing here needs a PostgreSQL already running.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

#: one writer process: N customers, each its own transaction and event
WRITER = """
import sys
from pathlib import Path
from kam.services import customers
from kam.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]))
for i in range(int(sys.argv[3])):
    customers.add(ws, f"{sys.argv[2]}-{i}")
ws.close()
"""
WRITERS, WRITES = 16, 25


def _fresh_db(cluster: Any, name: str) -> str:
    import psycopg

    with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}".encode())
        conn.execute(f"CREATE DATABASE {name}".encode())
    return str(cluster.dsn(name))


def _init(run: Any, bench: Any, path: Path, backend: str, dsn: str = "") -> dict[str, str]:
    shutil.rmtree(path, ignore_errors=True)
    env = run.child_env(path, bench.root)
    extra = ["--backend", backend] + (["--dsn", dsn] if dsn else [])
    _s, code, _r, _o = run.run_once(run.kam("init", "--lang", "en", *extra), env)
    if code:
        raise SystemExit(f"kam init --backend {backend} exited {code}")
    return env


def _throughput(run: Any, bench: Any, env: dict[str, str], path: Path) -> float:
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"w{n}", str(WRITES)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True) for n in range(WRITERS)]
    failed = [p for p in procs if p.wait() != 0]
    seconds = time.perf_counter() - started
    for p in failed:
        bench.notes.append(f"a concurrent writer failed: {(p.stderr.read() or '')[:200]}")
    return WRITERS * WRITES / seconds


def side_by_side(run: Any, bench: Any, size: str, sqlite_ws: Path) -> None:
    """Measure ``size`` on both backends; add its tables to ``bench``."""
    from kam.plugins.storage_postgres import cluster as pg

    try:
        server = pg.start(durable=True)
    except pg.NoServer as exc:
        bench.notes.append(f"postgres side by side skipped: {exc}")
        return
    try:
        _measure(run, bench, size, sqlite_ws, server)
    finally:
        server.stop()


def _measure(run: Any, bench: Any, size: str, sqlite_ws: Path, server: Any) -> None:
    folder = bench.root / f"export-{size}-seed{bench.args.seed}-v{run.generate.VERSION}"
    if not (folder / "manifest.json").is_file():
        bench.say(f"exporting {size} (once)…")
        shutil.rmtree(folder, ignore_errors=True)
        run.run_once(run.kam("export", str(folder)), run.child_env(sqlite_ws, bench.root))
    # the same folder name on both sides: reports name their workspace
    targets = {"sqlite": bench.root / f"pg-side-sqlite-{size}" / "ws",
               "postgres": bench.root / f"pg-side-postgres-{size}" / "ws"}
    envs: dict[str, dict[str, str]] = {}
    rows: list[list[str]] = []
    bench.say(f"postgres side by side on {size}: import…")
    for backend, path in targets.items():
        dsn = _fresh_db(server, f"bench_{size}") if backend == "postgres" else ""
        envs[backend] = _init(run, bench, path, backend, dsn)
        seconds, code, rss, _ = run.run_once(run.kam("import", str(folder)), envs[backend])
        rows.append([f"kam import ({backend})", run.ms(seconds), f"{rss / 1024:.0f} MB",
                     "ok" if not code else f"exit {code}"])
    bench.tables.append((f"Import of {size}: sqlite and postgres",
                         ["what", "time", "peak RSS", "exit"], rows))

    bench.say(f"postgres side by side on {size}: reports and everyday commands…")
    n = len(list((folder / "opportunity.csv").open(encoding="utf-8"))) - 1
    cmds = {f"report {r}": run.kam("report", r, "-f", "json") for r in run.REPORTS}
    cmds["opp list --limit 50"] = run.kam("opp", "list", "--limit", "50")
    cmds[f"opp show OP{n // 2}"] = run.kam("opp", "show", f"OP{n // 2}")
    samples = {b: run.measure(cmds, envs[b], bench.runs(False), keep=True) for b in envs}
    rows = []
    for name in cmds:
        lite, post = samples["sqlite"][name], samples["postgres"][name]
        same = "same" if lite.out == post.out else "**differs**"
        rows.append([name, run.ms(lite.median), run.ms(post.median),
                     f"{post.median / lite.median:.1f}×", f"{post.peak_mb:.0f} MB", same])
        if lite.out != post.out:
            bench.notes.append(f"{name} on {size}: postgres output differs from sqlite")
    bench.say(f"postgres side by side on {size}: one mutation…")
    contract = _signed_contract(envs["sqlite"], run)
    for backend in envs:
        pay = run.measure({"pay": run.kam("pay", "record", contract, "1.00", "--ref", "bench")},
                          envs[backend], bench.runs(True))["pay"]
        samples[backend]["pay record"] = pay
    lite, post = samples["sqlite"]["pay record"], samples["postgres"]["pay record"]
    rows.append([f"pay record {contract} 1.00", run.ms(lite.median), run.ms(post.median),
                 f"{post.median / lite.median:.1f}×", f"{post.peak_mb:.0f} MB", "—"])
    bench.tables.append((f"sqlite and postgres on {size} (whole processes, medians)", [
        "command", "sqlite", "postgres", "postgres / sqlite", "postgres peak RSS",
        "output"], rows))

    bench.say("postgres side by side: 16 concurrent writers…")
    rows = []
    for backend in ("sqlite", "postgres"):
        path = bench.root / f"pg-side-writers-{backend}"
        dsn = _fresh_db(server, "bench_writers") if backend == "postgres" else ""
        env = _init(run, bench, path, backend, dsn)
        rows.append([backend, f"{_throughput(run, bench, env, path):,.0f}"])
        shutil.rmtree(path, ignore_errors=True)
    bench.tables.append((f"{WRITERS} concurrent writers × {WRITES} customers each "
                         "(whole service calls, each one transaction and one event)",
                         ["backend", "mutations/s"], rows))
    for path in targets.values():
        shutil.rmtree(path, ignore_errors=True)


def _signed_contract(env: dict[str, str], run: Any) -> str:
    """A signed contract with money still owed (read from the sqlite side; same ids)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{Path(env['KAM_HOME']) / 'kam.db'}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT r.contract_id FROM receivable r JOIN contract c ON c.id = r.contract_id"
            " WHERE c.status IN ('signed', 'executing') AND r.written_off_on IS NULL"
            " AND r.amount - coalesce(r.paid, 0) > 10000 ORDER BY r.contract_id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return str(row[0])
