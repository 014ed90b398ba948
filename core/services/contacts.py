"""Contacts and the decision chain (决策链): roles, coach level, stance, style, level."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from kam.services.common import (
    atomic,
    clean_changes,
    dump,
    edit_payload,
    merge_fields,
    parse_fields,
    validate,
)
from kam.workspace import Workspace

if TYPE_CHECKING:
    from kam.records import ContactChanges  # TypedDicts: costly to build, typing only


@atomic
def add(ws: Workspace, customer_id: str, name: str, /, *, fields: Sequence[str] = (),
        **attrs: Unpack[ContactChanges]) -> dict[str, Any]:
    from kam.models import Contact

    customer = ws.get("customer", customer_id)
    custom = parse_fields(ws, "contact", fields)
    now = ws.now()
    draft = validate(Contact, {"id": "CT0", "customer_id": customer["id"], "name": name,
                               "fields": custom, **clean_changes(attrs)})
    with ws.mutation("contact.added", refs=[customer["id"]]) as m:
        record = dump(draft) | {"id": ws.storage.next_id("contact"), "created_at": now,
                                "updated_at": now}
        ws.storage.insert("contact", record)
        m.record_id = record["id"]
        m.payload = {"name": record["name"], "customer_id": customer["id"]}
    return record


@atomic
def edit(ws: Workspace, contact_id: str, *, fields: Sequence[str] = (),
         **attrs: Unpack[ContactChanges]) -> dict[str, Any]:
    from kam.models import Contact

    current = ws.get("contact", contact_id)
    changes = clean_changes(attrs)
    if changes.get("roles") == []:
        changes.pop("roles")
    custom = parse_fields(ws, "contact", fields)
    if custom:
        changes["fields"] = merge_fields(current.get("fields"), custom)
    merged = dump(validate(Contact, {**current, **changes}))
    diff = {k: v for k, v in merged.items() if current.get(k) != v and k != "updated_at"}
    if not diff:
        return current
    diff["updated_at"] = ws.now()
    with ws.mutation("contact.edited", current["id"], edit_payload(current, diff),
                     refs=[current["customer_id"]]):
        ws.storage.update("contact", current["id"], diff)
    return {**current, **diff}


def get(ws: Workspace, contact_id: str) -> dict[str, Any]:
    """One contact (``NotFoundError``, exit 3, when there is none)."""
    return ws.get("contact", contact_id)


def list_(ws: Workspace, *, customer: str | None = None, role: str | None = None,
          limit: int | None = None) -> Iterator[dict[str, Any]]:
    where = {"customer_id": customer.upper()} if customer else {}
    rows = ws.storage.find("contact", where, limit=None if role else limit)
    if role:
        from kam import vocab

        key = vocab.parse("role", role)
        rows = (r for r in rows if key in (r.get("roles") or []))
    return rows
