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
    matrix_set_by: str | None
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
    tier: str | None
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
    budget_split: Any
    budget_adjustments: Any
    withdrawal_criteria: Any
    team: Any
    evaluations: Any
    concessions: Any
    trials: Any
    case_analysis: Any
    tender_sheet: Any
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
    signals: Any
    closing: str | None
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
    cost_lines: Any
    recognised_revenue: Decimal | None
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
    collection_notes: Any
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
    status: str | None
    receivable_id: str | None
    requested_by: str | None
    confirmed_by: str | None
    confirmed_on: dt.date | None


class Invoice(TypedDict):
    """发票: a invoice (``IV…``)."""

    id: str
    contract_id: str
    customer_id: str
    receivable_id: str | None
    number: str | None
    amount: Decimal
    currency: str
    date: dt.date
    created_at: str | None
    status: str | None
    requested_by: str | None
    approvals: Any


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


class Expense(TypedDict):
    """售前费用: a expense (``EX…``)."""

    id: str
    opportunity_id: str
    customer_id: str
    type: str
    amount: Decimal
    currency: str
    date: dt.date
    stage: str | None
    owner: str | None
    receipt: Any
    note: str | None
    created_at: str | None


class Delivery(TypedDict):
    """发货: a delivery (``DL…``)."""

    id: str
    contract_id: str
    customer_id: str
    lines: Any
    status: str
    requested_by: str | None
    requested_on: dt.date | None
    approvals: Any
    shipped_on: dt.date | None
    confirmed_on: dt.date | None
    confirmation: Any
    note: str | None
    created_at: str | None
    updated_at: str | None


class Target(TypedDict):
    """目标: a target (``TG…``)."""

    id: str
    owner: str
    period: str
    amount: Decimal
    currency: str | None
    note: str | None
    customer_id: str | None
    product: str | None
    team: str | None
    responsible: str | None
    floor: Decimal | None
    stretch: Decimal | None
    created_at: str | None
    updated_at: str | None


class Service(TypedDict):
    """服务记录: a service record (``SV…``)."""

    id: str
    customer_id: str
    contract_id: str | None
    type: str
    engineer: str | None
    date: dt.date
    hours: Decimal | None
    cost: Decimal | None
    currency: str | None
    voucher: str | None
    remote: bool
    note: str | None
    created_at: str | None
    updated_at: str | None


class Survey(TypedDict):
    """满意度调查: a satisfaction survey (``SY…``)."""

    id: str
    service_id: str
    customer_id: str
    attitude: str
    skill: str
    arrival: str
    promises: str
    date: dt.date
    respondent: str | None
    surveyed_by: str | None
    note: str | None
    created_at: str | None


class Complaint(TypedDict):
    """投诉: a complaint (``CP…``)."""

    id: str
    customer_id: str
    contract_id: str | None
    severity: str
    owner: str | None
    date: dt.date
    note: str
    reply: str | None
    status: str | None
    escalated_to: str | None
    escalated_on: dt.date | None
    replied_on: dt.date | None
    closed_on: dt.date | None
    created_at: str | None
    updated_at: str | None


class VisitPlan(TypedDict):
    """拜访计划: a visit plan (``VP…``)."""

    id: str
    owner: str
    period: str
    customer_id: str
    count: int
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


class CustomerChanges(TypedDict, total=False):
    """What a service that adds or edits a customer takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    name: str | None
    grade: str | None
    matrix: str | None
    purchase_type: str | None
    relationship: str | None
    industry: str | None
    region: str | None
    scope: str | None
    intel: Any
    potential: Decimal | int | str | None
    potential_drivers: Any
    currency: str | None
    owner: str | None
    flags: Any
    matrix_set_by: str | None


class ContactChanges(TypedDict, total=False):
    """What a service that adds or edits a contact takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    customer_id: str | None
    name: str | None
    title: str | None
    roles: Any
    coach: str | None
    stance: str | None
    style: str | None
    level: str | None
    tier: str | None
    phone: str | None
    email: str | None
    note: str | None


class LeadChanges(TypedDict, total=False):
    """What a service that adds or edits a lead takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    customer_id: str | None
    title: str | None
    source: str | None
    scenario: str | None
    status: str | None
    budget_confirmed: bool | None
    budget_amount: Decimal | int | str | None
    currency: str | None
    authority_contact_id: str | None
    need: str | None
    timeline: dt.date | str | None
    spin: Any
    follow_ups: Any
    opportunity_id: str | None
    drop_reason: str | None
    owner: str | None


class OpportunityChanges(TypedDict, total=False):
    """What a service that adds or edits a opportunity takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    customer_id: str | None
    lead_id: str | None
    number: str | None
    title: str | None
    owner: str | None
    amount: Decimal | int | str | None
    currency: str | None
    margin: Decimal | int | str | None
    expense_budget: Decimal | int | str | None
    category: str | None
    close_date: dt.date | str | None
    importance: str | None
    probability: int | str | None
    forecast_category: str | None
    pipeline: str | None
    stage: str | None
    status: str | None
    forced: bool | None
    customer_owner: str | None
    budget_confirmed: bool | None
    budget_amount: Decimal | int | str | None
    authority_contact_id: str | None
    need: str | None
    timeline: dt.date | str | None
    competition: str | None
    decision_process: str | None
    checklist: Any
    approvals: Any
    bids: Any
    stage_history: Any
    stage_entered_at: dt.date | str | None
    reason: str | None
    summary: str | None
    closed_at: dt.date | str | None
    completed_at: dt.date | str | None
    renews_contract_id: str | None
    budget_split: Any
    budget_adjustments: Any
    withdrawal_criteria: Any
    team: Any
    evaluations: Any
    concessions: Any
    trials: Any
    case_analysis: Any
    tender_sheet: Any


class ActivityChanges(TypedDict, total=False):
    """What a service that adds or edits a activity takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    opportunity_id: str | None
    customer_id: str | None
    lead_id: str | None
    type: str | None
    date: dt.date | str | None
    owner: str | None
    contact_ids: Any
    outcome: str | None
    note: str | None
    next_step: str | None
    next_due: dt.date | str | None
    signals: Any
    closing: str | None


class ContractChanges(TypedDict, total=False):
    """What a service that adds or edits a contract takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    opportunity_id: str | None
    customer_id: str | None
    number: str | None
    title: str | None
    owner: str | None
    amount: Decimal | int | str | None
    currency: str | None
    tax_rate: Decimal | int | str | None
    discount: Decimal | int | str | None
    lines: Any
    gifts: str | None
    status: str | None
    plan: Any
    warranty_months: int | str | None
    acceptance_criteria: str | None
    change_cost: str | None
    service_end: dt.date | str | None
    terms: Any
    version: int | str | None
    approvals: Any
    review: Any
    amendments: Any
    pending_amendment: Any
    handover: Any
    signed_on: dt.date | str | None
    delivered_on: dt.date | str | None
    initial_accepted_on: dt.date | str | None
    final_accepted_on: dt.date | str | None
    closed_on: dt.date | str | None
    terminated_on: dt.date | str | None
    reason: str | None
    cost_lines: Any
    recognised_revenue: Decimal | int | str | None


class ReceivableChanges(TypedDict, total=False):
    """What a service that adds or edits a payment milestone takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    contract_id: str | None
    customer_id: str | None
    seq: int | str | None
    kind: str | None
    share: str | None
    due_offset: str | None
    amount: Decimal | int | str | None
    currency: str | None
    trigger_on: dt.date | str | None
    due_date: dt.date | str | None
    paid: Decimal | int | str | None
    paid_on: dt.date | str | None
    written_off: Decimal | int | str | None
    written_off_on: dt.date | str | None
    written_off_by: str | None
    write_off_reason: str | None
    collection_notes: Any


class PaymentChanges(TypedDict, total=False):
    """What a service that adds or edits a payment takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    contract_id: str | None
    customer_id: str | None
    amount: Decimal | int | str | None
    currency: str | None
    date: dt.date | str | None
    ref: str | None
    allocations: Any
    note: str | None
    status: str | None
    receivable_id: str | None
    requested_by: str | None
    confirmed_by: str | None
    confirmed_on: dt.date | str | None


class InvoiceChanges(TypedDict, total=False):
    """What a service that adds or edits a invoice takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    contract_id: str | None
    customer_id: str | None
    receivable_id: str | None
    number: str | None
    amount: Decimal | int | str | None
    currency: str | None
    date: dt.date | str | None
    status: str | None
    requested_by: str | None
    approvals: Any


class AttachmentChanges(TypedDict, total=False):
    """What a service that adds or edits a attachment takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    contract_id: str | None
    kind: str | None
    name: str | None
    path: str | None
    sha256: str | None
    size: int | str | None
    attached_on: dt.date | str | None


class ExpenseChanges(TypedDict, total=False):
    """What a service that adds or edits a expense takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    opportunity_id: str | None
    customer_id: str | None
    type: str | None
    amount: Decimal | int | str | None
    currency: str | None
    date: dt.date | str | None
    stage: str | None
    owner: str | None
    receipt: Any
    note: str | None


class DeliveryChanges(TypedDict, total=False):
    """What a service that adds or edits a delivery takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    contract_id: str | None
    customer_id: str | None
    lines: Any
    status: str | None
    requested_by: str | None
    requested_on: dt.date | str | None
    approvals: Any
    shipped_on: dt.date | str | None
    confirmed_on: dt.date | str | None
    confirmation: Any
    note: str | None


class TargetChanges(TypedDict, total=False):
    """What a service that adds or edits a target takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    owner: str | None
    period: str | None
    amount: Decimal | int | str | None
    currency: str | None
    note: str | None
    customer_id: str | None
    product: str | None
    team: str | None
    responsible: str | None
    floor: Decimal | int | str | None
    stretch: Decimal | int | str | None


class ServiceChanges(TypedDict, total=False):
    """What a service that adds or edits a service record takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    customer_id: str | None
    contract_id: str | None
    type: str | None
    engineer: str | None
    date: dt.date | str | None
    hours: Decimal | int | str | None
    cost: Decimal | int | str | None
    currency: str | None
    voucher: str | None
    remote: bool | None
    note: str | None


class SurveyChanges(TypedDict, total=False):
    """What a service that adds or edits a satisfaction survey takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    service_id: str | None
    customer_id: str | None
    attitude: str | None
    skill: str | None
    arrival: str | None
    promises: str | None
    date: dt.date | str | None
    respondent: str | None
    surveyed_by: str | None
    note: str | None


class ComplaintChanges(TypedDict, total=False):
    """What a service that adds or edits a complaint takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    customer_id: str | None
    contract_id: str | None
    severity: str | None
    owner: str | None
    date: dt.date | str | None
    note: str | None
    reply: str | None
    status: str | None
    escalated_to: str | None
    escalated_on: dt.date | str | None
    replied_on: dt.date | str | None
    closed_on: dt.date | str | None


class VisitPlanChanges(TypedDict, total=False):
    """What a service that adds or edits a visit plan takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    owner: str | None
    period: str | None
    customer_id: str | None
    count: int | str | None
    note: str | None


class OutboxChanges(TypedDict, total=False):
    """What a service that adds or edits a event delivery takes: any stored
    field kam does not set itself, as the user gave it (checked there)."""

    hook: str | None
    plugin: str | None
    event_id: str | None
    args: Any
    status: str | None
    tries: int | str | None
    error: str | None
    next_at: str | None


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
    "Expense",
    "Delivery",
    "Target",
    "Service",
    "Survey",
    "Complaint",
    "VisitPlan",
    "Outbox",
    "Event",
    "CustomerChanges",
    "ContactChanges",
    "LeadChanges",
    "OpportunityChanges",
    "ActivityChanges",
    "ContractChanges",
    "ReceivableChanges",
    "PaymentChanges",
    "InvoiceChanges",
    "AttachmentChanges",
    "ExpenseChanges",
    "DeliveryChanges",
    "TargetChanges",
    "ServiceChanges",
    "SurveyChanges",
    "ComplaintChanges",
    "VisitPlanChanges",
    "OutboxChanges",
]
