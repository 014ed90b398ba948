"""The record models of after-sales service (客户服务): service records (服务记录),
satisfaction surveys (满意度调查) and complaints (投诉)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from kam.models.records import Record, _currency
from kam.models.types import Date, Money, Text, _enum
from pydantic import BaseModel, ConfigDict, Field, field_validator

ServiceType = Annotated[str, _enum("service_type")]
Satisfaction = Annotated[str, _enum("satisfaction")]
ComplaintSeverity = Annotated[str, _enum("complaint_severity")]
ComplaintStatus = Annotated[str, _enum("complaint_status")]


class Service(Record):
    """服务记录: one service call — 有偿 A, 合同 B, 免费 C or 内务 D."""

    customer_id: str
    contract_id: Text = None
    type: ServiceType
    engineer: Text = None
    date: dt.date
    hours: Decimal | None = Field(default=None, ge=0, lt=100000)
    cost: Money = None
    currency: str = "CNY"
    voucher: Text = None
    remote: bool = False
    note: Text = None

    _currency = field_validator("currency", mode="before")(_currency)


class Survey(BaseModel):
    """满意度调查: the customer's view of one service, four dimensions at four levels."""

    model_config = ConfigDict(extra="forbid")

    id: str
    service_id: str
    customer_id: str
    attitude: Satisfaction
    skill: Satisfaction
    arrival: Satisfaction
    promises: Satisfaction
    date: dt.date
    respondent: Text = None
    surveyed_by: Text = None
    note: Text = None
    created_at: str | None = None


class Complaint(Record):
    """投诉: what a customer complained of, its reply, escalation and closing."""

    customer_id: str
    contract_id: Text = None
    severity: ComplaintSeverity
    owner: Text = None
    date: dt.date
    note: str = Field(min_length=1, max_length=4000)
    reply: Text = None
    status: ComplaintStatus = "open"
    escalated_to: Text = None
    escalated_on: Date = None
    replied_on: Date = None
    closed_on: Date = None

    @field_validator("note", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return str(v).strip() if v is not None else v
