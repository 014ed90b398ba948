"""Typed records: what ``ws.get``/``ws.find`` and the hooks hand a plugin, one
TypedDict per record kind (plain dicts at run time, every stored key present,
``None`` when unset). Generated from kam.kinds by ``python -m kam.schema_doc
--write docs/json.md core/records.py``; do not edit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypedDict


class Customer(TypedDict):
    """客户: a customer (``CU…``)."""

    id: str
    name: str
    grade: str | None
    matrix: str | None
    purchase_type: str | None
    relationship: str | None
    industry: str | None
    region: str | None
    scope: str | None
    intel: Any
    potential: Decimal | None
    potential_drivers: Any
    currency: str | None
    owner: str | None
    flags: Any
    fields: Any
    created_at: str | None
    updated_at: str | None


class Contact(TypedDict):
    """联系人: a contact (``CT…``)."""

    id: str
    customer_id: str
    name: str
    title: str | None
    roles: Any
    coach: str | None
    stance: str | None
    style: str | None
    level: str | None
    phone: str | None
    email: str | None
    note: str | None
    fields: Any
    created_at: str | None
    updated_at: str | None


class Lead(TypedDict):
    """线索: a lead (``LD…``)."""

    id: str
    customer_id: str
    title: str
    source: str | None
    scenario: str | None
    status: str | None
    budget_confirmed: bool
    budget_amount: Decimal | None
    currency: str | None
    authority_contact_id: str | None
    need: str | None
    timeline: dt.date | None
    spin: Any
    follow_ups: Any
    opportunity_id: str | None
    drop_reason: str | None
    owner: str | None
    fields: Any
    created_at: str | None
    updated_at: str | None


class Opportunity(TypedDict):
    """商机: a opportunity (``OP…``)."""

    id: str
    customer_id: str
    lead_id: str | None
    number: str | None
    title: str
    owner: str | None
    amount: Decimal | None
    currency: str | None
    margin: Decimal | None
    expense_budget: Decimal | None
    category: str | None
    close_date: dt.date | None
    importance: str | None
    probability: int | None
    forecast_category: str | None
    pipeline: str | None
    stage: str
    status: str | None
    forced: bool
    customer_owner: str | None
    budget_confirmed: bool
    budget_amount: Decimal | None
    authority_contact_id: str | None
    need: str | None
    timeline: dt.date | None
    competition: str | None
    decision_process: str | None
    checklist: Any
    approvals: Any
    bids: Any
    stage_history: Any
    stage_entered_at: dt.date | None
    reason: str | None
    summary: str | None
    closed_at: dt.date | None
    completed_at: dt.date | None
    renews_contract_id: str | None
    fields: Any
    created_at: str | None
    updated_at: str | None


class Activity(TypedDict):
    """拜访: a activity (``AC…``)."""

    id: str
    opportunity_id: str | None
    customer_id: str
    lead_id: str | None
    type: str
    date: dt.date
    owner: str | None
    contact_ids: Any
    outcome: str | None
    note: str | None
    next_step: str | None
    next_due: dt.date | None
    created_at: str | None


class Contract(TypedDict):
    """合同: a contract (``CO…``)."""

    id: str
    opportunity_id: str
    customer_id: str
    number: str
    title: str | None
    owner: str | None
    amount: Decimal
    currency: str | None
    tax_rate: Decimal | None
    discount: Decimal | None
    lines: Any
    gifts: str | None
    status: str | None
    plan: Any
    warranty_months: int | None
    acceptance_criteria: str | None
    change_cost: str | None
    service_end: dt.date | None
    terms: Any
    version: int | None
    approvals: Any
    review: Any
    amendments: Any
    pending_amendment: Any
    handover: Any
    signed_on: dt.date | None
    delivered_on: dt.date | None
    initial_accepted_on: dt.date | None
    final_accepted_on: dt.date | None
    closed_on: dt.date | None
    terminated_on: dt.date | None
    reason: str | None
    fields: Any
    created_at: str | None
    updated_at: str | None


class Receivable(TypedDict):
    """回款节点: a payment milestone (``RC…``)."""

    id: str
    contract_id: str
    customer_id: str
    seq: int
    kind: str
    share: str | None
    due_offset: str | None
    amount: Decimal
    currency: str | None
    trigger_on: dt.date | None
    due_date: dt.date | None
    paid: Decimal | None
    paid_on: dt.date | None
    written_off: Decimal | None
    written_off_on: dt.date | None
    written_off_by: str | None
    write_off_reason: str | None
    created_at: str | None
    updated_at: str | None


class Payment(TypedDict):
    """回款: a payment (``PY…``)."""

    id: str
    contract_id: str
    customer_id: str
    amount: Decimal
    currency: str | None
    date: dt.date
    ref: str | None
    allocations: Any
    note: str | None
    created_at: str | None


class Invoice(TypedDict):
    """发票: a invoice (``IV…``)."""

    id: str
    contract_id: str
    customer_id: str
    receivable_id: str | None
    number: str
    amount: Decimal
    currency: str
    date: dt.date
    created_at: str | None


class Attachment(TypedDict):
    """附件: a attachment (``AT…``)."""

    id: str
    contract_id: str
    kind: str | None
    name: str
    path: str
    sha256: str
    size: int
    attached_on: dt.date
    created_at: str | None


class Target(TypedDict):
    """目标: a target (``TG…``)."""

    id: str
    owner: str
    period: str
    amount: Decimal
    currency: str | None
    note: str | None
    created_at: str | None
    updated_at: str | None


class Outbox(TypedDict):
    """投递: a event delivery (``OB…``)."""

    id: str
    hook: str
    plugin: str
    event_id: str | None
    args: Any
    status: str | None
    tries: int | None
    error: str | None
    next_at: str | None
    created_at: str | None
    updated_at: str | None


class Event(TypedDict):
    """事件: a event (``EV…``)."""

    id: str
    at: str
    actor: str | None
    kind: str
    record_id: str
    payload: Any
    refs: Any


__all__ = [
    "Customer",
    "Contact",
    "Lead",
    "Opportunity",
    "Activity",
    "Contract",
    "Receivable",
    "Payment",
    "Invoice",
    "Attachment",
    "Target",
    "Outbox",
    "Event",
]
