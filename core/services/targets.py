"""Sales targets (目标分解): an amount per owner and period, in one currency.

A period is a year (``2026``), a quarter (``2026-Q1``) or a month (``2026-03``).
Setting a target again for the same owner, period and currency changes it (the
event keeps the old amount), so targets can be adjusted without losing history.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kam import values
from kam.errors import InputError
from kam.services.common import atomic
from kam.workspace import Workspace

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


@atomic
def set_target(ws: Workspace, owner: str, period: str, amount: str,
               currency: str | None = None, note: str | None = None) -> dict[str, Any]:
    who = (owner or "").strip()
    if not who:
        raise InputError("OWNER: a target needs an owner")
    per = parse_period(period)
    money = values.money(amount, "AMOUNT")
    cur = (currency or ws.config.get("currency") or "CNY").strip().upper()
    if not (len(cur) == 3 and cur.isalpha() and cur.isascii()):
        raise InputError(f"--currency: {currency!r} is not a 3-letter currency code")
    existing = next(ws.storage.find("target", {"owner": who, "period": per, "currency": cur},
                                    limit=1), None)
    now = ws.now()
    if existing is not None:
        changes = {"amount": money, "updated_at": now}
        if note is not None:
            changes["note"] = note
        payload = {"owner": who, "period": per, "currency": cur,
                   "amount": values.fmt_money(money),
                   "was": values.fmt_money(existing.get("amount"))}
        with ws.mutation("target.changed", existing["id"], payload):
            ws.storage.update("target", existing["id"], changes)
        return {**existing, **changes}
    record = {"owner": who, "period": per, "amount": money, "currency": cur, "note": note,
              "created_at": now, "updated_at": now}
    with ws.mutation("target.set") as m:
        record["id"] = ws.storage.next_id("target")
        ws.storage.insert("target", record)
        m.record_id = record["id"]
        m.payload = {"owner": who, "period": per, "currency": cur,
                     "amount": values.fmt_money(money)}
    return record


def list_targets(ws: Workspace, owner: str | None = None,
                 period: str | None = None) -> Iterator[dict[str, Any]]:
    where: dict[str, Any] = {}
    if owner:
        where["owner"] = owner.strip()
    if period:
        where["period"] = parse_period(period)
    return ws.storage.find("target", where, order_by=("period", "owner", "currency"))
