"""Lock waits as a user sees them: W writers, each running N ``kam`` commands (a new
process per command, as from a shell) on the same deal; every command's wall time.

Usage: python -m tests.reliability.latency WORKSPACE_ROOT BACKEND WRITERS ROUNDS
Each round is ``kam pay record`` (1.00 on the shared contract), ``kam activity log``
and ``kam opp approve`` on the shared opportunity (a read-modify-write of a stored
list). Prints a JSON summary: commands, failures by exit code, p50/p99/max seconds,
and whether every payment and approval was kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any


def _writer(path: Path, co: str, opp: str, tag: str, rounds: int) -> list[tuple[float, int]]:
    out = []
    base = [sys.executable, "-m", "kam", "--workspace", str(path), "--as-of", "2026-03-02"]
    for i in range(rounds):
        env = {**os.environ, "KAM_USER": f"{tag}-{i}"}
        for args in (["pay", "record", co, "1.00", "--ref", f"{tag}-{i}", "-q"],
                     ["activity", "log", opp, "--type", "call", "--outcome", "advance", "-q"],
                     ["opp", "approve", opp]):
            start = time.perf_counter()
            done = subprocess.run([*base, *args], env=env, capture_output=True, text=True)
            out.append((time.perf_counter() - start, done.returncode))
    return out


def _quantile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def run(root: Path, backend: str, writers: int, rounds: int) -> dict[str, Any]:
    from kam.workspace import Workspace

    from tests.reliability.test_contention import _world

    path = root / f"latency-{backend}"
    co, opp = _world(path, backend)
    started = time.perf_counter()
    with ThreadPoolExecutor(writers) as pool:
        results = [t for part in pool.map(
            lambda n: _writer(path, co, opp, f"w{n}", rounds), range(writers)) for t in part]
    wall = time.perf_counter() - started
    times = sorted(t for t, _ in results)
    codes: dict[str, int] = {}
    for _, code in results:
        if code:
            codes[str(code)] = codes.get(str(code), 0) + 1
    ws = Workspace.open(path, as_of="2026-03-02")
    try:
        paid = next(ws.storage.find("receivable", {"contract_id": co}))["paid"]
        approvals = len(ws.storage.get("opportunity", opp)["approvals"])  # type: ignore[index]
    finally:
        ws.close()
    return {"backend": backend, "writers": writers, "rounds": rounds,
            "commands": len(results), "failed_by_exit_code": codes,
            "p50_s": round(_quantile(times, 0.50), 3), "p99_s": round(_quantile(times, 0.99), 3),
            "max_s": round(times[-1], 3) if times else 0.0, "wall_s": round(wall, 1),
            "payments_kept": paid == Decimal(writers * rounds),
            "approvals_kept": approvals == writers * rounds}


if __name__ == "__main__":
    root, backend, writers, rounds = Path(sys.argv[1]), sys.argv[2], *map(int, sys.argv[3:5])
    print(json.dumps(run(root, backend, writers, rounds), indent=2))
