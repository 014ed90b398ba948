"""Customers (客户) and their anomaly flags (异常客户信息)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from kam import vocab
from kam.errors import InputError, RefusedError
from kam.services.common import (
    atomic,
    clean_changes,
    dump,
    edit_payload,
    merge_fields,
    parse_fields,
    rows_of,
    validate,
)
from kam.workspace import Workspace

if TYPE_CHECKING:
    from kam.records import CustomerChanges  # TypedDicts: costly to build, typing only


@atomic
def add(ws: Workspace, name: str, /, *, fields: Sequence[str] = (),
        **attrs: Unpack[CustomerChanges]) -> dict[str, Any]:
    from kam.models import Customer

    custom = parse_fields(ws, "customer", fields)
    given = clean_changes(attrs)
    given.setdefault("currency", ws.config.get("currency", "CNY"))
    given.setdefault("owner", ws.actor)
    if given.get("matrix"):
        given["matrix_set_by"] = ws.actor  # chosen by hand: the rule does not override it
    now = ws.now()
    draft = validate(Customer, {"id": "CU0", "name": name, "fields": custom, **given})
    with ws.mutation("customer.added") as m:
        record = dump(draft) | {"id": ws.storage.next_id("customer"), "created_at": now,
                                "updated_at": now}
        ws.storage.insert("customer", record)
        m.record_id = record["id"]
        m.payload = {"name": record["name"]}
    return record


@atomic
def edit(ws: Workspace, customer_id: str, *, fields: Sequence[str] = (),
         **attrs: Unpack[CustomerChanges]) -> dict[str, Any]:
    from kam.models import Customer

    current = ws.get("customer", customer_id)
    changes = clean_changes(attrs)
    custom = parse_fields(ws, "customer", fields)
    if custom:
        changes["fields"] = merge_fields(current.get("fields"), custom)
    if changes.get("matrix") and "matrix_set_by" not in changes:
        changes["matrix_set_by"] = ws.actor  # chosen by hand: the rule does not override it
    merged = dump(validate(Customer, {**current, **changes}))
    diff = {k: v for k, v in merged.items() if current.get(k) != v and k != "updated_at"}
    if not diff:
        return current
    diff["updated_at"] = ws.now()
    with ws.mutation("customer.edited", current["id"], edit_payload(current, diff)):
        ws.storage.update("customer", current["id"], diff)
    return {**current, **diff}


@atomic
def flag(ws: Workspace, customer_id: str, flag_type: str, note: str | None = None,
         review: str | None = None) -> dict[str, Any]:
    """Record an anomaly flag with who collected it and when (异常客户信息表)."""
    current = ws.get("customer", customer_id)
    key = vocab.parse("flag_type", flag_type)
    entry = {"type": key, "note": note or "", "collected_by": ws.actor,
             "collected_at": ws.today.isoformat(), "reviewed_by": None, "decision": review}
    flags = list(current.get("flags") or []) + [entry]
    with ws.mutation("customer.flagged", current["id"], {"type": key, "note": note or ""}):
        ws.storage.update("customer", current["id"], {"flags": flags, "updated_at": ws.now()})
    return {**current, "flags": flags}


def driver(ws: Workspace, customer_id: str, name: str, volume: str | None = None,
           note: str | None = None) -> dict[str, Any]:
    """A driver of the account's purchase potential (驱动因素) and its volume (驱动量):
    given again, it is replaced; with no volume and no note, removed."""
    current = ws.get("customer", customer_id)
    label = (name or "").strip()
    if not label:
        raise InputError("DRIVER: name the driver (e.g. 新建变电站)")
    drivers = [d for d in current.get("potential_drivers") or [] if d.get("driver") != label]
    if volume is not None or note:
        entry: dict[str, Any] = {"driver": label, "volume": (volume or "").strip() or None,
                                 "note": (note or "").strip() or None}
        drivers.append(entry)
    return edit(ws, current["id"], potential_drivers=drivers)


@atomic
def review_flag(ws: Workspace, customer_id: str, flag_type: str | None, decision: str,
                note: str | None = None) -> dict[str, Any]:
    """Review the oldest unreviewed flag of a type (异常客户信息 审核): ``confirmed`` keeps it
    on the account plan, ``cleared`` takes it off. Someone other than who collected it
    reviews it, as with approvals. Without a type, the customer's one unreviewed flag
    (refused when there are flags of several types waiting: name one)."""
    current = ws.get("customer", customer_id)
    verdict = vocab.parse("flag_decision", decision)
    flags = [dict(f) for f in current.get("flags") or []]
    if flag_type is None:
        waiting = sorted({f.get("type") or "" for f in flags if not f.get("reviewed_by")})
        if len(waiting) > 1:
            raise InputError(f"customer {current['id']} has unreviewed flags of "
                             f"{len(waiting)} types ({', '.join(waiting)}): name one with "
                             "--type")
        if not waiting:
            raise RefusedError(f"customer {current['id']} has no unreviewed flag")
        flag_type = waiting[0]
    key = vocab.parse("flag_type", flag_type)
    open_ = [f for f in flags if f.get("type") == key and not f.get("reviewed_by")]
    if not open_:
        raise RefusedError(f"customer {current['id']} has no unreviewed {key} flag")
    entry = open_[0]
    if entry.get("collected_by") == ws.actor:
        raise RefusedError(f"{ws.actor} collected this flag; someone else reviews it")
    entry |= {"reviewed_by": ws.actor, "reviewed_at": ws.today.isoformat(),
              "decision": verdict, "review_note": note or ""}
    with ws.mutation("customer.flag_reviewed", current["id"],
                     {"type": key, "decision": verdict, "note": note or ""}):
        ws.storage.update("customer", current["id"], {"flags": flags, "updated_at": ws.now()})
    return {**current, "flags": flags}


def get(ws: Workspace, customer_id: str) -> dict[str, Any]:
    """One customer (``NotFoundError``, exit 3, when there is none)."""
    return ws.get("customer", customer_id)


def open_flags(customer: dict[str, Any]) -> list[dict[str, Any]]:
    """The anomaly flags still open: not reviewed yet, or confirmed (a cleared one is done)."""
    return [f for f in customer.get("flags") or [] if f.get("decision") != "cleared"]


def list_(ws: Workspace, *, grade: str | None = None, owner: str | None = None,
          matrix: str | None = None, limit: int | None = None,
          flagged: bool = False,
          fields: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """Customers; ``flagged``: only those with an open anomaly flag (异常客户);
    ``fields``: only these columns (a table's), read without the rest."""
    where: dict[str, Any] = {}
    if grade:
        where["grade"] = vocab.parse("grade", grade)
    if matrix:
        where["matrix"] = vocab.parse("matrix", matrix)
    if owner:
        where["owner"] = owner
    if flagged:
        found = (c for c in ws.storage.find("customer", where, order_by=("id",))
                 if open_flags(c))
        return iter(list(found)[:limit] if limit else list(found))
    return rows_of(ws, "customer", where, limit=limit, fields=fields)


def matrix_by_rule(ws: Workspace, customer: dict[str, Any]) -> str | None:
    """The customer matrix (客户矩阵) the rules derive from need × relationship (the first
    matrix key any ``kam_customer_matrix`` implementation names), or None."""
    for key in ws.plugins.collect("kam_customer_matrix", ws=ws, customer=customer):
        if key in vocab.VOCAB["matrix"]:
            return str(key)
    return None


@atomic
def classify(ws: Workspace, customer_id: str, *, by_rule: bool = False) -> dict[str, Any]:
    """Set the matrix the rule derives (``customer.classified``). A matrix set by hand
    stays (the override is recorded, with who set it) unless ``by_rule`` hands it back
    to the rule. Returns ``{"customer", "rule", "kept_manual"}``."""
    current = ws.get("customer", customer_id)
    rule = matrix_by_rule(ws, current)
    manual = bool(current.get("matrix_set_by")) and not by_rule
    if manual or rule is None or (rule == current.get("matrix")
                                  and not current.get("matrix_set_by")):
        return {"customer": current, "rule": rule, "kept_manual": manual}
    changes = {"matrix": rule, "matrix_set_by": None, "updated_at": ws.now()}
    with ws.mutation("customer.classified", current["id"],
                     {"matrix": rule, "was": current.get("matrix"),
                      "was_set_by": current.get("matrix_set_by"),
                      "potential": None if current.get("potential") is None
                      else str(current["potential"]),
                      "relationship": current.get("relationship")}):
        ws.storage.update("customer", current["id"], changes)
    return {"customer": {**current, **changes}, "rule": rule, "kept_manual": False}
