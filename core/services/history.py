"""The audit trail of any record: its events, oldest first."""

from __future__ import annotations

from typing import Any

from kam.errors import NotFoundError
from kam.kinds import kind_of_id
from kam.workspace import Workspace


def history(ws: Workspace, record_id: str) -> list[dict[str, Any]]:
    rid = record_id.strip().upper()
    k = kind_of_id(rid)
    if k is None:
        raise NotFoundError(f"{record_id}: not a kam record id")
    events = list(ws.storage.events(record_id=rid))
    if not events and ws.storage.get(k.name, rid) is None:
        raise NotFoundError(f"{k.name} {rid} not found")
    return events


def summary(payload: Any) -> str:
    """An event's payload as a person reads it: edits as ``field: old → new`` (from the
    payload's ``diff``), other keys as ``key=value``. JSON output keeps the payload."""
    from kam.output import cell

    if not isinstance(payload, dict) or not isinstance(payload.get("diff"), dict):
        return cell(payload)
    parts = [f"{field}: {_shown(change.get('old'))} → {_shown(change.get('new'))}"
             for field, change in payload["diff"].items() if isinstance(change, dict)]
    parts += [f"{k}={cell(v)}" for k, v in payload.items() if k not in ("diff", "changes")]
    return "; ".join(parts)


def _shown(value: Any) -> str:
    from kam.output import cell

    return "—" if value is None or value == "" else cell(value)


def for_table(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events for the table format: the payload column summarised by :func:`summary`."""
    return [{**e, "payload": summary(e.get("payload"))} for e in events]
