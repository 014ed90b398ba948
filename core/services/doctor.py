"""``kam doctor``: is the workspace sound? Storage integrity, references, money
invariants, event coverage (every record has its audit trail), attachment hashes.

Each check is a function ``(ws, seen) -> problems`` in :data:`CHECKS`; a module that
adds an invariant (say, milestones summing to the contract amount) calls
:func:`add_check`. A check that cannot run is itself reported as a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from kam.errors import KamError
from kam.kinds import KINDS, Kind
from kam.services import doctor_config
from kam.workspace import Workspace


class Seen:
    """What the checks share, read once: the ids of each kind, the ids events name."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._ids: dict[str, set[str]] = {}
        self._named: set[str] | None = None
        self.events = 0

    def ids(self, kind: str) -> set[str]:
        if kind not in self._ids:
            self._ids[kind] = {r["id"] for r in self.ws.storage.find(kind, order_by=())}
        return self._ids[kind]

    def named_by_events(self) -> set[str]:
        if self._named is None:
            named: set[str] = set()
            for event in self.ws.storage.events():
                self.events += 1
                if event.get("record_id"):
                    named.add(event["record_id"])
                named.update(r for r in event.get("refs") or () if r)
            self._named = named
        return self._named


Check = Callable[[Workspace, Seen], Iterable[str]]


def integrity(ws: Workspace, seen: Seen) -> Iterable[str]:
    """The backend's own check (SQLite integrity_check and foreign keys; CSV parse)."""
    own = getattr(ws.storage, "integrity_problems", None)
    return own() if own is not None else []


def _reference_fields(k: Kind) -> list[tuple[str, str, bool]]:
    """(field, kind it names, is a list) for ``ref`` fields, ``*_id`` and ``*_ids``."""
    out = []
    for f in k.fields:
        if f.name == "id":
            continue
        if f.ref in KINDS:
            out.append((f.name, f.ref, False))
        elif f.name.endswith("_id") and f.name[:-3] in KINDS:
            out.append((f.name, f.name[:-3], False))
        elif f.name.endswith("_ids") and f.name[:-4] in KINDS and f.type == "json":
            out.append((f.name, f.name[:-4], True))
    return out


def references(ws: Workspace, seen: Seen) -> Iterable[str]:
    """Every reference names a record that exists."""
    for k in KINDS.values():
        fields = _reference_fields(k)
        if not fields:
            continue
        for record in ws.storage.find(k.name):
            for name, target, many in fields:
                value = record.get(name)
                values = (value or []) if many else [value]
                for v in values:
                    if v is not None and v != "" and v not in seen.ids(target):
                        yield f"{k.name} {record['id']}: {name} names {target} {v}, which " \
                              "does not exist"


def money(ws: Workspace, seen: Seen) -> Iterable[str]:
    """Amounts are never negative (a change amount, ``*delta*``, may be)."""
    zero = Decimal(0)
    for k in KINDS.values():
        fields = [f.name for f in k.fields if f.type == "money" and "delta" not in f.name]
        if not fields:
            continue
        for record in ws.storage.find(k.name):
            for name in fields:
                value = record.get(name)
                if value is not None and value < zero:
                    yield f"{k.name} {record['id']}: {name} is negative ({value})"


#: bookkeeping kinds, written without events (the outbox of event-hook deliveries)
UNAUDITED = frozenset({"outbox"})


def event_coverage(ws: Workspace, seen: Seen) -> Iterable[str]:
    """Every record has at least one event naming it: no change without its audit trail."""
    named = seen.named_by_events()
    for k in KINDS.values():
        if k.name in UNAUDITED:
            continue
        for rid in sorted(seen.ids(k.name), key=_id_key):
            if rid not in named:
                yield f"{k.name} {rid}: no event names it (a change without its audit trail)"


def attachments(ws: Workspace, seen: Seen) -> Iterable[str]:
    """Attached evidence files still exist and still have their recorded SHA-256."""
    from kam.services.contract_evidence import check_file

    for record in ws.storage.find("attachment"):
        result = check_file(record)
        if result["status"] == "missing":
            yield f"attachment {record['id']}: {record['path']} cannot be read (missing?)"
        elif result["status"] == "changed":
            yield f"attachment {record['id']}: {record['path']} changed (SHA-256 differs " \
                  "from the record)"


def contract_money(ws: Workspace, seen: Seen) -> Iterable[str]:
    """A signed contract's milestones sum to its amount exactly; nothing is over-collected
    or over-invoiced (paid ≤ amount and invoiced ≤ amount, per milestone and per contract);
    each payment's allocations add up to the payment (回款 invariants)."""
    zero = Decimal("0.00")
    billed: dict[str, Decimal] = {}  # invoiced per milestone id and per contract id
    for i in ws.storage.find("invoice", order_by=()):
        if (i.get("status") or "issued") != "issued":
            continue  # a request is no invoice yet
        for key in (i.get("receivable_id"), i.get("contract_id")):
            if key:
                billed[key] = billed.get(key, zero) + i["amount"]
    sums: dict[str, Decimal] = {}
    for r in ws.storage.find("receivable", order_by=()):
        sums[r["contract_id"]] = sums.get(r["contract_id"], zero) + r["amount"]
        taken = (r.get("paid") or zero) + (r.get("written_off") or zero)
        if taken > r["amount"]:
            yield f"receivable {r['id']}: paid and written off {taken} exceed its amount " \
                  f"{r['amount']}"
        if billed.get(r["id"], zero) > r["amount"]:
            yield f"receivable {r['id']}: invoiced {billed[r['id']]} exceeds its amount " \
                  f"{r['amount']}"
    for c in ws.storage.find("contract", order_by=()):
        if c["id"] in sums and sums[c["id"]] != c["amount"]:
            yield f"contract {c['id']}: milestones sum to {sums[c['id']]}, not the contract " \
                  f"amount {c['amount']}"
        if billed.get(c["id"], zero) > c["amount"]:
            yield f"contract {c['id']}: invoiced {billed[c['id']]} exceeds the contract " \
                  f"amount {c['amount']}"
    for p in ws.storage.find("payment", order_by=()):
        allocated = sum((Decimal(a["amount"]) for a in p.get("allocations") or []), zero)
        if allocated != p["amount"]:
            yield f"payment {p['id']}: allocations sum to {allocated}, not {p['amount']}"


def dead_deliveries(ws: Workspace, seen: Seen) -> Iterable[str]:
    """Event-hook deliveries that gave up (dead-letter): a plugin never got the event."""
    for d in ws.storage.find("outbox", {"status": "dead"}):
        yield f"outbox {d['id']}: {d['hook']} to plugin {d['plugin']} is dead after " \
              f"{d['tries']} tries ({d['error']}); kam events retry --dead"


def _id_key(record_id: str) -> tuple[int, str]:
    from kam.storage import id_number

    return id_number(record_id), record_id


CHECKS: list[tuple[str, Check]] = [
    ("integrity", integrity),
    ("references", references),
    ("money", money),
    ("events", event_coverage),
    ("attachments", attachments),
    ("contract_money", contract_money),
    ("config", doctor_config.check),
    ("deliveries", dead_deliveries),
]


def add_check(name: str, check: Check) -> None:
    """Add an invariant (once per name), e.g. from the module that owns the data."""
    if all(existing != name for existing, _ in CHECKS):
        CHECKS.append((name, check))


def diagnose(ws: Workspace) -> dict[str, Any]:
    """Run every check; ``ok`` is false when any problem was found."""
    seen = Seen(ws)
    problems: list[dict[str, str]] = []
    for name, check in list(CHECKS):
        try:
            found = list(check(ws, seen))
        except KamError as exc:
            found = [f"could not check: {exc}"]
        problems += [{"check": name, "problem": text} for text in found]
        if name == "integrity" and found:
            break  # the data cannot be read reliably; later checks would only repeat it
    records = sum(len(ids) for ids in seen._ids.values())
    return {"ok": not problems, "checks": [n for n, _ in CHECKS], "records": records,
            "events": seen.events, "problems": problems}
