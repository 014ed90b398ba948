"""``kam check``'s anomaly pass (异常客户): ask the anomaly rules
(``kam_customer_anomalies``) about each customer with money overdue — only those they
could newly flag when every rule declares it (``kam_anomaly_candidates``) — and raise each
flag they name for review once, unless one of that type is still open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from kam.models.receivable_state import receivable_view
from kam.services.common import atomic
from kam.workspace import Workspace

#: flags raised per bulk append of their events
BATCH = 2000

#: customers read per query for the anomaly rules
CUSTOMERS_PER_READ = 500


def anomaly_candidates(ws: Workspace) -> dict[str, int] | None:
    """``{flag type: days}``: whom the anomaly rules could newly flag, when every rule
    (and hook wrapper) of ``kam_customer_anomalies`` declares it
    (``kam_anomaly_candidates``), else None: then every customer with money overdue is
    asked, as the hook promises. A failing declaration also means the full pass."""
    plugins = ws.plugins
    declared = plugins.implementers("kam_anomaly_candidates")
    if not set(plugins.implementers("kam_customer_anomalies")) <= set(declared):
        return None
    try:
        found = plugins.pm.hook.kam_anomaly_candidates(ws=ws)
    except Exception:  # noqa: BLE001 — only an optimisation: the full pass is always right
        return None
    if len(found) != len(declared) or not all(isinstance(x, dict) for x in found):
        return None  # one of them cannot tell (None), or a wrapper changed the answers
    out: dict[str, int] = {}
    for days_by_type in found:
        for flag_type, days in days_by_type.items():
            out[flag_type] = min(days, out.get(flag_type, days))
    return out


def may_flag(ws: Workspace, candidates: dict[str, int]) -> set[str]:
    """The customers the anomaly rules could raise a new flag on (the standard rule's
    信用度很低: ``low_credit`` from 90 days): those with money that many days overdue and
    no open flag of that type yet. After a daily run every such customer has one open,
    so a run with nothing new asks no one."""
    out: set[str] = set()
    for flag_type, days in candidates.items():
        out.update(unflagged_late(ws, ws.today - dt.timedelta(days=max(days, 1)), flag_type))
    return out


def unflagged_late(ws: Workspace, due_by: dt.date, flag_type: str) -> Iterator[str]:
    """:class:`kam.storage.UnflaggedLate` from the backend when it has it, else
    :func:`python_unflagged_late` (the reference)."""
    from kam.storage import UnflaggedLate

    storage = ws.storage
    if isinstance(storage, UnflaggedLate):
        return storage.unflagged_late(due_by, flag_type)
    return python_unflagged_late(ws, due_by, flag_type)


def python_unflagged_late(ws: Any, due_by: dt.date, flag_type: str) -> Iterator[str]:
    """The customers of the open milestones due by ``due_by`` with money outstanding and
    no open ``flag_type`` flag, in id order, from whole milestones and customers."""
    from kam.reports.rollups import open_receivables

    late = sorted({record["customer_id"] for record in open_receivables(ws, None, due_by)
                   if record.get("customer_id")
                   and receivable_view(record, due_by)["outstanding"] > 0})
    for i in range(0, len(late), CUSTOMERS_PER_READ):
        for customer in ws.storage.find("customer", {"id__in": late[i:i + CUSTOMERS_PER_READ]},
                                        order_by=("id",)):
            if not any(isinstance(x, dict) and x.get("type") == flag_type
                       and x.get("decision") != "cleared" for x in customer.get("flags") or []):
                yield customer["id"]


def overdue_by_customer(ws: Workspace, only: set[str] | None = None
                         ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each customer with money overdue (of ``only`` when given), in id order, with its
    overdue milestones (oldest due first), grouped as they come; the customers fetched a
    few hundred at a time. ``only``'s milestones are read by customer, a few hundred
    customers per read (a daily run names a handful, not every customer overdue)."""
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for v in _overdue_of(ws, only):
        if groups and groups[-1][0] == v["customer_id"]:
            groups[-1][1].append(v)
            continue
        if len(groups) == CUSTOMERS_PER_READ:
            yield from _with_customers(ws, groups)
            groups = []
        groups.append((v["customer_id"], [v]))
    yield from _with_customers(ws, groups)


def _overdue_of(ws: Workspace, only: set[str] | None) -> Iterator[dict[str, Any]]:
    """The overdue milestones of ``only`` (else of everyone) by customer, due date, id."""
    from kam.services.check import overdue_views

    order = ("customer_id", "due_date", "id")
    if only is None:
        yield from overdue_views(ws, order_by=order)
        return
    named = sorted(only)
    for i in range(0, len(named), CUSTOMERS_PER_READ):
        yield from overdue_views(ws, order_by=order,
                                 where={"customer_id__in": named[i:i + CUSTOMERS_PER_READ]})


def _with_customers(ws: Workspace, groups: list[tuple[str, list[dict[str, Any]]]]
                    ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    found = {c["id"]: c for c in ws.storage.find(
        "customer", {"id__in": [cu_id for cu_id, _ in groups]}, order_by=())}
    for cu_id, views in groups:
        yield found.get(cu_id) or ws.get("customer", cu_id), views


@atomic
def raise_anomaly_flags(ws: Workspace, lang: str | None = None) -> list[dict[str, Any]]:
    """Only the anomaly part of :func:`kam.services.check.run` (异常客户): ask the rules
    about each customer with money overdue today and raise their flags, firing no
    reminders — for ``kam demo``, so the daily run it suggests still has its own reminders
    to fire. ``lang``: write the flags' notes in it (the demo's data is in its language),
    else as the rule said."""
    return anomaly_flags(ws, overdue_by_customer(ws), ws.previewing, lang)


def anomaly_flags(ws: Workspace,
                   overdue: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]],
                   preview: bool, lang: str | None = None) -> list[dict[str, Any]]:
    """Ask the anomaly rules about each customer with overdue money; raise each flag type
    they name (a finding's ``code``) for review, unless one of that type is still open
    (not cleared). Raised by ``kam check``, so anyone may review it. ``overdue``: each
    customer with its overdue milestones, in customer id order."""
    from kam.messages import localise
    from kam.storage import UpdateMany
    from kam.vocab import VOCAB

    storage = ws.storage
    bulk = isinstance(storage, UpdateMany)
    out = []
    raised: list[tuple[str, str, dict[str, Any], list[str]]] = []
    changed: dict[str, dict[str, Any]] = {}  # customer → its flags, written with the events

    def record() -> None:
        if changed:
            assert isinstance(storage, UpdateMany)
            storage.update_many("customer", list(changed.items()))
            changed.clear()
        ws.record_event_ids(raised)
        raised.clear()

    for customer, views in overdue:
        cu_id = customer["id"]
        found = ws.plugins.rule("kam_customer_anomalies", ws=ws, customer=customer,
                                overdue=views)
        flags = list(customer.get("flags") or [])
        for f in found:
            if f.code not in VOCAB["flag_type"]:
                if f.severity == "block":
                    ws.warnings.append(f"anomaly rule failed: {f.message} [{f.plugin}]")
                continue
            if any(x.get("type") == f.code and x.get("decision") != "cleared" for x in flags):
                continue
            note = localise(f.message, lang) if lang else f.message
            entry = {"type": f.code, "note": note, "collected_by": "kam check",
                     "collected_at": ws.today.isoformat(), "reviewed_by": None,
                     "decision": None}
            flags.append(entry)
            if not preview:  # the change now, its event with the next batch's (one run,
                # one transaction: the same rows as a mutation each, ~10k on a first run)
                change = {"flags": flags, "updated_at": ws.now()}
                if bulk:  # a statement per batch (UpdateMany), the customer's last change
                    changed[cu_id] = change
                else:
                    storage.update("customer", cu_id, change)
                raised.append(("customer.flagged", cu_id,
                               {"type": f.code, "note": note, "rule": f.plugin}, []))
                if len(raised) >= BATCH:
                    record()
            out.append({"customer_id": cu_id, "type": f.code, "note": note,
                        "plugin": f.plugin})
    if raised:
        record()
    return out
