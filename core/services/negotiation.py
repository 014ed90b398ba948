"""The negotiation log (谈判记录): concessions given and received on a deal.

004: "给一个大客户15%的优惠…" — what we give (a discount, free training, longer
payment terms) should buy something back (a larger order, a reference, faster
payment). A given concession with a value counts towards the deal's discount, and a
discount the contract rules would send to an approver (``approvals.*`` thresholds,
``kam_required_approvals``) needs that approver's name here too (``--approved-by``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam import values, vocab
from kam.errors import InputError, RefusedError
from kam.services.common import atomic
from kam.workspace import Workspace

HUNDRED = Decimal(100)


def given_total(opp: dict[str, Any]) -> Decimal:
    """The value of every concession given on the deal so far."""
    return sum((Decimal(c["value"]) for c in opp.get("concessions") or []
                if c.get("direction") == "given" and c.get("value") is not None),
               Decimal("0.00"))


def discount_pct(opp: dict[str, Any], given: Decimal) -> Decimal | None:
    """``given`` as a percentage of the deal's expected amount (two places)."""
    amount = opp.get("amount")
    if not amount:
        return None
    return (given * HUNDRED / Decimal(amount)).quantize(Decimal("0.01"))


def _roles_for(ws: Workspace, opp: dict[str, Any], discount: Decimal | None) -> list[str]:
    from kam.services.contract_reading import required_roles

    probe = {"id": opp["id"], "opportunity_id": opp["id"], "customer_id": opp["customer_id"],
             "owner": opp.get("owner"), "amount": opp.get("amount") or Decimal(0),
             "currency": opp.get("currency"), "discount": discount}
    return required_roles(ws, probe)


def approval_roles(ws: Workspace, opp: dict[str, Any], discount: Decimal | None) -> list[str]:
    """The roles a contract of the deal would need for ``discount`` beyond those it needs
    without one: who must approve the concession."""
    if discount is None:
        return []
    plain = set(_roles_for(ws, opp, None))
    return [r for r in _roles_for(ws, opp, discount) if r not in plain]


@atomic
def concede(ws: Workspace, opp_id: str, *, what: str, direction: str,
            value: str | None = None, exchange: str | None = None,
            approved_by: str | None = None, on: str | None = None) -> dict[str, Any]:
    """Record a concession given or received (让步/交换条件) on an open deal."""
    from kam.services import approvals

    opp = ws.get("opportunity", opp_id)
    if opp["status"] != "open":
        raise RefusedError(f"opportunity {opp['id']} is {opp['status']}: the negotiation "
                           "is over")
    text = (what or "").strip()
    if not text:
        raise InputError("--what: say what was conceded")
    side = vocab.parse("concession_direction", direction)
    amount = values.money(value, "--value") if value not in (None, "") else None
    if amount is not None and amount < 0:
        raise InputError(f"--value: {value} must not be negative")
    day = values.date(on, "--date") if on else ws.today
    if day > ws.today:
        raise InputError(f"--date: {day} is in the future (today is {ws.today})")
    discount = None
    if side == "given" and amount is not None:
        discount = discount_pct(opp, given_total(opp) + amount)
    needed = approval_roles(ws, opp, discount)
    approver = " ".join((approved_by or "").split()) or None
    if needed and approver is None:
        raise RefusedError(
            f"concession on {opp['id']} brings the discount to {discount}%, which a "
            f"contract would send to {', '.join(needed)}: record it with their approval "
            "(--approved-by NAME)")
    role = None
    if approver is not None and needed:
        held = approvals.roles_of(ws, approver)
        role = next((r for r in needed if held is None or r.casefold() in held), needed[0])
        approvals.check(ws, approver, role, owners=[opp.get("owner")],
                        what=opp["id"])
    elif approver is not None and approvals.same_person(approver, opp.get("owner")):
        raise RefusedError(f"--approved-by: {approver} owns {opp['id']} and cannot approve "
                           "its own concession")
    entry = {"what": text, "direction": side,
             "value": values.fmt_money(amount) if amount is not None else None,
             "currency": opp.get("currency") if amount is not None else None,
             "exchange": (exchange or "").strip() or None,
             "discount": f"{discount}" if discount is not None else None,
             "approved_by": approver, "approval_role": role, "on": day.isoformat(),
             "by": ws.actor}
    concessions = list(opp.get("concessions") or []) + [entry]
    with ws.mutation("opportunity.concession", opp["id"], entry, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"],
                          {"concessions": concessions, "updated_at": ws.now()})
    return {**opp, "concessions": concessions}
