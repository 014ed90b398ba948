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

from kam import target_plan as plan
from kam import values
from kam.errors import InputError, RefusedError
from kam.periods import parse_period
from kam.services.common import atomic, edit_payload
from kam.workspace import Workspace


def _check_splits(family: list[dict[str, Any]], draft: dict[str, Any]) -> None:
    """Refuse when the parts of a target, in any one dimension (period, owner, customer,
    product), would add up to more than it: checked where ``draft`` is the target or one
    of the parts, so lowering a target below its parts is refused as raising a part is."""
    from kam.values import fmt_money

    by_id = {t["id"]: t for t in family}
    for parent_id, groups in sorted(plan.splits(family).items()):
        outer = by_id[parent_id]
        for dim, parts in sorted(groups.items()):
            total = plan.allocated(parts)
            if outer is not draft and not any(p is draft for p in parts):
                continue
            if total <= outer["amount"]:
                continue
            who = outer["owner"] + "".join(
                f" {x}" for x in (outer.get("customer_id"), outer.get("product")) if x)
            names = ", ".join(sorted(_name(p, dim) for p in parts))
            rule = {"period": "a month rolls up into its quarter and a quarter into its year",
                    "owner": "the members' targets are parts of their team's",
                    "customer": "customer targets are parts of their owner's",
                    "product": "product-line targets are parts of their owner's"}[dim]
            raise RefusedError(
                f"target {outer['period']} for {who} is {fmt_money(outer['amount'])} "
                f"{outer['currency']} but its parts ({names}) add up to {fmt_money(total)}: "
                f"{rule}, so the parts must fit; raise {outer['period']} or lower its parts")


def _name(part: dict[str, Any], dim: str) -> str:
    """A part as the refusal names it: its period, and what else tells it apart."""
    extra = {"owner": part["owner"], "customer": part.get("customer_id"),
             "product": part.get("product")}.get(dim)
    return f"{extra} {part['period']}" if extra else part["period"]


def _money_opt(text: str | None, where: str) -> Decimal | None:
    return None if text is None or str(text).strip() == "" else values.money(text, where)


@atomic
def set_target(ws: Workspace, owner: str, period: str, amount: str,
               currency: str | None = None, note: str | None = None, *,
               customer: str | None = None, product: str | None = None,
               team: str | None = None, responsible: str | None = None,
               floor: str | None = None, stretch: str | None = None) -> dict[str, Any]:
    """Set (or replace) the target of one owner, period, currency, customer and product
    line: 保底 floor ≤ target ≤ stretch; parts never add up to more than what they split.
    A target above the owner's won amount in the same period last year by more than
    ``targets.fast_ox_factor`` (default 1.5) is set with a 鞭打快牛 warning."""
    who = (owner or "").strip()
    if not who:
        raise InputError("OWNER: a target needs an owner")
    per = parse_period(period)
    money = values.money(amount, "AMOUNT")
    low, high = _money_opt(floor, "--floor"), _money_opt(stretch, "--stretch")
    cur = (currency or ws.config.get("currency") or "CNY").strip().upper()
    if not (len(cur) == 3 and cur.isalpha() and cur.isascii()):
        raise InputError(f"--currency: {currency!r} is not a 3-letter currency code")
    customer_id = ws.get("customer", customer)["id"] if customer else None
    line = (product or "").strip() or None
    squad = (team or "").strip() or None
    if squad == who:
        raise InputError(f"--team: {squad!r} is the owner itself; a team's own target has "
                         "no --team")
    family = list(ws.storage.find("target", {"currency": cur}, order_by=("id",)))
    key = (who, customer_id, line, cur)
    existing = next((t for t in family
                     if plan.scope_of(t) == key and t["period"] == per), None)
    fields: dict[str, Any] = {"amount": money}
    for name, value in (("note", note), ("team", squad), ("floor", low), ("stretch", high),
                        ("responsible", (responsible or "").strip() or None)):
        if value is not None:
            fields[name] = value
    draft = {**(existing or {"id": "", "owner": who, "period": per, "currency": cur,
                             "customer_id": customer_id, "product": line}), **fields}
    for name, bound in (("floor", draft.get("floor")), ("stretch", draft.get("stretch"))):
        if bound is not None and ((name == "floor" and bound > money)
                                  or (name == "stretch" and bound < money)):
            raise InputError(f"--{name}: {values.fmt_money(bound)} does not fit the target "
                             f"{values.fmt_money(money)} (保底 floor ≤ target ≤ stretch)")
    trial = [t for t in family if existing is None or t["id"] != existing["id"]] + [draft]
    _check_splits(trial, draft)
    _warn_fast_ox(ws, draft, trial)
    now = ws.now()
    if existing is not None:
        changes = {**fields, "updated_at": now}
        payload = {"owner": who, "period": per, "currency": cur,
                   "amount": values.fmt_money(money),
                   "was": values.fmt_money(existing.get("amount")),
                   **edit_payload(existing, changes)}
        with ws.mutation("target.changed", existing["id"], payload,
                         refs=[customer_id] if customer_id else None):
            ws.storage.update("target", existing["id"], changes)
        return {**existing, **changes}
    record: dict[str, Any] = {"owner": who, "period": per, "amount": money, "currency": cur,
                              "note": note, "customer_id": customer_id, "product": line,
                              "team": squad, "responsible": fields.get("responsible") or who,
                              "floor": low, "stretch": high, "created_at": now,
                              "updated_at": now}
    with ws.mutation("target.set", refs=[customer_id] if customer_id else None) as m:
        record["id"] = ws.storage.next_id("target")
        ws.storage.insert("target", record)
        m.record_id = record["id"]
        m.payload = {"owner": who, "period": per, "currency": cur,
                     "amount": values.fmt_money(money),
                     **{k: v for k, v in (("customer_id", customer_id), ("product", line),
                                          ("team", squad)) if v}}
    return record


def fast_ox_factor(ws: Workspace) -> Decimal:
    return Decimal(str((ws.config.get("targets") or {}).get("fast_ox_factor", 1.5)))


def _warn_fast_ox(ws: Workspace, target: dict[str, Any], family: list[dict[str, Any]]) -> None:
    """鞭打快牛: warn (the target is still set) when it asks more than the factor × what
    its owners won in the same period last year."""
    owners = plan.members(target, family)
    won = ws.storage.find("opportunity", {"status": "won", "owner__in": sorted(owners),
                                          "currency": target["currency"]}, order_by=("id",))
    before = plan.last_year(target["period"])
    history = plan.won_in(target, owners, won, before)
    factor = fast_ox_factor(ws)
    if plan.fast_ox(target["amount"], history, factor):
        ws.warnings.append(
            f"鞭打快牛 fast ox: target {target['period']} for {target['owner']} is "
            f"{values.fmt_money(target['amount'])} {target['currency']}, more than "
            f"{factor:g} × the {values.fmt_money(history)} won in {before}")


def list_targets(ws: Workspace, owner: str | None = None,
                 period: str | None = None) -> Iterator[dict[str, Any]]:
    where: dict[str, Any] = {}
    if owner:
        where["owner"] = owner.strip()
    if period:
        where["period"] = parse_period(period)
    return ws.storage.find("target", where, order_by=("period", "owner", "currency"))
