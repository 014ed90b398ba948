"""The standard anomaly rules (异常客户): money 90+ days overdue is a sign of low credit
(信用度很低), raised by ``kam check`` as a ``low_credit`` flag for someone to review."""

from __future__ import annotations

from typing import Any

from kam.api import Finding


def anomalies(ws: Any, customer: dict[str, Any], overdue: list[dict[str, Any]]) -> list[Finding]:
    days = int((ws.config.get("rules") or {}).get("low_credit_days", 90))
    late = [v for v in overdue if v["days_overdue"] >= days]
    if not late:
        return []
    worst = max(late, key=lambda v: v["days_overdue"])
    return [Finding("warn", "low_credit",
                    f"{len(late)} milestone(s) {days}+ days overdue (worst {worst['id']}, "
                    f"{worst['days_overdue']} days, {worst['outstanding']} "
                    f"{worst['currency']} outstanding)")]
