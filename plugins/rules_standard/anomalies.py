"""The standard account rules: money 90+ days overdue is a sign of low credit
(信用度很低), raised by ``kam check`` as a ``low_credit`` flag for someone to review; and
the customer matrix (客户矩阵) from need × relationship."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam.api import Finding


def low_credit_days(ws: Any) -> int:
    """Days overdue from which money is a sign of low credit (``rules.low_credit_days``);
    ``kam check`` asks only the customers with a milestone that late."""
    return int((ws.config.get("rules") or {}).get("low_credit_days", 90))


def anomalies(ws: Any, customer: dict[str, Any], overdue: list[dict[str, Any]]) -> list[Finding]:
    days = low_credit_days(ws)
    late = [v for v in overdue if v["days_overdue"] >= days]
    if not late:
        return []
    worst = max(late, key=lambda v: v["days_overdue"])
    return [Finding("warn", "low_credit",
                    f"{len(late)} milestone(s) {days}+ days overdue (worst {worst['id']}, "
                    f"{worst['days_overdue']} days, {worst['outstanding']} "
                    f"{worst['currency']} outstanding)")]


RELATIONSHIP = ["acquainted", "dating", "trust", "alliance"]


def matrix(ws: Any, customer: dict[str, Any]) -> list[str] | None:
    """Need is the purchase potential (潜力) against ``rules.matrix_potential``
    (1,000,000); the relationship is close from ``rules.matrix_relationship`` (trust).
    High need and close: core 核心; high need, not yet close: growth 成长; close but
    small need: traction 牵引; neither: problem 问题. Unknown potential or relationship:
    no opinion."""
    rules = ws.config.get("rules") or {}
    potential, rel = customer.get("potential"), customer.get("relationship")
    if potential is None or rel not in RELATIONSHIP:
        return None
    bar = str(rules.get("matrix_relationship", "trust"))
    close = RELATIONSHIP.index(rel) >= (RELATIONSHIP.index(bar) if bar in RELATIONSHIP else 2)
    high = Decimal(str(potential)) >= Decimal(str(rules.get("matrix_potential", 1_000_000)))
    return [{(True, True): "core", (True, False): "growth", (False, True): "traction",
             (False, False): "problem"}[(high, close)]]
