"""``kam check``: the daily collection run (催款), made for cron.

For every milestone with money outstanding it fires the receivable-due hook once
when the due date arrives (``receivables.due_reminder_days`` ahead, default 0)
and the receivable-overdue hook once per overdue level crossed
(``receivables.overdue_levels``, default 1, 30, 60, 90 days), and escalates each open
complaint the rules send to someone that was never escalated (投诉升级). The event log is
the memory: one ``receivable.due`` / ``receivable.overdue`` event per firing, so
running it again the same day fires nothing new.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kam import values
from kam.errors import InputError
from kam.models.receivable_state import receivable_view
from kam.services.common import atomic
from kam.workspace import Workspace

DEFAULT_LEVELS = (1, 30, 60, 90)


def levels(ws: Workspace) -> list[int]:
    raw = (ws.config.get("receivables", {}) or {}).get("overdue_levels", DEFAULT_LEVELS)
    try:
        out = sorted({int(x) for x in raw})
    except (TypeError, ValueError):
        raise InputError(f"kam.toml receivables.overdue_levels: {raw!r} must be a list of "
                         "whole days") from None
    if not out or out[0] < 1:
        raise InputError("kam.toml receivables.overdue_levels: levels must be 1 day or more")
    return out


def _reminder_days(ws: Workspace) -> int:
    raw = (ws.config.get("receivables", {}) or {}).get("due_reminder_days", 0)
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise InputError(f"kam.toml receivables.due_reminder_days: {raw!r} is not a number"
                         ) from None
    return max(days, 0)


def fired(ws: Workspace) -> tuple[set[str], set[tuple[str, int]]]:
    """What earlier runs fired: receivable ids with a due event, (id, level) overdue pairs."""
    due: set[str] = set()
    overdue: set[tuple[str, int]] = set()
    for e in ws.storage.events(kinds=["receivable.due", "receivable.overdue"]):
        if e["kind"] == "receivable.due":
            due.add(e["record_id"])
        else:
            overdue.add((e["record_id"], int((e.get("payload") or {}).get("level", 0))))
    return due, overdue


@atomic
def run(ws: Workspace) -> dict[str, Any]:
    """Fire what is new today; report it and everything overdue (the exit code's basis).

    An ``--as-of`` beyond the real date is a preview: it lists what would fire on that
    day and records nothing, so the real daily runs still fire every level.
    """
    today = ws.today
    preview = ws.previewing
    lv = levels(ws)
    horizon = today + dt.timedelta(days=_reminder_days(ws))
    due_done, overdue_done = fired(ws)
    new: list[dict[str, Any]] = []
    overdue: list[dict[str, Any]] = []
    for record in ws.storage.find("receivable", {"due_date__le": horizon},
                                  order_by=("due_date", "id")):
        view = receivable_view(record, today)
        if view["outstanding"] <= 0:
            continue
        if view["days_overdue"] > 0:
            overdue.append(view)
        if record["id"] not in due_done:
            new.append(_fire(ws, record, view, "due", None, preview))
        for level in lv:
            if view["days_overdue"] >= level and (record["id"], level) not in overdue_done:
                new.append(_fire(ws, record, view, "overdue", level, preview))
    from kam.services.complaints import escalate_due

    escalated = escalate_due(ws, preview)
    totals: dict[str, Decimal] = {}
    for v in overdue:
        totals[v["currency"]] = totals.get(v["currency"], Decimal("0.00")) + v["outstanding"]
    return {"as_of": today, "preview": preview, "levels": lv, "new": new, "overdue": overdue,
            "escalated": escalated,
            "overdue_outstanding": {c: values.fmt_money(t) for c, t in sorted(totals.items())}}


def run_with_retries(ws: Workspace) -> dict[str, Any]:
    """:func:`run`, then the event deliveries whose back-off has passed (not in a
    preview): a daily cron run also catches up on notifications that failed."""
    result = run(ws)
    if not result["preview"]:
        from kam import outbox
        from kam.errors import KamError

        try:
            result["deliveries"] = outbox.retry(ws, due_only=True)
        except KamError as exc:  # the run is recorded: a busy outbox waits for the next
            ws.warnings.append(f"event deliveries not retried: {exc}")
    return result


def _fire(ws: Workspace, record: dict[str, Any], view: dict[str, Any], action: str,
          level: int | None, preview: bool = False) -> dict[str, Any]:
    payload = {"due_date": view["due_date"].isoformat(), "days_overdue": view["days_overdue"],
               "outstanding": values.fmt_money(view["outstanding"]),
               "currency": view["currency"], "as_of": ws.today.isoformat()}
    if level is not None:
        payload["level"] = level
    event: dict[str, Any] | None = None
    if not preview:
        with ws.mutation(f"receivable.{action}", record["id"], payload,
                         refs=[record["contract_id"], record["customer_id"]]) as m:
            pass
        event = m.event
        ws.fire("kam_receivable_event", receivable=view, action=action, level=level,
                event=event)
    return {"action": action, "level": level, "receivable_id": record["id"],
            "contract_id": record["contract_id"], "customer_id": record["customer_id"],
            "kind": record["kind"], "due_date": view["due_date"],
            "days_overdue": view["days_overdue"], "outstanding": view["outstanding"],
            "currency": view["currency"], "event_id": (event or {}).get("id")}
