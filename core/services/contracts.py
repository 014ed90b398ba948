"""Contracts (合同): create from a won deal, review (合同评审), approve (合同审批),
sign, amend (合同变更). Delivery, acceptance and closing are in
``contract_lifecycle``; evidence (证据链) in ``contract_evidence``; the record, its
milestones and the roles required to approve it are read through ``contract_reading``.

Lifecycle: draft → in_review → approved → signed → executing → closed (or
terminated). Signing wins the opportunity and schedules the receivables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Unpack

from kam import values, vocab
from kam.errors import InputError, RefusedError
from kam.findings import Finding, blocking
from kam.i18n import pick
from kam.models.receivable_state import receivable_view
from kam.models.states import ENDED, SIGNED, UNSIGNED
from kam.services import contract_plan as plans
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
from kam.services.contract_amendments import amendment_changes, write_rebalance
from kam.services.contract_reading import get, milestones, planned, required_roles
from kam.storage import scope
from kam.workspace import Workspace

if TYPE_CHECKING:
    from kam.records import ContractChanges  # TypedDicts: costly to build, typing only
    from kam.services.results import Reviewed, Signed

#: the 签约成交 checklist items (negotiation stage) a signing proves done
SIGNING_TASKS = ("negotiation.contract_review", "negotiation.contract_approval",
                 "negotiation.sign")
TERM_KEYS = ("delivery_place", "delivery_deadline", "delivery_method", "acceptance_method",
             "breach", "force_majeure", "dispute", "termination", "retention_cap",
             "delivery_milestone")
#: when a partly delivered contract's on-delivery milestones start (kam delivery confirm)
DELIVERY_MILESTONE = ("full", "first")


# --- reading --------------------------------------------------------------------------


def list_(ws: Workspace, *, status: str | None = None, customer: str | None = None,
          owner: str | None = None, opp: str | None = None,
          limit: int | None = None,
          fields: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    where: dict[str, Any] = {}
    if status:
        where["status"] = vocab.parse("contract_status", status)
    where.update(scope(customer=customer, owner=owner))
    if opp:
        where["opportunity_id"] = opp.strip().upper()
    return rows_of(ws, "contract", where, limit=limit, fields=fields)


def needed_roles(ws: Workspace, contract: dict[str, Any]) -> list[str]:
    """The roles that must approve the current version: those computed and stored when
    its review passed (``review["required_roles"]``), so a later change of thresholds
    does not change who must approve a reviewed contract; a re-review recomputes.
    Computed now only for a contract reviewed before kam stored them."""
    entry = contract.get("review") or {}
    stored = entry.get("required_roles")
    if isinstance(stored, list) and entry.get("version") == (contract.get("version") or 0):
        return [str(r) for r in stored]
    return required_roles(ws, contract)


def approved_roles(contract: dict[str, Any], version: int) -> set[str]:
    """Roles whose latest decision for ``version`` is ``approved``."""
    latest: dict[str, str] = {}
    for a in contract.get("approvals") or []:
        if a.get("version") == version:
            latest[a["role"]] = a["decision"]
    return {role for role, decision in latest.items() if decision == "approved"}


def missing_roles(ws: Workspace, contract: dict[str, Any], version: int | None = None,
                  probe: dict[str, Any] | None = None) -> list[str]:
    """Required roles without an approval (their latest decision) for ``version``:
    the stored list of the contract, or the rules' list for a ``probe``."""
    version = contract.get("version") or 0 if version is None else version
    have = approved_roles(contract, version)
    needed = required_roles(ws, probe) if probe else needed_roles(ws, contract)
    return [r for r in needed if r not in have]


def review_findings(ws: Workspace, contract: dict[str, Any]) -> list[Finding]:
    return ws.plugins.rule("kam_review_contract", ws=ws, contract=contract,
                           milestones=milestones(ws, contract))


def signing_checklist(ws: Workspace, opp: dict[str, Any]) -> list[dict[str, Any]]:
    """The negotiation stage's checklist (签约成交) with what is done."""
    pipeline = ws.pipeline(opp["pipeline"])
    if not pipeline.won_after:
        return []
    stage = pipeline.stage(pipeline.won_after)
    done = set(opp.get("checklist") or [])
    return [{"task": f"{stage.key}.{t.key}", "label": pick(ws.lang, t.zh, t.en),
             "done": f"{stage.key}.{t.key}" in done} for t in stage.tasks]


def card(ws: Workspace, contract_id: str) -> dict[str, Any]:
    """The contract with its milestones as of today, approvals still needed, evidence,
    and its P&L from 概算 to 决算; its team (铁三角) is its deal's."""
    from kam.models.contract_pnl import pnl
    from kam.models.deal_team import members

    contract = get(ws, contract_id)
    ms = milestones(ws, contract)
    rows = ([receivable_view(r, ws.today) for r in ms] if contract.get("signed_on")
            else ms)
    pending = contract.get("pending_amendment")
    needs: list[str] = []
    if contract["status"] in UNSIGNED:
        needs = missing_roles(ws, contract)
    elif pending:
        needs = [r for r in pending.get("roles", [])
                 if r not in approved_roles(contract, pending["version"])]
    opp = ws.storage.get("opportunity", contract["opportunity_id"]) or {}
    return {
        "contract": contract,
        "milestones": rows,
        "approvals_needed": needs,
        "attachments": list(ws.storage.find("attachment", {"contract_id": contract["id"]})),
        "invoices": list(ws.storage.find("invoice", {"contract_id": contract["id"]})),
        "signing_checklist": signing_checklist(ws, opp) if opp else [],
        "pnl": pnl(contract),
        "deliveries": list(ws.storage.find("delivery", {"contract_id": contract["id"]},
                                           order_by=("id",))),
        "team": members(opp),
    }


# --- create and edit ------------------------------------------------------------------


def _terms(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in TERM_KEYS:
            raise InputError(f"--term: {pair!r} must be KEY=TEXT with KEY one of "
                             + ", ".join(TERM_KEYS))
        out[key] = text.strip()
        if key == "delivery_milestone" and out[key] not in DELIVERY_MILESTONE:
            raise InputError(f"--term: delivery_milestone must be full (the default: when "
                             f"the last line is confirmed) or first, not {out[key]!r}")
    return out


def _lines(specs: Sequence[str]) -> list[dict[str, str]]:
    """``item|spec|quantity|unit price`` (标的物)."""
    out = []
    for spec in specs:
        bits = [b.strip() for b in spec.split("|")]
        if len(bits) != 4 or not bits[0]:
            raise InputError(f"--line: {spec!r} must be ITEM|SPEC|QUANTITY|UNIT_PRICE")
        qty = values.number(bits[2], f"--line {spec!r}: quantity")
        if qty <= 0:
            raise InputError(f"--line {spec!r}: quantity must be above 0")
        price = values.money(bits[3], f"--line {spec}")
        if qty * price >= values.MAX_AMOUNT:
            raise InputError(f"--line {spec!r}: the line total is too large")
        total = (qty * price).quantize(values.CENT)
        out.append({"item": bits[0], "spec": bits[1], "quantity": f"{qty:f}",
                    "unit_price": values.fmt_money(price), "total": values.fmt_money(total)})
    return out


def _attrs(ws: Workspace, attrs: Mapping[str, Any]) -> dict[str, Any]:
    out = clean_changes(attrs)
    if "plan" in out:
        out["plan"] = plans.parse_plan(out["plan"])
    if "lines" in out:
        out["lines"] = _lines(out["lines"]) if out["lines"] else None
        if out["lines"] is None:
            del out["lines"]
    if "terms" in out:
        out["terms"] = _terms(out["terms"]) if out["terms"] else None
        if out["terms"] is None:
            del out["terms"]
    return out


@atomic
def create(ws: Workspace, opp_id: str, *, fields: Sequence[str] = (),
           **attrs: Unpack[ContractChanges]) -> dict[str, Any]:
    """A draft contract for an opportunity; amount and currency default to the deal's."""
    from kam.models.contracts import Contract

    opp = ws.get("opportunity", opp_id)
    if opp["status"] in ("lost", "abandoned"):
        raise RefusedError(f"opportunity {opp['id']} is {opp['status']}: no contract for it")
    data = _attrs(ws, attrs)
    data.setdefault("amount", opp.get("amount"))
    data.setdefault("currency", opp.get("currency") or ws.config.get("currency", "CNY"))
    data.setdefault("owner", opp.get("owner") or ws.actor)
    data.setdefault("title", opp.get("title"))
    data.setdefault("warranty_months", int(_cfg(ws).get("warranty_months", 12)))
    data.setdefault("plan", plans.parse_plan(_cfg(ws).get("default_plan", plans.DEFAULT_PLAN)))
    if data.get("amount") is None:
        raise InputError(f"--amount: opportunity {opp['id']} has no amount; give one")
    number = data.get("number")
    if number:
        _unique_number(ws, number)
    now = ws.now()
    draft = dump(validate(Contract, {
        "id": "CO0", "opportunity_id": opp["id"], "customer_id": opp["customer_id"],
        "number": number or "pending", "fields": parse_fields(ws, "contract", fields),
        **data}))
    plans.split(draft["plan"], draft["amount"])  # refuses plans beyond the amount
    with ws.mutation("contract.created", refs=[opp["id"], opp["customer_id"]]) as m:
        record = draft | {"id": ws.storage.next_id("contract"), "created_at": now,
                          "updated_at": now}
        if not number:
            record["number"] = f"HT-{ws.today.year}-{record['id'][2:].zfill(4)}"
        ws.storage.insert("contract", record)
        m.record_id = record["id"]
        m.payload = {"number": record["number"], "amount": values.fmt_money(record["amount"]),
                     "currency": record["currency"], "plan": plans.format_plan(record["plan"])}
    return record


def _cfg(ws: Workspace) -> dict[str, Any]:
    return ws.config.get("contracts", {}) or {}


def _unique_number(ws: Workspace, number: str, own_id: str | None = None) -> None:
    for other in ws.storage.find("contract", {"number": number.strip()}):
        if other["id"] != own_id:
            raise InputError(f"--number: {number} is already contract {other['id']}")


@atomic
def edit(ws: Workspace, contract_id: str, *, fields: Sequence[str] = (),
         **attrs: Unpack[ContractChanges]) -> dict[str, Any]:
    """Change an unsigned contract; it goes back to draft (review and approve again)."""
    from kam.models.contracts import Contract

    contract = get(ws, contract_id)
    if contract["status"] not in UNSIGNED:
        raise RefusedError(f"contract {contract['id']} is {contract['status']}: change it "
                           f"with an amendment (kam contract amend {contract['id']})")
    changes = _attrs(ws, attrs)
    if changes.get("number"):
        _unique_number(ws, changes["number"], contract["id"])
    custom = parse_fields(ws, "contract", fields)
    if custom:
        changes["fields"] = merge_fields(contract.get("fields"), custom)
    merged = dump(validate(Contract, {**contract, **changes}))
    plans.split(merged["plan"], merged["amount"])
    diff = {k: v for k, v in merged.items() if contract.get(k) != v and k != "updated_at"}
    if not diff:
        return contract
    diff |= {"version": (contract.get("version") or 0) + 1, "status": "draft",
             "updated_at": ws.now()}
    payload = {**edit_payload(contract, diff, quiet=("updated_at", "version")),
               "version": diff["version"]}
    with ws.mutation("contract.edited", contract["id"], payload,
                     refs=[contract["opportunity_id"], contract["customer_id"]]):
        ws.storage.update("contract", contract["id"], diff)
    return {**contract, **diff}


# --- review and approval --------------------------------------------------------------


@atomic
def review(ws: Workspace, contract_id: str) -> Reviewed:
    """Run the contract review (合同评审) and record it; a clean draft goes to review.

    The roles that must approve are computed now and stored with the review
    (``review["required_roles"]``): approval and signing go by that list.

    Returns ``{"contract", "findings", "blocked"}``; the CLI exits 1 when blocked.
    """
    contract = get(ws, contract_id)
    findings = review_findings(ws, contract)
    blocked = bool(blocking(findings))
    version = contract.get("version") or 0
    roles = required_roles(ws, contract)
    entry = {"on": ws.today.isoformat(), "by": ws.actor, "version": version,
             "blocked": blocked, "findings": [f.to_dict() for f in findings],
             "required_roles": roles}
    changes: dict[str, Any] = {"review": entry, "updated_at": ws.now()}
    if contract["status"] in UNSIGNED:
        if blocked:
            changes["status"] = "draft"
        elif not missing_roles(ws, {**contract, "review": entry}):
            changes["status"] = "approved"
        else:
            changes["status"] = "in_review"
    with ws.mutation("contract.reviewed", contract["id"],
                     {"blocked": blocked, "version": version,
                      "codes": [f"{f.severity}:{f.code}" for f in findings],
                      "required_roles": roles,
                      "status": changes.get("status", contract["status"])},
                     refs=[contract["opportunity_id"], contract["customer_id"]]):
        ws.storage.update("contract", contract["id"], changes)
    return {"contract": {**contract, **changes}, "findings": findings, "blocked": blocked}


@atomic
def approve(ws: Workspace, contract_id: str, by: str | None = None, *,
            role: str | None = None, comment: str | None = None,
            reject: bool = False) -> dict[str, Any]:
    """Record an approval or rejection (审批留痕: approver, role, time, decision, comment).

    Approves the contract before signing, or a pending amendment after it. When the
    last required role approves, the contract becomes ``approved`` (or the
    amendment is applied); a rejection sends it back to draft (or drops the amendment).
    The approver is the acting user (``by``, when given, must name them); the owner of
    the contract or of its deal is refused, so is a role that is not required (the
    list stored at review, or the amendment's) and, with kam.toml ``[roles]``, a
    role the approver does not hold (see :mod:`kam.services.approvals`).
    """
    from kam.services import approvals as who_may

    contract = get(ws, contract_id)
    approver = who_may.approver(ws, by)
    pending = contract.get("pending_amendment")
    if contract["status"] in ENDED:
        raise RefusedError(f"contract {contract['id']} is {contract['status']}")
    if contract["status"] in SIGNED and not pending:
        raise RefusedError(f"contract {contract['id']} is {contract['status']} and has no "
                           "pending amendment to approve")
    if contract["status"] == "draft":
        raise RefusedError(f"contract {contract['id']} is a draft: review it first "
                           f"(kam contract review {contract['id']})")
    if pending:
        version, needed = pending["version"], list(pending.get("roles") or [])
    else:
        version, needed = contract.get("version") or 0, needed_roles(ws, contract)
    outstanding = [r for r in needed if r not in approved_roles(contract, version)]
    what = f"contract {contract['id']}" + (" (its pending amendment)" if pending else "")
    role = _pick_role(role, outstanding, needed, what=what,
                      held=who_may.roles_of(ws, approver))
    opp = ws.storage.get("opportunity", contract["opportunity_id"]) or {}
    who_may.check(ws, approver, role, owners=[contract.get("owner"), opp.get("owner")],
                  what=what)
    entry = {"role": role, "by": approver, "at": ws.now(), "on": ws.today.isoformat(),
             "decision": "rejected" if reject else "approved",
             "comment": (comment or "").strip(), "version": version}
    approvals = list(contract.get("approvals") or []) + [entry]
    changes: dict[str, Any] = {"approvals": approvals, "updated_at": ws.now()}
    kind = "contract.rejected" if reject else "contract.approved"
    after = {**contract, **changes}
    apply_amendment = False
    if reject:
        if pending:
            changes["pending_amendment"] = None
        else:
            changes["status"] = "draft"
    elif not [r for r in needed if r not in approved_roles(after, version)]:
        if pending:
            apply_amendment = True
            kind = "contract.amended"
        else:
            changes["status"] = "approved"
    refs = [contract["opportunity_id"], contract["customer_id"]]
    payload = dict(entry)
    if apply_amendment and pending:
        changes |= amendment_changes(ws, after, pending)
        payload["amendment"] = changes["amendments"][-1]
        refs += [r["id"] for r in milestones(ws, contract)]
    with ws.mutation(kind, contract["id"], payload, refs=refs) as m:
        if apply_amendment:
            write_rebalance(ws, changes.pop("_receivables"))
        ws.storage.update("contract", contract["id"], changes)
    updated = {**contract, **changes}
    if apply_amendment:
        ws.fire("kam_contract_event", contract=updated, action="amended", event=m.event)
    return updated


def _pick_role(role: str | None, outstanding: list[str], needed: list[str], *,
               what: str = "the contract", held: set[str] | None = None) -> str:
    """The required role deciding: ``role`` (refused unless required, exit 1), or the one
    still needed (of those the approver holds, with ``[roles]``)."""
    from kam.services.approvals import match_role

    if not needed:
        raise RefusedError(f"{what} needs no approval: no role is required")
    if role and role.strip():
        found = match_role(role, needed)
        if found is None:
            raise RefusedError(f"{what} needs no approval as {role.strip()}: nobody "
                               f"required that role (required: {', '.join(needed)})")
        return found
    if len(outstanding) == 1:
        return outstanding[0]
    if not outstanding and len(needed) == 1:
        return needed[0]
    if held is not None:
        mine = [r for r in (outstanding or needed) if match_role(r, held)]
        if len(mine) == 1:
            return mine[0]
    if outstanding:
        raise InputError("--role: which role is approving? still needed: "
                         + ", ".join(outstanding))
    raise InputError("--role: which role is deciding? required: " + ", ".join(needed))


# --- signing --------------------------------------------------------------------------


@atomic
def sign(ws: Workspace, contract_id: str, date: str | None = None, *, force: bool = False,
         reason: str | None = None) -> Signed:
    """Sign (签订合同): creates and schedules the milestones and wins the deal.

    Refused unless approved by every required role and free of blocking findings,
    and unless the deal passes its gates up to the signing stage (``won_after``):
    ``force`` with a ``reason`` records a forced advance, as ``kam opp advance``.
    """
    from kam.services.opportunities import win_by_signing

    contract = get(ws, contract_id)
    on = values.date(date, "--date") if date else ws.today
    if on > ws.today:
        raise InputError(f"--date: {on} is in the future (today is {ws.today})")
    if force and not (reason or "").strip():
        raise InputError("--force needs --reason: a forced signing is recorded with its reason")
    if contract["status"] not in UNSIGNED:
        raise RefusedError(f"contract {contract['id']} is already {contract['status']}")
    opp = ws.get("opportunity", contract["opportunity_id"])
    if opp["status"] in ("lost", "abandoned"):
        raise RefusedError(f"opportunity {opp['id']} is {opp['status']}: the contract cannot "
                           "be signed")
    findings = review_findings(ws, contract)
    blocks = blocking(findings)
    if blocks:
        raise RefusedError(f"contract {contract['id']} has blocking review findings: "
                           + "; ".join(f.message for f in blocks), findings)
    missing = missing_roles(ws, contract)
    if missing or contract["status"] != "approved":
        if not missing:
            hint = f"review it first (kam contract review {contract['id']})"
        else:
            askers = ws.plugins.askers("kam_required_approvals", ws=ws, contract=contract)
            named = [f"{role} (asked by {', '.join(askers[role])})" if askers.get(role)
                     else role for role in missing]
            hint = "approval missing from " + ", ".join(named) + \
                f" (kam contract approve {contract['id']} --by NAME --role ROLE)"
        raise RefusedError(f"contract {contract['id']} is {contract['status']}, not "
                           f"approved: {hint}")
    rows = _schedule(contract, on)
    changes = {"status": "signed", "signed_on": on, "updated_at": ws.now()}
    payload = {"signed_on": on.isoformat(), "amount": values.fmt_money(contract["amount"]),
               "currency": contract["currency"], "milestones": len(rows)}
    with ws.mutation("contract.signed", contract["id"], payload,
                     refs=[opp["id"], contract["customer_id"]]) as m:
        for row in rows:
            row["id"] = ws.storage.next_id("receivable")
            ws.storage.insert("receivable", row)
            m.refs.append(row["id"])
        ws.storage.update("contract", contract["id"], changes)
    updated = {**contract, **changes}
    ws.fire("kam_contract_event", contract=updated, action="signed", event=m.event)
    # the deal's gates, in the same transaction: a refusal here undoes the signing
    opp_after, gate_findings = win_by_signing(ws, opp, contract["id"], on, SIGNING_TASKS,
                                              force=force, reason=reason)
    return {"contract": updated, "milestones": [receivable_view(r, ws.today) for r in rows],
            "opportunity": opp_after, "signing_checklist": signing_checklist(ws, opp_after),
            "findings": findings + gate_findings}


def _schedule(contract: dict[str, Any], on: dt.date) -> list[dict[str, Any]]:
    """Milestone records at signing: down payment and fixed dates get their due dates."""
    now = contract.get("updated_at")
    rows = []
    for m in planned(contract):
        trigger = on if plans.TRIGGERS[m["kind"]] == "signed" else None
        due = (plans.due_date(m["kind"], m["due_offset"], on, contract.get("warranty_months"))
               if trigger else None)
        rows.append({"contract_id": contract["id"], "customer_id": contract["customer_id"],
                     "seq": m["seq"], "kind": m["kind"], "share": m["share"],
                     "due_offset": m["due_offset"], "amount": m["amount"],
                     "currency": contract["currency"], "trigger_on": trigger, "due_date": due,
                     "paid": Decimal("0.00"), "created_at": now, "updated_at": now})
    return rows
