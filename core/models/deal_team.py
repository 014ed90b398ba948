"""铁三角 (the deal team): who works a deal beside its owner, and in which line.

A member is ``{"user", "role", "since", "by"}`` in the opportunity's ``team`` list; a
contract's team is its deal's. The line (客户线/产品线/交付线) follows from the role.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: role (vocab ``deal_role``) → line (vocab ``deal_line``) of the 铁三角
LINE_OF: dict[str, str] = {
    "owner": "customer",
    "account_manager": "customer",
    "presales": "product",
    "product": "product",
    "delivery": "delivery",
    "finance": "delivery",
}


def members(opp: dict[str, Any]) -> list[dict[str, Any]]:
    """The deal's team, each member with the line of their role."""
    return [{**m, "line": LINE_OF.get(str(m.get("role")), "")}
            for m in opp.get("team") or []]


def is_member(opp: dict[str, Any], user: str) -> bool:
    return any(m.get("user") == user for m in opp.get("team") or [])


def works_on(opp: dict[str, Any], user: str) -> bool:
    """The user owns the deal or is on its team."""
    return opp.get("owner") == user or is_member(opp, user)


def deals_of(opps: Iterable[dict[str, Any]], user: str) -> set[str]:
    """Ids of the deals ``user`` owns or is a member of."""
    return {o["id"] for o in opps if works_on(o, user)}


#: a team listing's columns and the enumerations of its values (``kam opp team list``)
MEMBER_COLUMNS = ["user", "role", "line", "since", "by"]
MEMBER_VOCAB = {"role": "deal_role", "line": "deal_line"}


def worked_by(ws: Any, member: str | None, kind: str,
              deals_where: dict[str, Any] | None = None) -> dict[str, Any]:
    """``--member``: a ``where`` for the deals (``opportunity``) or contracts (``contract``)
    ``member`` works on — owns, or is on the team (铁三角) of the deal of; ``{}`` without
    a member. A contract's team is its deal's. ``deals_where``: what this gave for the
    member's deals, when already asked (every deal is read otherwise, unless the backend
    answers :class:`kam.storage.WorkedBy`)."""
    if not member:
        return {}
    from kam.storage import WorkedBy

    storage = ws.storage
    fast = isinstance(storage, WorkedBy)
    if kind == "opportunity":
        return {"id__in": sorted(storage.deals_worked_by(member) if fast
                                 else python_deals_worked_by(storage, member))}
    if fast:
        return {"id__in": sorted(storage.contracts_worked_by(member))}
    deals = (set(deals_where["id__in"]) if deals_where
             else python_deals_worked_by(storage, member))
    return {"id__in": sorted(python_contracts_worked_by(storage, member, deals))}


def python_deals_worked_by(storage: Any, member: str) -> set[str]:
    """:class:`kam.storage.WorkedBy`'s ``deals_worked_by``: every deal's owner and team
    read (``select`` when the backend has it)."""
    from kam.storage import Selecting

    return {o["id"] for o in (
        storage.select("opportunity", ["id", "owner", "team"], {}, ("id",))
        if isinstance(storage, Selecting) else storage.find("opportunity", {}))
        if works_on(o, member)}


def python_contracts_worked_by(storage: Any, member: str,
                               deals: set[str] | None = None) -> list[str]:
    """:class:`kam.storage.WorkedBy`'s ``contracts_worked_by``: every contract's owner and
    deal read; ``deals``: the member's deals when already known."""
    from kam.storage import Selecting

    if deals is None:
        deals = python_deals_worked_by(storage, member)
    rows = (storage.select("contract", ["id", "owner", "opportunity_id"], {}, ("id",))
            if isinstance(storage, Selecting) else storage.find("contract", {}))
    return [c["id"] for c in rows
            if c.get("owner") == member or c.get("opportunity_id") in deals]
