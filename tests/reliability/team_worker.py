"""One team member's stream of mutations on a postgres workspace (run as a process).

Usage: python team_worker.py DSN WORKSPACE ACTIONS CONTRACT OPP TAG ROUNDS
(ROUNDS < 0: until killed; prints "ready" once the workspace is open)
ACTIONS, comma-separated, taken in turn round by round: pay (1.00 against CONTRACT),
call (an activity on OPP), customer (a new one), approve (a management approval of
OPP: a read-modify-write of its stored list).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kam.services import activities, customers, opportunities, payments
from kam.workspace import Workspace


def main() -> None:
    dsn, path, actions, contract, opp, tag = sys.argv[1:7]
    rounds = int(sys.argv[7])
    os.environ["KAM_DSN"] = dsn
    ws = Workspace.open(Path(path), as_of="2026-03-02")
    ws.storage  # noqa: B018 - connect before saying ready
    print("ready", flush=True)
    try:
        i = -1
        while rounds < 0 or i + 1 < rounds:
            i += 1
            action = actions.split(",")[i % len(actions.split(","))]
            if action == "pay":
                payments.record(ws, contract, "1.00", ref=f"{tag}-{i}")
            elif action == "call":
                activities.log(ws, opp, type="call", outcome="advance", note=f"{tag}-{i}")
            elif action == "customer":
                customers.add(ws, f"{tag}-{i}")
            elif action == "approve":
                opportunities.approve(ws, opp, comment=f"{tag}-{i}")
            else:
                raise SystemExit(f"unknown action {action}")
    finally:
        ws.close()


if __name__ == "__main__":
    main()
