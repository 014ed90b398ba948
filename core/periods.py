"""Target periods: a year (``2026``), a quarter (``2026-Q1``) or a month (``2026-03``),
and how they nest (``2026-11`` ⊂ ``2026-Q4`` ⊂ ``2026``).

Pure functions, shared by the targets service (setting a target) and the reports
(targets, forecast).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from kam.errors import InputError

_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|0[1-9]|1[0-2]))?$")


def parse_period(text: str) -> str:
    """``2026``, ``2026-Q1`` (or ``2026q1``) or ``2026-03``; anything else is bad input."""
    cleaned = str(text).strip().upper().replace("/", "-")
    if re.match(r"^\d{4}Q[1-4]$", cleaned):
        cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
    if not _PERIOD.match(cleaned):
        raise InputError(f"PERIOD: {text!r} must be a year (2026), a quarter (2026-Q1) "
                         "or a month (2026-03)")
    return cleaned


def months_of(period: str) -> list[str]:
    """The months a (parsed) period covers (``2026-Q1`` → 2026-01, 2026-02, 2026-03)."""
    year, _, part = period.partition("-")
    if not part:
        return [f"{year}-{m:02d}" for m in range(1, 13)]
    if part.startswith("Q"):
        q = int(part[1])
        return [f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
    return [period]


def contains(outer: str, inner: str) -> bool:
    """``inner`` is a finer period inside ``outer`` (``2026-Q4`` contains ``2026-11``)."""
    return outer != inner and set(months_of(inner)) <= set(months_of(outer))


def parents(targets: Sequence[dict[str, Any]]) -> dict[str, str | None]:
    """Each target's id → the id of the smallest target of the same owner and currency
    whose period contains it (the target it rolls up into), or None at the top."""
    out: dict[str, str | None] = {}
    for t in targets:
        outer = [o for o in targets
                 if o["owner"] == t["owner"] and o["currency"] == t["currency"]
                 and contains(o["period"], t["period"])]
        outer.sort(key=lambda o: len(months_of(o["period"])))
        out[t["id"]] = outer[0]["id"] if outer else None
    return out
