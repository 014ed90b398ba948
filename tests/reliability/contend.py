"""Many writers on the same records (run as separate processes by the tests).

Usage: python contend.py WORKSPACE CONTRACT OPP TAG ROUNDS [TIMES_FILE]
Each round pays 1.00 on the shared contract, logs a call, and adds one approval to
the shared opportunity (a read-modify-write of a stored list): a lost update shows
as missing money or a missing approval. With TIMES_FILE, each mutation's wall time
(seconds, lock wait included) is written there as a JSON list.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from kam.services import activities, opportunities, payments
from kam.workspace import Workspace


def main() -> None:
    path, contract, opp, tag, rounds = Path(sys.argv[1]), *sys.argv[2:5], int(sys.argv[5])
    times_file = Path(sys.argv[6]) if len(sys.argv) > 6 else None
    times: list[float] = []
    ws = Workspace.open(path, as_of="2026-03-02")
    try:
        for i in range(rounds):
            start = time.perf_counter()
            payments.record(ws, contract, "1.00", ref=f"{tag}-{i}")
            times.append(time.perf_counter() - start)
            start = time.perf_counter()
            activities.log(ws, opp, type="call", outcome="advance", note=f"{tag}-{i}")
            times.append(time.perf_counter() - start)
            ws.actor = f"{tag}-{i}"  # each approval by its own (acting) approver
            start = time.perf_counter()
            opportunities.approve(ws, opp, by=f"{tag}-{i}")
            times.append(time.perf_counter() - start)
    finally:
        ws.close()
        if times_file is not None:
            times_file.write_text(json.dumps(times))


if __name__ == "__main__":
    main()
