"""Sales targets (目标分解): an amount per owner and period, in one currency.

A period is a year (``2026``), a quarter (``2026-Q1``) or a month (``2026-03``).
Setting a target again for the same owner, period and currency replaces it (the
``target.changed`` event keeps the old amount), so targets can be adjusted without
losing history.

Targets of one owner and currency at different granularities form a roll-up: a
month is a part of its quarter, a quarter of its year (``2026-11`` ⊂ ``2026-Q4`` ⊂
``2026``). A part never counts twice: reports add up only the outermost targets.
Setting a target is refused (exit 1) when the parts would add up to more than the
target they roll up into.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.periods import contains, parse_period
from kam.services.common import atomic, edit_payload
from kam.workspace import Workspace


def _check_roll_up(plan: dict[str, Any], period: str, who: str, cur: str) -> None:
    """Refuse when the parts inside a target would add up to more than it: checked for
    the period being set and every period that contains it."""
    from kam.values import fmt_money

    for outer, amount in sorted(plan.items()):
        if outer != period and not contains(outer, period):
            continue
        inside = [p for p in plan if contains(outer, p)]
        parts = sorted(p for p in inside if not any(contains(q, p) for q in inside))
        total = sum((plan[p] for p in parts), Decimal("0.00"))
        if parts and total > amount:
            raise RefusedError(
                f"target {outer} for {who} is {fmt_money(amount)} {cur} but its parts "
                f"({', '.join(parts)}) add up to {fmt_money(total)}: a month rolls up into "
                "its quarter and a quarter into its year, so the parts must fit; raise "
                f"{outer} or lower its parts")


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
    mine = list(ws.storage.find("target", {"owner": who, "currency": cur}))
    existing = next((t for t in mine if t["period"] == per), None)
    plan = {t["period"]: t["amount"] for t in mine}
    plan[per] = money
    _check_roll_up(plan, per, who, cur)
    now = ws.now()
    if existing is not None:
        changes = {"amount": money, "updated_at": now}
        if note is not None:
            changes["note"] = note
        payload = {"owner": who, "period": per, "currency": cur,
                   "amount": values.fmt_money(money),
                   "was": values.fmt_money(existing.get("amount")),
                   **edit_payload(existing, changes)}
        with ws.mutation("target.changed", existing["id"], payload):
            ws.storage.update("target", existing["id"], changes)
        return {**existing, **changes}
    record: dict[str, Any] = {"owner": who, "period": per, "amount": money, "currency": cur,
                              "note": note, "created_at": now, "updated_at": now}
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
