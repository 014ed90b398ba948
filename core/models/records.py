"""The record models of the acquire-and-win half: customers to activities (the
activity's own model is in :mod:`kam.models.activity`, so logging a call builds only
that one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kam.models.activity import Activity
from kam.models.types import (
    Coach,
    Date,
    ForecastCategory,
    Grade,
    Importance,
    LeadStatus,
    Level,
    Matrix,
    Money,
    OppStatus,
    Percent,
    PurchaseType,
    Relationship,
    RelationshipTier,
    Role,
    Stance,
    Style,
    Text,
)
from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["Activity", "Contact", "Customer", "Lead", "Opportunity", "Record"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: str
    created_at: str | None = None
    updated_at: str | None = None


def _currency(v: Any) -> str:
    text = str(v or "").strip().upper()
    if not (len(text) == 3 and text.isalpha() and text.isascii()):
        raise ValueError(f"{v!r} is not a 3-letter currency code")
    return text


class Customer(Record):
    """客户: a key account."""

    name: str = Field(min_length=1, max_length=200)
    grade: Grade = None
    matrix: Matrix = None
    purchase_type: PurchaseType = None
    relationship: Relationship = None
    industry: Text = None
    region: Text = None
    scope: Text = None
    intel: dict[str, Any] = Field(default_factory=dict)
    potential: Money = None
    potential_drivers: list[dict[str, Any]] = Field(default_factory=list)
    currency: str = "CNY"
    owner: Text = None
    flags: list[dict[str, Any]] = Field(default_factory=list)
    fields: dict[str, Any] = Field(default_factory=dict)
    matrix_set_by: Text = None

    _currency = field_validator("currency", mode="before")(_currency)

    @field_validator("name", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return str(v).strip() if v is not None else v


class Contact(Record):
    """联系人: a person in the customer's decision chain (决策链)."""

    customer_id: str
    name: str = Field(min_length=1, max_length=200)
    title: Text = None
    roles: list[Role] = Field(default_factory=list)
    coach: Coach = "none"
    stance: Stance = None
    style: Style = None
    level: Level = None
    tier: RelationshipTier = None
    phone: Text = None
    email: Text = None
    note: Text = None
    fields: dict[str, Any] = Field(default_factory=dict)

    @field_validator("roles")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))


class Lead(Record):
    """线索: a possible need at a customer, qualified with BANT."""

    customer_id: str
    title: str = Field(min_length=1, max_length=300)
    source: Text = None
    scenario: PurchaseType = None
    status: LeadStatus = "open"
    budget_confirmed: bool = False
    budget_amount: Money = None
    currency: str = "CNY"
    authority_contact_id: Text = None
    need: Text = None
    timeline: Date = None
    spin: dict[str, str] = Field(default_factory=dict)
    follow_ups: list[dict[str, Any]] = Field(default_factory=list)
    opportunity_id: Text = None
    drop_reason: Text = None
    owner: Text = None
    fields: dict[str, Any] = Field(default_factory=dict)

    _currency = field_validator("currency", mode="before")(_currency)


class Opportunity(Record):
    """项目/商机: a deal moving through the stage model."""

    customer_id: str
    lead_id: Text = None
    number: Text = None
    title: str = Field(min_length=1, max_length=300)
    owner: Text = None
    amount: Money = None
    currency: str = "CNY"
    margin: Percent = None
    expense_budget: Money = None
    category: Text = None
    close_date: Date = None
    importance: Importance = None
    probability: int = Field(default=10, ge=0, le=100)
    forecast_category: ForecastCategory = "pipeline"
    pipeline: str = "six_stage"
    stage: str
    status: OppStatus = "open"
    forced: bool = False
    customer_owner: Text = None
    budget_confirmed: bool = False
    budget_amount: Money = None
    authority_contact_id: Text = None
    need: Text = None
    timeline: Date = None
    competition: Text = None
    decision_process: Text = None
    checklist: list[str] = Field(default_factory=list)
    approvals: list[dict[str, Any]] = Field(default_factory=list)
    bids: list[dict[str, Any]] = Field(default_factory=list)
    stage_history: list[dict[str, Any]] = Field(default_factory=list)
    stage_entered_at: dt.date | None = None
    reason: Text = None
    summary: Text = None
    closed_at: dt.date | None = None
    completed_at: dt.date | None = None
    renews_contract_id: Text = None
    budget_split: list[dict[str, Any]] = Field(default_factory=list)
    budget_adjustments: list[dict[str, Any]] = Field(default_factory=list)
    withdrawal_criteria: list[dict[str, Any]] = Field(default_factory=list)
    team: list[dict[str, Any]] = Field(default_factory=list)
    evaluations: list[dict[str, Any]] = Field(default_factory=list)
    concessions: list[dict[str, Any]] = Field(default_factory=list)
    trials: list[dict[str, Any]] = Field(default_factory=list)
    case_analysis: dict[str, Any] = Field(default_factory=dict)
    tender_sheet: dict[str, Any] | None = None
    fields: dict[str, Any] = Field(default_factory=dict)

    _currency = field_validator("currency", mode="before")(_currency)
