"""Parsing money, percentages and dates from user text — exact, never float.

Every function raises :class:`kam.errors.InputError` naming the field, so the CLI
prints one clear line and exits 2.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kam.errors import InputError

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000000000")  # 10^15: beyond any contract, inside int64 cents


def money(value: object, field: str = "amount", *, allow_negative: bool = False) -> Decimal:
    """A money amount with two places (``"1,200.5"`` → ``Decimal("1200.50")``).

    More than two decimal places that matter (``100.005``) is refused, never rounded;
    ``100.500`` is 100.50."""
    if isinstance(value, float):
        raise InputError(f"{field}: money must not be a float")
    if isinstance(value, Decimal):
        d = value
    else:
        text = str(value).strip().replace(",", "").replace("_", "")
        if text.endswith(("元", "¥")):
            text = text[:-1]
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise InputError(f"{field}: {value!r} is not an amount") from None
    if not d.is_finite():
        raise InputError(f"{field}: {value!r} is not an amount")
    if d < 0 and not allow_negative:
        raise InputError(f"{field}: must not be negative ({value})")
    if abs(d) >= MAX_AMOUNT:
        raise InputError(f"{field}: {value} is too large")
    if d != d.quantize(CENT, rounding=ROUND_HALF_UP):
        # never round what a user typed: 100.005 is neither 100.00 nor 100.01
        raise InputError(f"{field}: {value} has more than two decimal places")
    d = d.quantize(CENT, rounding=ROUND_HALF_UP)
    return d if d else abs(d)  # never "-0.00"


def percent(value: object, field: str = "percent", *, lo: int = 0, hi: int = 100) -> Decimal:
    """A percentage like ``25``, ``"25%"`` or ``"12.5"``, within ``lo..hi``."""
    text = str(value).strip().rstrip("%")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{field}: {value!r} is not a percentage") from None
    if not d.is_finite() or d < lo or d > hi:
        raise InputError(f"{field}: {value!r} must be between {lo} and {hi}")
    d = d.normalize()  # "12.50" → 12.5; keep integers plain: 10, never 1E+1
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date(value: object, field: str = "date") -> dt.date:
    """An ISO 8601 date (``2026-11-22``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not _ISO.match(text):
        raise InputError(f"{field}: {value!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{field}: {value!r} is not a valid date") from None


def fmt_money(d: Decimal | None) -> str:
    return "" if d is None else f"{d:.2f}"
