"""A stream of mutations on one workspace (run as a separate process by the tests).

Usage: python writer.py WORKSPACE TAG COUNT   (COUNT < 0: until killed)
Each round is three transactions that touch several files: a customer, a contact
of it, and an edit of the customer; "wrote N" is printed after each.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kam.services import contacts, customers
from kam.workspace import Workspace


def main() -> None:
    path, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    ws = Workspace.open(path, as_of="2026-03-02")
    ws.storage  # noqa: B018 - open the data before saying ready
    import kam.models.records  # noqa: F401 - the models load on first write: load them now
    print("ready", flush=True)
    i = 0
    while count < 0 or i < count:
        cu = customers.add(ws, f"{tag}-{i}")
        contacts.add(ws, cu["id"], f"{tag}-contact-{i}")
        customers.edit(ws, cu["id"], grade="A")
        i += 1
        print(f"wrote {i}", flush=True)
    ws.close()


if __name__ == "__main__":
    main()
