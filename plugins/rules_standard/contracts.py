"""Standard contract review (合同评审) and approval thresholds (合同审批).

Review findings (docs/contracts.md, "Standard rules"): the payment plan not adding up
to the contract amount blocks; no or a low down payment, no acceptance criteria, no
cost for changes, unlimited service obligations and a warranty retention above the cap
warn.

Settings in kam.toml (defaults shown)::

    [contracts]
    min_down_payment = 20     # percent; below it warns
    warranty_cap = 10         # percent of the amount kept as warranty retention (质保金)

    [approvals]
    always = "sales_manager"          # every contract ("" for none)
    sales_director_above = 1000000    # amount above this needs the sales director
    general_manager_above = 5000000   # amount above this needs the general manager
    finance_discount_above = 10       # discount above this percent needs finance

Amounts are compared in the contract's own currency (no exchange rates).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from kam.api import Finding, block, fmt_money, info, warn

HUNDRED = Decimal(100)
APPROVAL_DEFAULTS: dict[str, Any] = {
    "always": "sales_manager",
    "sales_director_above": 1000000,
    "general_manager_above": 5000000,
    "finance_discount_above": 10,
}


def _number(value: Any, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"kam.toml {name}: {value!r} is not a number") from None


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * HUNDRED / whole).quantize(Decimal("0.01")) if whole else Decimal(0)


def _money(value: Decimal) -> str:
    return fmt_money(value.quantize(Decimal("0.01")))


def review(ws: Any, contract: dict, milestones: list) -> list[Finding]:
    """The standard findings. Every share and amount they show comes from one split of
    the plan (:func:`kam.services.contract_plan.split`: what signing would create), or
    from the stored milestones once signed, so the findings never contradict each other."""
    from kam.api import InputError, planned_total
    from kam.api import plan_amounts as split

    cfg = ws.config.get("contracts", {}) or {}
    amount: Decimal = contract["amount"]
    out: list[Finding] = []
    plan = contract.get("plan") or []
    if not plan and not milestones:
        return [block("plan_missing", "no payment plan (--plan)")]
    if not contract.get("signed_on") and plan:
        try:
            amounts = split(plan, amount)
        except InputError as exc:
            return [block("plan_sum", str(exc).removeprefix("--plan: "))]
        milestones = [{"kind": p["kind"], "share": p["share"], "amount": a}
                      for p, a in zip(plan, amounts, strict=True)]
        total = planned_total(plan, amount)
        if total != amount:
            last, share = milestones[-1], plan[-1]["share"]
            out.append(block(
                "plan_sum", f"payment plan adds up to {_money(total)} "
                f"({_pct(total, amount)}%), not the contract amount {_money(amount)}: "
                f"the last milestone ({last['kind']} {share}) would take the "
                f"{'rest' if total < amount else 'cut'} and come to "
                f"{_money(last['amount'])} ({_pct(last['amount'], amount)}%)"))
    held = sum((m["amount"] for m in milestones), Decimal("0.00"))
    if milestones and held != amount:
        out.append(block("milestones_sum", f"milestones add up to {fmt_money(held)}, "
                         f"not the contract amount {fmt_money(amount)}"))
    down = sum((m["amount"] for m in milestones if m["kind"] == "down_payment"), Decimal(0))
    floor = _number(cfg.get("min_down_payment", 20), "contracts.min_down_payment") or 0
    if down == 0:
        out.append(warn("no_down_payment", "no down payment (首付款) in the payment plan"))
    elif _pct(down, amount) < floor:
        out.append(warn("low_down_payment", f"down payment {_money(down)} "
                        f"({_pct(down, amount)}%) is below {floor}%"))
    if not (contract.get("acceptance_criteria") or "").strip():
        out.append(warn("no_acceptance_criteria",
                        "no acceptance criteria (--acceptance-criteria)"))
    if not (contract.get("change_cost") or "").strip():
        out.append(warn("no_change_cost", "no cost defined for changes (--change-cost)"))
    if not contract.get("service_end"):
        out.append(warn("unlimited_service", "service obligations have no end date "
                        "(--service-end)"))
    retention = sum((m["amount"] for m in milestones if m["kind"] == "warranty"), Decimal(0))
    cap = _number(cfg.get("warranty_cap", 10), "contracts.warranty_cap")
    if retention and cap is not None and _pct(retention, amount) > cap:
        out.append(warn("retention_cap", f"warranty retention (质保金) "
                        f"{_money(retention)} ({_pct(retention, amount)}%) is above "
                        f"the {cap}% cap"))
    lines = contract.get("lines") or []
    if lines:
        subject = sum((Decimal(x["total"]) for x in lines), Decimal("0.00"))
        if subject != amount:
            out.append(info("lines_total", f"subject lines add up to "
                            f"{fmt_money(subject)}, the contract amount is "
                            f"{fmt_money(amount)}"))
    return out


def required_approvals(ws: Any, contract: dict) -> list[str]:
    cfg = {**APPROVAL_DEFAULTS, **(ws.config.get("approvals", {}) or {})}
    amount: Decimal = contract["amount"]
    roles: list[str] = []
    if str(cfg.get("always") or "").strip():
        roles.append(str(cfg["always"]).strip())
    director = _number(cfg.get("sales_director_above"), "approvals.sales_director_above")
    if director is not None and amount > director:
        roles.append("sales_director")
    manager = _number(cfg.get("general_manager_above"), "approvals.general_manager_above")
    if manager is not None and amount > manager:
        roles.append("general_manager")
    discount = contract.get("discount")
    limit = _number(cfg.get("finance_discount_above"), "approvals.finance_discount_above")
    if discount is not None and limit is not None and Decimal(discount) > limit:
        roles.append("finance")
    return roles
