"""Annotated field types shared by the models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from kam.models import fields
from pydantic import BeforeValidator


def _enum(name: str) -> BeforeValidator:
    def parse(v: Any) -> Any:
        return fields.enum(name, v)

    parse.vocab = name  # type: ignore[attr-defined]  # checked against kam.kinds by a test
    return BeforeValidator(parse)


_money, _percent, _date, _text = fields.money, fields.percent, fields.date, fields.text


Money = Annotated[Decimal | None, BeforeValidator(_money)]
Percent = Annotated[Decimal | None, BeforeValidator(_percent)]
Date = Annotated[dt.date | None, BeforeValidator(_date)]
Text = Annotated[str | None, BeforeValidator(_text)]
Grade = Annotated[str | None, _enum("grade")]
Matrix = Annotated[str | None, _enum("matrix")]
PurchaseType = Annotated[str | None, _enum("purchase_type")]
Relationship = Annotated[str | None, _enum("relationship")]
Role = Annotated[str, _enum("role")]
Coach = Annotated[str | None, _enum("coach")]
Stance = Annotated[str | None, _enum("stance")]
Style = Annotated[str | None, _enum("style")]
Level = Annotated[str | None, _enum("level")]
RelationshipTier = Annotated[str | None, _enum("relationship_tier")]
Importance = Annotated[str | None, _enum("importance")]
ForecastCategory = Annotated[str | None, _enum("forecast_category")]
OppStatus = Annotated[str, _enum("opp_status")]
LeadStatus = Annotated[str, _enum("lead_status")]
ActivityType = Annotated[str, _enum("activity_type")]
Outcome = Annotated[str | None, _enum("outcome")]
BuyingSignal = Annotated[str, _enum("buying_signal")]
ClosingMethod = Annotated[str | None, _enum("closing_method")]
