"""BANT qualification (线索资格): budget, authority, need, timeline — all four make a 好商机."""

from __future__ import annotations

from typing import Any

from kam.api import Finding, block


def bant_missing(record: dict, ws: Any) -> list[Finding]:
    """What of BANT a lead or opportunity still lacks (shared by qualify and the gate)."""
    out: list[Finding] = []
    if not record.get("budget_confirmed"):
        out.append(block("bant_budget", "budget not confirmed (--budget-confirmed)"))
    authority = record.get("authority_contact_id")
    if not authority:
        out.append(block("bant_authority", "no decision maker named (--authority CONTACT)"))
    else:
        contact = ws.storage.get("contact", authority)
        if contact is None or contact.get("customer_id") != record.get("customer_id"):
            out.append(
                block("bant_authority", f"authority {authority} is not a contact of this customer")
            )
    if not (record.get("need") or "").strip():
        out.append(block("bant_need", "need not stated (--need)"))
    if not record.get("timeline"):
        out.append(block("bant_timeline", "no expected purchase date (--timeline)"))
    return out


def qualify(ws: Any, lead: dict, customer: dict) -> list[Finding]:
    return bant_missing(lead, ws)
