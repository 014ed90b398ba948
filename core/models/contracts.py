"""The records of the collect half (回款) that users hand in: contracts (with their
payment plan), invoices and evidence attachments.

Stored fields are exactly those of ``kam.kinds`` (so every backend round-trips
them); a receivable's state and days overdue are computed for "today" by
:func:`kam.models.receivable_state.receivable_view`, never stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from kam.models.records import Record, _currency
from kam.models.states import ENDED, SIGNED, STATUSES, UNSIGNED  # noqa: F401 - re-exported
from kam.models.types import Date, Money, Percent, Text, _enum
from pydantic import BaseModel, ConfigDict, Field, field_validator

ContractStatus = Annotated[str, _enum("contract_status")]
MilestoneKind = Annotated[str, _enum("milestone_kind")]
AttachmentKind = Annotated[str, _enum("attachment_kind")]
InvoiceStatus = Annotated[str | None, _enum("invoice_status")]


class PlanItem(BaseModel):
    """One milestone of the payment plan spec (``KIND:SHARE:OFFSET``).

    ``share`` is ``"30%"`` or an amount (``"100000.00"``); ``offset`` is ``+10d``,
    ``+12m``, an ISO date (``fixed_date``) or empty (warranty: the warranty months).
    """

    model_config = ConfigDict(extra="forbid")

    kind: MilestoneKind
    share: str
    offset: str = ""


class Contract(Record):
    """合同: what was signed, how it is paid, delivered, accepted and amended."""

    opportunity_id: str
    customer_id: str
    number: str = Field(min_length=1, max_length=100)
    title: Text = None
    owner: Text = None
    amount: Money
    currency: str = "CNY"
    tax_rate: Percent = None
    discount: Percent = None
    lines: list[dict[str, Any]] = Field(default_factory=list)
    gifts: Text = None
    status: ContractStatus = "draft"
    plan: list[dict[str, Any]] = Field(default_factory=list)
    warranty_months: int | None = Field(default=None, ge=0, le=240)
    acceptance_criteria: Text = None
    change_cost: Text = None
    service_end: Date = None
    terms: dict[str, Any] = Field(default_factory=dict)
    version: int = 0
    approvals: list[dict[str, Any]] = Field(default_factory=list)
    review: dict[str, Any] = Field(default_factory=dict)
    amendments: list[dict[str, Any]] = Field(default_factory=list)
    pending_amendment: dict[str, Any] | None = None
    handover: dict[str, Any] = Field(default_factory=dict)
    signed_on: dt.date | None = None
    delivered_on: dt.date | None = None
    initial_accepted_on: dt.date | None = None
    final_accepted_on: dt.date | None = None
    closed_on: dt.date | None = None
    terminated_on: dt.date | None = None
    reason: Text = None
    cost_lines: list[dict[str, Any]] = Field(default_factory=list)
    recognised_revenue: Money = None
    fields: dict[str, Any] = Field(default_factory=dict)

    _currency = field_validator("currency", mode="before")(_currency)

    @field_validator("amount")
    @classmethod
    def _positive(cls, v: Decimal | None) -> Decimal:
        if v is None or v <= 0:
            raise ValueError("the contract amount must be above 0")
        return v

    @field_validator("plan", mode="before")
    @classmethod
    def _plan(cls, v: Any) -> list[dict[str, Any]]:
        return [PlanItem.model_validate(p).model_dump() for p in v or []]


class Invoice(BaseModel):
    """开票: an invoice issued against a contract, optionally for one milestone."""

    model_config = ConfigDict(extra="forbid")

    id: str
    contract_id: str
    customer_id: str
    receivable_id: Text = None
    #: none while the invoice is only requested (开票申请单)
    number: str | None = Field(default=None, min_length=1, max_length=100)
    amount: Money
    currency: str
    date: dt.date
    created_at: str | None = None
    status: InvoiceStatus = None
    requested_by: Text = None
    approvals: list[dict[str, Any]] = Field(default_factory=list)


class Attachment(BaseModel):
    """证据链: a document kept by path and SHA-256, so later changes can be shown."""

    model_config = ConfigDict(extra="forbid")

    id: str
    contract_id: str
    kind: AttachmentKind = "other"
    name: str
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    attached_on: dt.date
    created_at: str | None = None
