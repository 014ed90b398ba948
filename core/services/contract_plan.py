"""Payment plans (付款计划): parse the ``--plan`` spec, split the contract amount into
milestones exactly, re-balance on amendments, and compute due dates.

Pure functions, no storage. Money is ``Decimal`` with two places; every split puts
the rounding remainder on the last milestone, so the milestones always add up to
the contract amount exactly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

from kam import values, vocab
from kam.errors import InputError

CENT = values.CENT
HUNDRED = Decimal(100)

#: the milestone kinds and what starts their clock (the trigger)
TRIGGERS = {
    "down_payment": "signed",
    "on_delivery": "delivered",
    "on_acceptance": "final_accepted",
    "warranty": "final_accepted",
    "fixed_date": "signed",
}

DEFAULT_PLAN = "down_payment:30%:+10d,on_delivery:30%:+30d,on_acceptance:30%:+30d,warranty:10%"

_OFFSET = re.compile(r"^\+?(\d{1,4})([dm])$")


def parse_plan(spec: str) -> list[dict[str, str]]:
    """``KIND:SHARE[:OFFSET],...`` → ``[{"kind", "share", "offset"}]`` (normalised).

    SHARE is a percent (``30%``) or an amount; OFFSET is days (``+10d``) or months
    (``+12m``) after the trigger, or an ISO date for ``fixed_date``. Bad specs exit 2.
    """
    items: list[dict[str, str]] = []
    parts = [p.strip() for p in (spec or "").split(",") if p.strip()]
    if not parts:
        raise InputError("--plan: empty payment plan")
    for part in parts:
        bits = [b.strip() for b in part.split(":")]
        if len(bits) not in (2, 3):
            raise InputError(f"--plan: {part!r} must look like KIND:SHARE:OFFSET "
                             "(down_payment:30%:+10d)")
        kind = vocab.parse("milestone_kind", "fixed_date" if bits[0] == "fixed" else bits[0])
        share = _share(bits[1], part)
        offset = _offset(kind, bits[2] if len(bits) == 3 else "", part)
        items.append({"kind": kind, "share": share, "offset": offset})
    return items


def _share(text: str, part: str) -> str:
    if text.endswith("%"):
        pct = values.percent(text, f"--plan {part}")
        if pct <= 0:
            raise InputError(f"--plan {part}: a share must be above 0")
        return f"{pct:f}%"
    amount = values.money(text, f"--plan {part}")
    if amount <= 0:
        raise InputError(f"--plan {part}: a share must be above 0")
    return values.fmt_money(amount)


def _offset(kind: str, text: str, part: str) -> str:
    if kind == "fixed_date":
        if not text:
            raise InputError(f"--plan {part}: a fixed_date milestone needs a date "
                             "(fixed_date:20%:2026-06-30)")
        return values.date(text, f"--plan {part}").isoformat()
    if not text:
        return ""
    m = _OFFSET.match(text)
    if not m:
        raise InputError(f"--plan {part}: offset {text!r} must be days (+10d) or months (+12m)")
    return f"+{int(m.group(1))}{m.group(2)}"


def share_value(share: str, amount: Decimal) -> Decimal:
    """The exact (unrounded) amount a share stands for."""
    if share.endswith("%"):
        return amount * Decimal(share[:-1]) / HUNDRED
    return Decimal(share)


def split(plan: Sequence[dict[str, Any]], amount: Decimal) -> list[Decimal]:
    """Milestone amounts for ``amount``: each share rounded down to the cent, the
    remainder on the last, so they add up to ``amount`` exactly.

    Raises InputError when the earlier shares already exceed the amount.
    """
    if not plan:
        raise InputError("--plan: empty payment plan")
    head = [share_value(p["share"], amount).quantize(CENT, rounding=ROUND_DOWN)
            for p in plan[:-1]]
    last = amount - sum(head, Decimal("0.00"))
    if last < 0:
        raise InputError(f"--plan: the milestones before the last add up to "
                         f"{values.fmt_money(sum(head, Decimal(0)))}, more than the contract "
                         f"amount {values.fmt_money(amount)}")
    return [*head, last.quantize(CENT)]


def planned_total(plan: Sequence[dict[str, Any]], amount: Decimal) -> Decimal:
    """What the shares of the spec add up to (unrounded): the review compares it."""
    return sum((share_value(p["share"], amount) for p in plan), Decimal(0))


def rebalance(amounts: Sequence[Decimal], locked: Sequence[bool], delta: Decimal
              ) -> list[Decimal]:
    """Spread ``delta`` over the open (unlocked) milestones in proportion to their
    amounts, each rounded down to the cent, the remainder on the last open one.

    Paid, partly paid and written-off milestones are locked and keep their amounts.
    Raises InputError when no milestone is open or the open ones would go negative.
    """
    open_idx = [i for i, lk in enumerate(locked) if not lk]
    if not open_idx:
        raise InputError("every milestone is paid or written off: nothing can carry the change")
    open_total = sum((amounts[i] for i in open_idx), Decimal("0.00"))
    new_total = open_total + delta
    if new_total < 0:
        raise InputError(f"the open milestones hold {values.fmt_money(open_total)}: a delta of "
                         f"{values.fmt_money(delta)} would make them negative")
    out = list(amounts)
    running = Decimal("0.00")
    for i in open_idx[:-1]:
        if open_total > 0:
            value = (amounts[i] * new_total / open_total).quantize(CENT, rounding=ROUND_DOWN)
        else:
            value = Decimal("0.00")
        out[i] = value
        running += value
    out[open_idx[-1]] = (new_total - running).quantize(CENT)
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later, clamped to the month's last day (31 Jan + 1m → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(kind: str, offset: str, trigger_on: dt.date,
             warranty_months: int | None = None) -> dt.date:
    """The due date once the trigger happened on ``trigger_on``.

    A warranty milestone without an offset falls due after the warranty months.
    """
    if kind == "fixed_date":
        return values.date(offset, "fixed date")
    if not offset:
        if kind == "warranty":
            return add_months(trigger_on, warranty_months or 0)
        return trigger_on
    m = _OFFSET.match(offset)
    if not m:
        raise InputError(f"bad milestone offset {offset!r}")
    n = int(m.group(1))
    return trigger_on + dt.timedelta(days=n) if m.group(2) == "d" else add_months(trigger_on, n)


def format_plan(plan: Sequence[dict[str, Any]]) -> str:
    return ",".join(":".join(x for x in (p["kind"], p["share"], p.get("offset") or "") if x)
                    for p in plan)
