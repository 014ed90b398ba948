"""``kam check``'s renewal pass (续单): a reminder once per contract and service end,
``contracts.renewal_reminder_days`` (default 90) before the service ends, for signed,
executing or closed contracts with no open or won renewal deal (``contract.renewal_due``,
``kam_contract_event`` with action ``renewal_due``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kam.workspace import Workspace

#: renewal reminders per bulk append of their events
BATCH = 2000

#: the contract states a renewal reminder is for
RENEWABLE = frozenset({"signed", "executing", "closed"})
#: contracts asked about per read of their renewal deals
CONTRACTS_PER_READ = 500


def _renewed(ws: Workspace, contract_ids: list[str]) -> set[str]:
    """Those of ``contract_ids`` with an open or won renewal deal (续单): their deals read
    by contract, a few hundred at a time (a day with nothing new asks about the few left
    to remind of, not every renewal deal of the team)."""
    from kam.reports.common import scan

    out: set[str] = set()
    for i in range(0, len(contract_ids), CONTRACTS_PER_READ):
        out.update(o["renews_contract_id"] for o in scan(
            ws, "opportunity", ("renews_contract_id", "status"),
            {"renews_contract_id__in": contract_ids[i:i + CONTRACTS_PER_READ]}, order_by=())
            if o["status"] in ("open", "won"))
    return out


def renewal_days(ws: Workspace) -> int:
    return int((ws.config.get("contracts") or {}).get("renewal_reminder_days", 90))


def renewal_reminders(ws: Workspace, preview: bool) -> list[dict[str, Any]]:
    """续单 reminders due today: once per contract and service end (a new service end,
    after an amendment, reminds again)."""
    today = ws.today
    from kam.reports.common import scan
    from kam.reports.rollups import event_values

    done = {(record_id, end) for _, record_id, end in event_values(
        ws, ["contract.renewal_due"], "service_end")}
    # the window by its service end alone, the status tested here: given the status
    # too, SQLite walks every executing contract by status (~46k of 50k on a big team)
    due = [c for c in scan(ws, "contract", ("id", "number", "customer_id", "owner",
                                            "service_end", "status"), {
        "service_end__ge": today, "service_end__le": today + dt.timedelta(days=renewal_days(ws))},
        order_by=("service_end", "id"))
        if c["status"] in RENEWABLE and (c["id"], c["service_end"].isoformat()) not in done]
    renewed = _renewed(ws, [c["id"] for c in due])
    out: list[dict[str, Any]] = []
    hooked = bool(ws.plugins.implementers("kam_contract_event"))

    contracts: dict[str, dict[str, Any]] = {}  # the whole contracts of a batch's hooks

    def hook(i: int, event: dict[str, Any]) -> None:
        line = out[len(out) - len(pending) + i]
        line["event_id"] = event["id"]
        if hooked:  # the whole contract for the hook (the loop reads a few columns)
            co_id = line["contract_id"]
            ws.fire("kam_contract_event",
                    contract=contracts.pop(co_id, None) or ws.get("contract", co_id),
                    action="renewal_due", event=event)

    def record(pending: list[tuple[str, str, dict[str, Any], list[str]]]) -> None:
        if hooked:  # read a batch at a time, not one query per hook
            contracts.clear()
            contracts.update((c["id"], c) for c in ws.storage.find(
                "contract", {"id__in": [record_id for _, record_id, _, _ in pending]},
                order_by=()))
        ws.record_events(pending, hook)

    pending: list[tuple[str, str, dict[str, Any], list[str]]] = []
    for c in due:
        if c["id"] in renewed:
            continue
        end = c["service_end"].isoformat()
        days_left = (c["service_end"] - today).days
        out.append({"contract_id": c["id"], "number": c.get("number"),
                    "customer_id": c["customer_id"], "owner": c.get("owner"),
                    "service_end": c["service_end"], "days_left": days_left,
                    "event_id": None})
        if not preview:  # the events ``mutation`` would append, BATCH at a time
            pending.append(("contract.renewal_due", c["id"],
                            {"service_end": end, "days_left": days_left,
                             "as_of": today.isoformat()}, [c["customer_id"]]))
            if len(pending) >= BATCH:
                record(pending)
                pending = []
    if pending:
        record(pending)
    return out
