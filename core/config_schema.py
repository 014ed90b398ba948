"""What kam.toml may hold: each known key's type and range, checked when it is loaded.

A wrong-typed value (``rules = 5``, ``lock_timeout_s = nan``, a CR in ``user``) would
otherwise surface later as a crash in whatever command reads it; here it is one line
naming the key (exit 2). Unknown keys and plugins' own tables are left to their
readers, but no value anywhere may be a NaN/infinite number or text with control
characters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kam import text as kam_text
from kam import values
from kam.errors import InputError

Check = Callable[[Any], str | None]  # a problem, in words, or None


def _str(v: Any) -> str | None:
    return None if isinstance(v, str) else "must be text"


def _name(v: Any) -> str | None:
    if not isinstance(v, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", v):
        return "must be a name (letters, digits, _ . -)"
    return None


def _currency(v: Any) -> str | None:
    ok = isinstance(v, str) and len(v) == 3 and v.isascii() and v.isalpha()
    return None if ok else "must be a 3-letter currency code"


def _lang(v: Any) -> str | None:
    from kam.i18n import LANGS

    return None if v in LANGS else "must be zh, zh-Hant or en"


def _bool(v: Any) -> str | None:
    return None if isinstance(v, bool) else "must be true or false"


def _table(v: Any) -> str | None:
    return None if isinstance(v, dict) else "must be a table"


def _int(lo: int, hi: int) -> Check:
    def check(v: Any) -> str | None:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            return f"must be a whole number from {lo} to {hi}"
        return None

    return check


def _number(lo: float, hi: float, *, above: bool = False) -> Check:
    """An int or a finite float within ``lo..hi`` (``above``: strictly more than lo)."""

    def check(v: Any) -> str | None:
        bad = (isinstance(v, bool) or not isinstance(v, int | float)
               or (isinstance(v, float) and not math.isfinite(v))
               or v < lo or v > hi or (above and v <= lo))
        if bad:
            word = "above" if above else "from"
            return f"must be a number {word} {lo:g} {'and at most' if above else 'to'} {hi:g}"
        return None

    return check


def _money(v: Any) -> str | None:
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        return "must be an amount"
    try:
        values.money(Decimal(str(v)) if not isinstance(v, str) else v, "amount")
    except (InputError, ArithmeticError):
        return "must be an amount (at most two places, below 10^15)"
    return None


def _list(item: Check) -> Check:
    def check(v: Any) -> str | None:
        if not isinstance(v, list) or any(item(x) for x in v):
            return "must be a list of " + ("texts" if item is _str else "whole numbers")
        return None

    return check


def _roles(v: Any) -> str | None:
    if not isinstance(v, dict) or any(_list(_str)(x) for x in v.values()):
        return "must be a table of user = [\"role\", ...]"
    return None


_DAYS = _int(1, 36500)

#: dotted key → its check; tables first, so ``rules = 5`` is reported as such
SCHEMA: dict[str, Check] = {
    "backend": _name, "currency": _currency, "language": _lang, "pipeline": _name,
    "user": _str, "plugins_dir": _str, "name": _str,
    "rules": _table, "rules.margin_floor": _number(-100, 100),
    "rules.force_penalty": _number(0, 100), "rules.hold_delivery_until_advance": _bool,
    "rules.required_tasks": _list(_str),
    "rules.evaluation_model": _name, "rules.min_score": _number(0, 100),
    "rules.trial_before_bidding": _bool,
    "receivables": _table, "receivables.overdue_levels": _list(_DAYS),
    "receivables.due_reminder_days": _int(0, 36500),
    "reports": _table, "reports.coverage": _number(0, 1000),
    "reports.stalled_days": _DAYS, "reports.continuance_run": _DAYS,
    "reports.relationship_days": _DAYS, "reports.aging_buckets": _list(_DAYS),
    "targets": _table, "targets.fast_ox_factor": _number(0, 1000, above=True),
    "targets.conversion_min_deals": _int(1, 1_000_000),
    "contracts": _table, "contracts.warranty_months": _int(0, 240),
    "contracts.default_plan": _str, "contracts.min_down_payment": _number(0, 100),
    "contracts.warranty_cap": _number(0, 100),
    "contracts.renewal_reminder_days": _int(0, 36500),
    "rules.low_credit_days": _DAYS, "rules.matrix_potential": _money,
    "rules.matrix_relationship": _str,
    "approvals": _table, "approvals.sales_director_above": _money,
    "approvals.general_manager_above": _money,
    "approvals.finance_discount_above": _number(0, 100), "approvals.always": _str,
    "approvals.budget_adjust": _list(_str),
    "finance": _table, "finance.confirm_payments": _bool,
    "finance.approve_invoices": _bool,
    "storage": _table, "storage.busy_timeout_ms": _int(0, 3_600_000),
    "storage.lock_timeout_s": _number(0, 3600, above=True),
    "roles": _roles, "plugins": _table,
    "service": _table, "service.vice_president": _str,
}

_MISSING = object()


def _lookup(config: dict[str, Any], key: str) -> Any:
    node: Any = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _anywhere(node: Any, key: str) -> tuple[str, str] | None:
    """No NaN/infinity and no control characters, in any table, a plugin's included."""
    if isinstance(node, dict):
        for k, v in node.items():
            name = f"{key}.{k}" if key else str(k)
            found = _anywhere(k, name) if isinstance(k, str) else None
            found = found or _anywhere(v, name)
            if found:
                return found
    elif isinstance(node, list):
        for v in node:
            found = _anywhere(v, key)
            if found:
                return found
    elif isinstance(node, float) and not math.isfinite(node):
        return key, f"{node!r} is not a number"
    elif isinstance(node, str) and kam_text.FORBIDDEN.search(node):
        char = kam_text.FORBIDDEN.search(node)
        return key, f"contains the control character {kam_text.describe(char.group())}"  # type: ignore[union-attr]
    return None


def problems(config: dict[str, Any]) -> list[tuple[str, str]]:
    """Every ``(key, problem)`` of a loaded config, in SCHEMA order."""
    out: list[tuple[str, str]] = []
    broken_tables: set[str] = set()
    for key, check in SCHEMA.items():
        if key.split(".")[0] in broken_tables:
            continue
        value = _lookup(config, key)
        if value is _MISSING:
            continue
        problem = check(value)
        if problem:
            out.append((key, f"{problem} (is {value!r})"))
            if "." not in key:
                broken_tables.add(key)
    found = _anywhere(config, "")
    if found and all(found[0] != key for key, _ in out):
        out.append(found)
    return out


def check(config: dict[str, Any], where: str = "kam.toml") -> dict[str, Any]:
    """Return ``config``, or refuse it naming the first bad key (exit 2)."""
    found = problems(config)
    if found:
        key, problem = found[0]
        raise InputError(f"{where}: {key} {problem}")
    return config
