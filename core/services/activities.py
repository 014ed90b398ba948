"""Activities (拜访/跟进): every call should win some commitment."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kam import values
from kam.errors import InputError
from kam.kinds import kind_of_id
from kam.services.common import atomic, clean_changes, drafted, rows_of
from kam.storage import scope
from kam.workspace import Workspace

#: this many ``continuance`` outcomes in a row on one deal is a warning
CONTINUANCE_RUN = 3


@atomic(loads=("kam.models.activity_draft",))
def log(ws: Workspace, record_id: str, *, type: str, date: str | None = None,
        contacts: Sequence[str] = (), outcome: str | None = None, note: str | None = None,
        next_step: str | None = None, next_due: str | None = None,
        owner: str | None = None, signals: Sequence[str] = (),
        closing: str | None = None) -> dict[str, Any]:
    """Log a call against an opportunity, a lead or a customer."""
    from kam.models.activity_draft import draft

    k = kind_of_id(record_id.strip())
    if k is None or k.name not in ("opportunity", "lead", "customer"):
        raise InputError(f"{record_id}: activities are logged on an opportunity (OP…), "
                         "a lead (LD…) or a customer (CU…)")
    target = ws.get(k.name, record_id.strip())
    links: dict[str, Any] = {"customer_id": target["customer_id"] if k.name != "customer"
                             else target["id"]}
    if k.name == "opportunity":
        links["opportunity_id"] = target["id"]
    elif k.name == "lead":
        links["lead_id"] = target["id"]
    contact_ids = []
    for cid in contacts:
        contact = ws.get("contact", cid)
        if contact["customer_id"] != links["customer_id"]:
            raise InputError(f"--contact: {contact['id']} is not a contact of "
                             f"{links['customer_id']}")
        contact_ids.append(contact["id"])
    checked = drafted({
        "id": "AC0", **links, "type": type,
        "date": values.date(date, "--date") if date else ws.today,
        "owner": owner or ws.actor, "contact_ids": contact_ids,
        **clean_changes({"outcome": outcome, "note": note, "next_step": next_step,
                         "next_due": next_due, "closing": closing}),
        "signals": list(signals),
    }, draft, _activity_model)
    with ws.mutation("activity.logged", refs=[v for v in links.values() if v]) as m:
        record = checked | {"id": ws.storage.next_id("activity"), "created_at": ws.now()}
        ws.storage.insert("activity", record)
        m.record_id = record["id"]
        m.payload = {"type": record["type"], "outcome": record["outcome"]}
        if record.get("signals") or record.get("closing"):
            m.payload |= {"signals": record["signals"], "closing": record.get("closing")}
    warnings = []
    if record.get("opportunity_id") and record.get("outcome") == "continuance":
        recent = list(ws.storage.find("activity", {"opportunity_id": record["opportunity_id"]},
                                      order_by=("-date", "-id"), limit=CONTINUANCE_RUN))
        if len(recent) == CONTINUANCE_RUN and all(
            a.get("outcome") == "continuance" for a in recent
        ):
            warnings.append(f"{CONTINUANCE_RUN} calls in a row on {record['opportunity_id']} "
                            "ended in continuance (暂时中断): win a commitment on the next one")
    ws.warnings.extend(warnings)
    return record


def _activity_model() -> Any:
    """The pydantic model, for what :func:`kam.models.activity_draft.draft` leaves to it."""
    from kam.models import Activity

    return Activity


def list_(ws: Workspace, *, opp: str | None = None, owner: str | None = None,
          since: str | None = None, customer: str | None = None,
          limit: int | None = None, fields: Sequence[str] | None = None,
          member: str | None = None) -> Iterator[dict[str, Any]]:
    """Activities oldest first; ``member``: those on the deals a user owns or is on the
    team (铁三角) of, whoever logged them."""
    where: dict[str, Any] = {}
    if opp:
        where["opportunity_id"] = opp.strip().upper()
    if member:
        from kam.models.deal_team import worked_by

        where["opportunity_id__in"] = worked_by(ws, member, "opportunity")["id__in"]
    where.update(scope(customer=customer, owner=owner))
    if since:
        where["date__ge"] = values.date(since, "--since")
    return rows_of(ws, "activity", where, order_by=("date", "id"), limit=limit, fields=fields)
