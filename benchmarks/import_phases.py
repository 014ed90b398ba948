"""Where ``kam import`` (or its floor) spends its CPU, phase by phase, in one process.

    python benchmarks/import_phases.py EXPORT_DIR WORKSPACE [--floor] [--pragma P ...]

WORKSPACE must not exist: it is made with ``kam init --lang en``, then EXPORT_DIR (a
folder written by ``kam export``) is imported into it by kam (or, with ``--floor``, by
``benchmarks/floors/import.py``). Every ``execute``/``executemany`` of SQLite is timed
(user + sys CPU of this process) and charged to its kind of statement: the inserts per
table, the event index (``event_ref``), the index builds (``CREATE INDEX``), the
call-summary fill (``summaries.FILL``), the commit; the rest of the CPU is Python
(reading, hashing, checking, batching). ``--pragma cache_size=-16384`` runs each
``PRAGMA`` on every new connection first (to measure a setting without changing kam).
Prints one JSON object on stderr (kam's own output stays on stdout): CPU seconds per
phase, ``python``, ``total``, minor page faults and peak RSS. The environment is the
runner's (``KAM_TODAY``, ``KAM_LANG=en``, ``KAM_USER``); ``.pyc`` files should be
compiled first.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import sqlite3
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


SPENT: dict[str, float] = collections.defaultdict(float)


def phase(sql: str) -> str:
    text = sql.lstrip()
    head = text[:40].upper()
    if head.startswith("INSERT OR IGNORE INTO EVENT_REF"):
        return "event_ref"
    if head.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")):
        return "create_index"
    if "call_fill" in text or "call_last" in text[:60] or "temp.cache_size" in text:
        return "fill"
    if head.startswith("INSERT INTO KAM_SEQUENCE"):
        return "sequence"
    if head.startswith("COMMIT"):
        return "commit"
    if head.startswith("INSERT INTO") and '"' in text[:30]:
        return "insert:" + text.split('"')[1]
    return "other"


def timed(sql: str, run: Any, *args: Any) -> sqlite3.Cursor:
    start = cpu()
    try:
        return run(sql, *args)
    finally:
        SPENT[phase(sql)] += cpu() - start


class Timed(sqlite3.Connection):
    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        return timed(sql, super().execute, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        return timed(sql, super().executemany, *args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export_dir")
    parser.add_argument("workspace")
    parser.add_argument("--floor", action="store_true", help="time the floor program")
    parser.add_argument("--pragma", action="append", default=[],
                        help="a PRAGMA run on every new connection (e.g. cache_size=-16384)")
    args = parser.parse_args()
    ws = Path(args.workspace)
    if ws.exists():
        parser.error(f"{ws} exists: give a new folder")
    os.environ.setdefault("KAM_TODAY", "2026-06-30")
    os.environ.setdefault("KAM_USER", "bench")
    os.environ["KAM_LANG"] = "en"
    os.environ["KAM_HOME"] = str(ws)
    from kam import cli

    def run(*argv: str) -> None:
        sys.argv = ["kam", *argv]
        try:
            cli.main()
        except SystemExit as exc:
            if exc.code:
                raise

    run("init", "--lang", "en")
    connect = sqlite3.connect

    def timed_connect(*a: Any, **kw: Any) -> sqlite3.Connection:
        kw["factory"] = Timed
        conn = connect(*a, **kw)
        for pragma in args.pragma:
            sqlite3.Connection.execute(conn, f"PRAGMA {pragma}")
        return conn

    sqlite3.connect = timed_connect  # type: ignore[assignment]
    SPENT.clear()
    start = cpu()
    if args.floor:
        sys.path.insert(0, str(HERE / "floors"))
        import importlib

        importlib.import_module("import").main(args.export_dir, str(ws / "kam.db"))
    else:
        run("import", args.export_dir)
    total = cpu() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out: dict[str, Any] = {k: round(v, 3) for k, v in sorted(SPENT.items())}
    out["python"] = round(total - sum(SPENT.values()), 3)
    out["total"] = round(total, 3)
    out["minor_faults"] = usage.ru_minflt
    out["peak_rss_mb"] = usage.ru_maxrss // 1024
    print(json.dumps(out), file=sys.stderr)


if __name__ == "__main__":
    main()
