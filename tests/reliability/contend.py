"""Many writers on the same records (run as separate processes by the tests).

Usage: python contend.py WORKSPACE CONTRACT OPP TAG ROUNDS
Each round pays 1.00 on the shared contract, logs a call, and adds one approval to
the shared opportunity (a read-modify-write of a stored list): a lost update shows
as missing money or a missing approval.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kam.services import activities, opportunities, payments
from kam.workspace import Workspace


def main() -> None:
    path, contract, opp, tag, rounds = Path(sys.argv[1]), *sys.argv[2:5], int(sys.argv[5])
    ws = Workspace.open(path, as_of="2026-03-02")
    try:
        for i in range(rounds):
            payments.record(ws, contract, "1.00", ref=f"{tag}-{i}")
            activities.log(ws, opp, type="call", outcome="advance", note=f"{tag}-{i}")
            ws.actor = f"{tag}-{i}"  # each approval by its own (acting) approver
            opportunities.approve(ws, opp, by=f"{tag}-{i}")
    finally:
        ws.close()


if __name__ == "__main__":
    main()
