"""Leads (线索) and their qualification: a good opportunity (好商机) has all of BANT."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from kam import vocab
from kam.errors import InputError, RefusedError
from kam.findings import blocking
from kam.services import opportunities
from kam.services.common import (
    atomic,
    clean_changes,
    dump,
    edit_payload,
    parse_fields,
    rows_of,
    validate,
)
from kam.storage import scope
from kam.workspace import Workspace

if TYPE_CHECKING:
    from kam.records import LeadChanges  # TypedDicts: costly to build, typing only
    from kam.services.results import Qualified

BANT_FIELDS = ("budget_confirmed", "budget_amount", "authority_contact_id", "need", "timeline")


@atomic
def add(ws: Workspace, customer_id: str, title: str, /, *, fields: Sequence[str] = (),
        **attrs: Unpack[LeadChanges]) -> dict[str, Any]:
    from kam.models import Lead

    customer = ws.get("customer", customer_id)
    custom = parse_fields(ws, "lead", fields)
    given = clean_changes(attrs)
    given.setdefault("currency", ws.config.get("currency", "CNY"))
    given.setdefault("owner", ws.actor)
    now = ws.now()
    draft = validate(Lead, {"id": "LD0", "customer_id": customer["id"], "title": title,
                            "fields": custom, **given})
    with ws.mutation("lead.added", refs=[customer["id"]]) as m:
        record = dump(draft) | {"id": ws.storage.next_id("lead"), "created_at": now,
                                "updated_at": now}
        ws.storage.insert("lead", record)
        m.record_id = record["id"]
        m.payload = {"title": record["title"], "customer_id": customer["id"]}
    return record


def _with_authority(ws: Workspace, lead: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    if changes.get("authority_contact_id"):
        contact = ws.get("contact", changes["authority_contact_id"])
        if contact["customer_id"] != lead["customer_id"]:
            raise InputError(f"--authority: {contact['id']} is not a contact of "
                             f"{lead['customer_id']}")
        changes["authority_contact_id"] = contact["id"]
    return changes


@atomic
def edit(ws: Workspace, lead_id: str, **attrs: Unpack[LeadChanges]) -> dict[str, Any]:
    """Record BANT, SPIN and other facts without qualifying yet."""
    from kam.models import Lead

    lead = ws.get("lead", lead_id)
    if lead["status"] != "open":
        raise RefusedError(f"lead {lead['id']} is {lead['status']}")
    changes = _with_authority(ws, lead, clean_changes(attrs))
    merged = dump(validate(Lead, {**lead, **changes}))
    diff = {k: v for k, v in merged.items() if lead.get(k) != v and k != "updated_at"}
    if not diff:
        return lead
    diff["updated_at"] = ws.now()
    with ws.mutation("lead.edited", lead["id"], edit_payload(lead, diff),
                     refs=[lead["customer_id"]]):
        ws.storage.update("lead", lead["id"], diff)
    return {**lead, **diff}


@atomic
def qualify(ws: Workspace, lead_id: str, **bant: Any) -> Qualified:
    """Run the qualification rules; a qualified lead becomes an opportunity.

    Returns ``{"verdict", "lead", "opportunity", "findings"}``. Not qualified →
    :class:`RefusedError` listing what is missing; nothing is written.
    """
    from kam.models import Lead

    lead = ws.get("lead", lead_id)
    if lead["status"] != "open":
        extra = f" to {lead['opportunity_id']}" if lead.get("opportunity_id") else ""
        raise RefusedError(f"lead {lead['id']} is already {lead['status']}{extra}")
    changes = _with_authority(ws, lead, clean_changes(bant))
    merged = dump(validate(Lead, {**lead, **changes}))
    customer = ws.get("customer", lead["customer_id"])
    findings = ws.plugins.rule("kam_qualify_lead", ws=ws, lead=merged, customer=customer)
    if blocking(findings):
        raise RefusedError(
            f"lead {lead['id']} is not qualified: "
            + "; ".join(f.message for f in blocking(findings)), findings)
    opp = opportunities.new_record(ws, {
        "customer_id": lead["customer_id"], "lead_id": lead["id"], "title": lead["title"],
        "owner": lead.get("owner"), "currency": lead.get("currency"),
        "amount": merged.get("budget_amount"), "close_date": merged.get("timeline"),
        **{k: merged.get(k) for k in BANT_FIELDS},
    })
    with ws.mutation("lead.qualified", lead["id"], refs=[lead["customer_id"]]) as m:
        opp["id"] = ws.storage.next_id("opportunity")
        ws.storage.insert("opportunity", opp)
        lead_changes = {k: merged[k] for k in BANT_FIELDS} | {
            "status": "converted", "opportunity_id": opp["id"], "updated_at": ws.now()}
        ws.storage.update("lead", lead["id"], lead_changes)
        m.refs.append(opp["id"])
        m.payload = {"opportunity_id": opp["id"],
                     "findings": [f.to_dict() for f in findings]}
    return {"verdict": "qualified", "lead": {**lead, **lead_changes}, "opportunity": opp,
            "findings": findings}


#: SPIN questioning (SPIN 提问): what each kind of question found out
SPIN_PARTS = ("situation", "problem", "implication", "need_payoff")


def spin(ws: Workspace, lead_id: str, **parts: str | None) -> dict[str, Any]:
    """Record what SPIN questions found (背景/难点/暗示/需求效益); given parts replace
    the stored ones, an empty one clears it."""
    lead = ws.get("lead", lead_id)
    unknown = set(parts) - set(SPIN_PARTS)
    if unknown:
        raise InputError(f"SPIN has no part {sorted(unknown)[0]!r}")
    merged = dict(lead.get("spin") or {})
    for name, text in parts.items():
        if text is None:
            continue
        if text.strip():
            merged[name] = text.strip()
        else:
            merged.pop(name, None)
    return edit(ws, lead["id"], spin=merged)


@atomic
def drop(ws: Workspace, lead_id: str, reason: str) -> dict[str, Any]:
    lead = ws.get("lead", lead_id)
    if lead["status"] != "open":
        raise RefusedError(f"lead {lead['id']} is already {lead['status']}")
    if not (reason or "").strip():
        raise InputError("--reason is required")
    changes = {"status": "dropped", "drop_reason": reason.strip(), "updated_at": ws.now()}
    with ws.mutation("lead.dropped", lead["id"], {"reason": reason.strip()},
                     refs=[lead["customer_id"]]):
        ws.storage.update("lead", lead["id"], changes)
    return {**lead, **changes}


def get(ws: Workspace, lead_id: str) -> dict[str, Any]:
    """One lead (``NotFoundError``, exit 3, when there is none)."""
    return ws.get("lead", lead_id)


def list_(ws: Workspace, *, status: str | None = None, customer: str | None = None,
          owner: str | None = None, limit: int | None = None,
          fields: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    where: dict[str, Any] = {}
    if status:
        where["status"] = vocab.parse("lead_status", status)
    where.update(scope(customer=customer, owner=owner))
    return rows_of(ws, "lead", where, limit=limit, fields=fields)
