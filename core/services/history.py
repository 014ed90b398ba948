"""The audit trail of any record: its events, oldest first."""

from __future__ import annotations

from kam.errors import NotFoundError
from kam.kinds import kind_of_id
from kam.workspace import Workspace


def history(ws: Workspace, record_id: str) -> list[dict]:
    rid = record_id.strip().upper()
    k = kind_of_id(rid)
    if k is None:
        raise NotFoundError(f"{record_id}: not a kam record id")
    events = list(ws.storage.events(record_id=rid))
    if not events and ws.storage.get(k.name, rid) is None:
        raise NotFoundError(f"{k.name} {rid} not found")
    return events
