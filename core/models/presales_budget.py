"""A deal's presales budget against what was spent (售前费用预算 vs 实际): pure, so the
service that refuses over-budget spending, ``opp show`` and the reports compute it
once and agree to the cent.

The budget in force is the deal's ``expense_budget`` plus its approved adjustments
(任务书调整表); ``budget_split`` divides the original budget by milestone (a stage of
the deal's pipeline). An approved adjustment raises the total and, when its ``stage``
is a milestone of the split, that milestone's budget too: a milestone's budget is its
part of the split plus the approved adjustments made for it. Expenses count at their
amount in the deal's currency.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")


def _money(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else ZERO


def approved_adjustments(opp: dict[str, Any]) -> Decimal:
    """The sum of the deal's approved budget adjustments (调整表)."""
    return sum((_money(a.get("amount")) for a in opp.get("budget_adjustments") or []
                if a.get("status") == "approved"), ZERO)


def budget_in_force(opp: dict[str, Any]) -> Decimal:
    """The original budget plus the approved adjustments."""
    return _money(opp.get("expense_budget")) + approved_adjustments(opp)


def budget_view(opp: dict[str, Any], expenses: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Budget vs actual for one deal: totals and one row per milestone.

    ``rows`` has one entry per milestone of the split (its ``budget`` with the approved
    adjustments made for it), then any stage expenses were booked to outside it; the
    rows' ``spent`` add up to ``spent``; the milestones' ``budget`` add up to
    ``budget`` less ``unassigned`` (approved adjustments for no milestone of the split).
    """
    spent_by: dict[str, Decimal] = {}
    spent = ZERO
    for e in expenses:
        amount = _money(e.get("amount"))
        spent += amount
        key = e.get("stage") or ""
        spent_by[key] = spent_by.get(key, ZERO) + amount
    raised: dict[str, Decimal] = {}
    for a in opp.get("budget_adjustments") or []:
        if a.get("status") == "approved" and a.get("stage"):
            raised[a["stage"]] = raised.get(a["stage"], ZERO) + _money(a.get("amount"))
    rows: list[dict[str, Any]] = []
    assigned = ZERO
    for part in opp.get("budget_split") or []:
        key = part.get("stage") or ""
        budget = _money(part.get("amount")) + raised.pop(key, ZERO)
        used = spent_by.pop(key, ZERO)
        assigned += budget
        rows.append({"stage": key, "budget": budget, "spent": used,
                     "left": budget - used})
    for key, used in spent_by.items():
        rows.append({"stage": key, "budget": None, "spent": used, "left": None})
    original = _money(opp.get("expense_budget"))
    adjusted = approved_adjustments(opp)
    total = original + adjusted
    return {"currency": opp.get("currency"), "original": original, "adjustments": adjusted,
            "budget": total, "unassigned": total - assigned, "spent": spent, "left": total - spent,
            "pending_adjustment": next(
                (a for a in opp.get("budget_adjustments") or []
                 if a.get("status") == "pending"), None),
            "rows": rows}
