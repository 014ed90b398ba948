"""Visit plans (拜访计划): 001's "个人月、周和每天的客户拜访计划".

A plan is how many visits an owner means to make to a customer in a period: a month
(``2026-03``), an ISO week (``2026-W10``) or a day (``2026-03-02``). Planning the same
owner, period and customer again replaces the count (the event keeps the old one).
``report activity`` sets the plans against the visits logged; ``kam today`` lists the
day's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from kam import values
from kam.errors import InputError
from kam.services.common import atomic
from kam.workspace import Workspace

_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_period(text: str) -> str:
    """``2026-03``, ``2026-W10`` (ISO week, ``w`` too) or ``2026-03-02``; normalised."""
    raw = (text or "").strip().upper()
    if m := _WEEK.fullmatch(raw):
        year, week = int(m[1]), int(m[2])
        try:
            dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InputError(f"PERIOD: {text!r} is no ISO week") from None
        return f"{year:04d}-W{week:02d}"
    if m := _MONTH.fullmatch(raw):
        if not 1 <= int(m[2]) <= 12:
            raise InputError(f"PERIOD: {text!r} is no month")
        return raw
    try:
        return values.date(raw, "PERIOD").isoformat()
    except InputError:
        raise InputError(f"PERIOD: {text!r} must be a month (2026-03), an ISO week "
                         "(2026-W10) or a day (2026-03-02)") from None


def span(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a plan's period."""
    if m := _WEEK.fullmatch(period):
        first = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return first, first + dt.timedelta(days=6)
    if m := _MONTH.fullmatch(period):
        first = dt.date(int(m[1]), int(m[2]), 1)
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    day = dt.date.fromisoformat(period)
    return day, day


@atomic
def plan(ws: Workspace, owner: str, period: str, customer: str, count: int,
         note: str | None = None) -> dict[str, Any]:
    who = (owner or "").strip()
    if not who:
        raise InputError("OWNER: a visit plan needs an owner")
    if count < 0:
        raise InputError(f"--count: {count} must not be negative")
    per = parse_period(period)
    cu = ws.get("customer", customer)
    existing = next(iter(ws.storage.find("visit_plan", {"owner": who, "period": per,
                                                       "customer_id": cu["id"]})), None)
    now = ws.now()
    if existing is not None:
        changes: dict[str, Any] = {"count": count, "updated_at": now}
        if note is not None:
            changes["note"] = note
        with ws.mutation("visit_plan.changed", existing["id"],
                         {"owner": who, "period": per, "customer_id": cu["id"],
                          "count": count, "was": existing.get("count")}, refs=[cu["id"]]):
            ws.storage.update("visit_plan", existing["id"], changes)
        return {**existing, **changes}
    record: dict[str, Any] = {"owner": who, "period": per, "customer_id": cu["id"],
                              "count": count, "note": note, "created_at": now,
                              "updated_at": now}
    with ws.mutation("visit_plan.set", refs=[cu["id"]]) as m:
        record["id"] = ws.storage.next_id("visit_plan")
        ws.storage.insert("visit_plan", record)
        m.record_id = record["id"]
        m.payload = {"owner": who, "period": per, "customer_id": cu["id"], "count": count}
    return record


def list_(ws: Workspace, owner: str | None = None, period: str | None = None,
          customer: str | None = None) -> Iterator[dict[str, Any]]:
    where: dict[str, Any] = {}
    if owner:
        where["owner"] = owner.strip()
    if period:
        where["period"] = parse_period(period)
    if customer:
        where["customer_id"] = customer.strip().upper()
    return ws.storage.find("visit_plan", where, order_by=("period", "owner", "customer_id"))
