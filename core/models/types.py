"""Annotated field types shared by the models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from kam import values, vocab
from kam.errors import KamError
from pydantic import BeforeValidator


def _enum(name: str) -> BeforeValidator:
    def parse(v: Any) -> Any:
        if v is None or v == "":
            return None
        try:
            return vocab.parse(name, v)
        except KamError as exc:
            raise ValueError(str(exc)) from None

    parse.vocab = name  # type: ignore[attr-defined]  # checked against kam.kinds by a test
    return BeforeValidator(parse)


def _money(v: Any) -> Any:
    if v is None or v == "":
        return None
    try:
        return values.money(v, "amount")
    except KamError as exc:
        raise ValueError(str(exc).split(": ", 1)[-1]) from None


def _percent(v: Any) -> Any:
    if v is None or v == "":
        return None
    try:
        return values.percent(v, "percent", lo=-100, hi=100)
    except KamError as exc:
        raise ValueError(str(exc).split(": ", 1)[-1]) from None


def _date(v: Any) -> Any:
    if v is None or v == "":
        return None
    try:
        return values.date(v)
    except KamError as exc:
        raise ValueError(str(exc).split(": ", 1)[-1]) from None


def _text(v: Any) -> Any:
    if v is None:
        return None
    from kam.text import FORBIDDEN, describe

    text = str(v).strip()
    found = FORBIDDEN.search(text)
    if found is not None:
        raise ValueError(f"contains the control character {describe(found.group())}")
    return text or None


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
