"""How targets nest (目标分解): by period, by customer and product line, by team.

A target's *scope* is its owner, customer, product line and currency. One target is
a part of another, and never counts twice beside it, when

- **period**: same scope, a finer period inside (``2026-11`` ⊂ ``2026-Q4`` ⊂ ``2026``);
- **customer / product**: the owner's target split to a customer or a product line
  (a target with both is a part of that customer's target);
- **owner**: an owner's target carrying ``team`` is a part of the team's target
  (a team is an owner name whose targets the members' targets name as their team).

Each target has one parent: the smallest target of its own scope whose period holds
it, else the smallest target one scope up (customer+product → customer → owner →
team) whose period holds or equals it. The parts of a parent are checked per
dimension (period, owner, customer, product): each group must add up to no more
than the parent. Pure functions, shared by the targets service and the reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from kam.periods import contains, months_of

Scope = tuple[str, str | None, str | None, str]
DIMENSIONS = ("period", "owner", "customer", "product")


def scope_of(t: dict[str, Any]) -> Scope:
    return (t["owner"], t.get("customer_id") or None, t.get("product") or None,
            t["currency"])


def team_of(owner: str, family: Iterable[dict[str, Any]]) -> str | None:
    """The team an owner's targets name (the first one that names any)."""
    return next((t["team"] for t in family if t["owner"] == owner and t.get("team")), None)


class Family:
    """A family of targets indexed once by scope, owner's team and team's members, so
    finding every target's parent is linear (800 targets on a big team: each one looked
    among all of them made the targets report quadratic). Same answers as scanning the
    list: candidates keep the family's order, an owner's team is the first one named."""

    def __init__(self, family: Sequence[dict[str, Any]]) -> None:
        self.family = family
        self.by_scope: dict[Scope, list[dict[str, Any]]] = {}
        self.team: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        for t in family:
            self.by_scope.setdefault(scope_of(t), []).append(t)
            if t.get("team"):
                self.team.setdefault(t["owner"], t["team"])
                self.members.setdefault(t["team"], set()).add(t["owner"])

    def up(self, scope: Scope) -> Scope | None:
        """The scope one level up (customer+product → customer → owner → team)."""
        owner, customer, product, cur = scope
        if customer and product:
            return (owner, customer, None, cur)
        if customer or product:
            return (owner, None, None, cur)
        team = self.team.get(owner)
        return (team, None, None, cur) if team and team != owner else None

    def parent_of(self, t: dict[str, Any]) -> dict[str, Any] | None:
        """:func:`parent_of` in this family."""
        mine = scope_of(t)
        same = [o for o in self.by_scope.get(mine, ())
                if contains(o["period"], t["period"])]
        if same:
            return min(same, key=lambda o: len(months_of(o["period"])))
        up = self.up(mine)
        seen: set[Scope] = set()
        while up is not None and up not in seen:
            seen.add(up)
            cands = [o for o in self.by_scope.get(up, ())
                     if _holds(o["period"], t["period"])]
            if cands:
                return min(cands, key=lambda o: len(months_of(o["period"])))
            up = self.up(up)
        return None

    def members_of(self, target: dict[str, Any]) -> set[str]:
        """:func:`members` in this family."""
        return {target["owner"]} | self.members.get(target["owner"], set())


def _holds(outer: str, inner: str) -> bool:
    return outer == inner or contains(outer, inner)


def parent_of(t: dict[str, Any], family: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The target ``t`` is a part of, or None at the top."""
    return Family(family).parent_of(t)


def parents(family: Sequence[dict[str, Any]]) -> dict[str, str | None]:
    """Each target's id → the id of the target it is a part of (None at the top)."""
    index = Family(family)
    out: dict[str, str | None] = {}
    for t in family:
        p = index.parent_of(t)
        out[t["id"]] = p["id"] if p else None
    return out


def dimension(child: dict[str, Any], parent: dict[str, Any]) -> str:
    """How ``child`` splits ``parent``: by period, owner, customer or product."""
    if child["owner"] != parent["owner"]:
        return "owner"
    if (child.get("customer_id") or None) != (parent.get("customer_id") or None):
        return "customer"
    if (child.get("product") or None) != (parent.get("product") or None):
        return "product"
    return "period"


def splits(family: Sequence[dict[str, Any]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Each parent's id → its parts per dimension."""
    by_id = {t["id"]: t for t in family}
    index = Family(family)
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for t in family:
        p = index.parent_of(t)
        if p is not None:
            out.setdefault(p["id"], {}).setdefault(dimension(t, by_id[p["id"]]), []).append(t)
    return out


def allocated(parts: Iterable[dict[str, Any]]) -> Decimal:
    return sum((p["amount"] for p in parts), Decimal("0.00"))


def members(target: dict[str, Any], family: Iterable[dict[str, Any]]) -> set[str]:
    """Whose won deals count for a target: its owner, and for a team's target the
    owners whose targets name the team."""
    return {target["owner"]} | {t["owner"] for t in family if t.get("team") == target["owner"]}


def matches(opp: dict[str, Any], target: dict[str, Any], owners: set[str]) -> bool:
    """A deal counts for a target: one of its owners, its currency, and its customer
    and product line (the deal's 类别 ``category``) when the target names them."""
    return ((opp.get("owner") or "") in owners and opp.get("currency") == target["currency"]
            and (not target.get("customer_id") or opp.get("customer_id") == target["customer_id"])
            and (not target.get("product") or opp.get("category") == target["product"]))


def last_year(period: str) -> str:
    """The same period one year earlier (``2026-Q4`` → ``2025-Q4``)."""
    return f"{int(period[:4]) - 1}{period[4:]}"


def won_in(target: dict[str, Any], owners: set[str], won: Iterable[dict[str, Any]],
           period: str) -> Decimal:
    """What the won deals add up to for a target in ``period``, each deal in the month
    of its business date (won on, else its close date)."""
    months = set(months_of(period))
    total = Decimal("0.00")
    for opp in won:
        closed = opp.get("closed_at") or opp.get("close_date")
        if closed is not None and str(closed)[:7] in months and matches(opp, target, owners):
            total += opp.get("amount") or Decimal("0.00")
    return total


#: the deal fields a target's numbers read
DEAL_FIELDS = ("id", "owner", "currency", "customer_id", "category", "amount", "closed_at",
               "close_date", "pipeline", "stage")


class DealIndex:
    """Deals by (owner, currency, month of their business date): a target reads only the
    deals of its owners, currency and months instead of every deal (800 targets × 50k
    won deals on a big team). :func:`won_in` over the plain list is the reference."""

    def __init__(self, deals: Iterable[dict[str, Any]], *, won: bool = True) -> None:
        self.won = won
        self.buckets: dict[tuple[str, Any, str], list[dict[str, Any]]] = {}
        for opp in deals:
            day = (opp.get("closed_at") or opp.get("close_date")) if won \
                else opp.get("close_date")
            if day is None:
                continue
            key = (opp.get("owner") or "", opp.get("currency"), str(day)[:7])
            self.buckets.setdefault(key, []).append(opp)

    @classmethod
    def from_sums(cls, sums: Iterable[tuple[Any, ...]]) -> DealIndex:
        """The index of open deals summed per (owner, currency, month, customer, product
        line, pipeline, stage) (kam.storage.DealMonthSums): each group stands in for its
        deals, so what a target adds up per stage is the same."""
        index = cls((), won=False)
        for owner, cur, month, cu, cat, pipeline, stage, amount in sums:
            index.buckets.setdefault((owner, cur, month), []).append(
                {"owner": owner, "currency": cur, "customer_id": cu, "category": cat,
                 "pipeline": pipeline, "stage": stage, "amount": amount})
        return index

    def deals(self, target: dict[str, Any], owners: set[str], period: str
              ) -> list[dict[str, Any]]:
        """The deals that count for ``target`` in ``period``, in the order given."""
        found = [opp for owner in sorted(owners) for month in months_of(period)
                 for opp in self.buckets.get((owner, target["currency"], month), ())
                 if matches(opp, target, owners)]
        return found

    def won_in(self, target: dict[str, Any], owners: set[str], period: str) -> Decimal:
        """:func:`won_in` for the indexed (won) deals."""
        return sum((opp.get("amount") or Decimal("0.00")
                    for opp in self.deals(target, owners, period)), Decimal("0.00"))


#: the won-deal fields :class:`WonIndex` reads
WON_FIELDS = ("id", "owner", "currency", "customer_id", "category", "amount", "closed_at",
              "close_date")


class WonIndex:
    """Won deals' amounts by (owner, currency, month won), each kept as (customer,
    product line, amount) only: what :meth:`DealIndex.won_in` sums, in a fraction of the
    memory (53k won deals on a big team). :func:`won_in` is the reference."""

    def __init__(self, deals: Iterable[dict[str, Any]]) -> None:
        self.buckets: dict[tuple[str, Any, str], list[tuple[Any, Any, Decimal]]] = {}
        for opp in deals:
            day = opp.get("closed_at") or opp.get("close_date")
            if day is None:
                continue
            key = (opp.get("owner") or "", opp.get("currency"), str(day)[:7])
            self.buckets.setdefault(key, []).append(
                (opp.get("customer_id"), opp.get("category"),
                 opp.get("amount") or Decimal("0.00")))

    @classmethod
    def from_sums(cls, sums: Iterable[tuple[Any, ...]]) -> WonIndex:
        """The index of won deals summed per (owner, currency, month, customer, product
        line, …) (kam.storage.DealMonthSums): a target sums whole groups, so it gets the
        same total as from the deals."""
        index = cls(())
        for owner, cur, month, cu, cat, _pipeline, _stage, amount in sums:
            index.buckets.setdefault((owner, cur, month), []).append((cu, cat, amount))
        return index

    def won_in(self, target: dict[str, Any], owners: set[str], period: str) -> Decimal:
        """:func:`won_in` for the indexed deals (the bucket is the owner and currency)."""
        customer, product = target.get("customer_id"), target.get("product")
        total = Decimal("0.00")
        for owner in sorted(owners):
            for month in months_of(period):
                for cu, cat, amount in self.buckets.get((owner, target["currency"], month), ()):
                    if (not customer or cu == customer) and (not product or cat == product):
                        total += amount
        return total


def fast_ox(amount: Decimal, history: Decimal, factor: Decimal) -> bool:
    """鞭打快牛: the target asks more than ``factor`` × what the owner won in the same
    period last year. No history, no flag: a new owner has nothing to be whipped on."""
    return history > 0 and amount > history * factor
