"""The activity model (拜访/跟进), alone: ``kam activity log`` builds only it, not
every record model (pydantic builds each model's validator at import, ~10-20 ms a
model)."""

from __future__ import annotations

import datetime as dt

from kam.models.types import ActivityType, BuyingSignal, ClosingMethod, Date, Outcome, Text
from pydantic import BaseModel, ConfigDict, Field, field_validator


class Activity(BaseModel):
    """拜访/跟进: a sales call and what it won."""

    model_config = ConfigDict(extra="forbid")

    id: str
    opportunity_id: Text = None
    customer_id: str
    lead_id: Text = None
    type: ActivityType
    date: dt.date
    owner: Text = None
    contact_ids: list[str] = Field(default_factory=list)
    outcome: Outcome = None
    note: Text = None
    next_step: Text = None
    next_due: Date = None
    signals: list[BuyingSignal] = Field(default_factory=list)
    closing: ClosingMethod = None
    created_at: str | None = None

    @field_validator("signals")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))
